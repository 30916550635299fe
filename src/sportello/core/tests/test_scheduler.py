"""The periodic scheduler: each job's tick is enqueued once, however many schedulers run."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from sportello.core.models import PeriodicTick
from sportello.core.scheduler import current_tick, run_due, ticks_prune

PROBE = "sportello.core.tests.test_scheduler.tick_probe"


@task()
def tick_probe():
    return "tick"


def test_ticks_are_aligned_on_the_epoch():
    now = datetime(2026, 3, 29, 1, 59, 59, tzinfo=UTC)
    assert current_tick(now, 60) == datetime(2026, 3, 29, 1, 59, tzinfo=UTC)
    assert current_tick(now, 3600) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert current_tick(now + timedelta(seconds=1), 3600) == datetime(2026, 3, 29, 2, 0, tzinfo=UTC)
    assert current_tick(now, 1) == now
    with pytest.raises(ValueError):
        current_tick(now, 0)


def test_a_tick_is_enqueued_once_and_the_next_tick_again(db):
    jobs = {"probe": (PROBE, 60)}
    now = datetime(2026, 12, 1, 10, 0, 5, tzinfo=UTC)
    assert run_due(now, jobs) == ["probe"]
    assert run_due(now + timedelta(seconds=30), jobs) == []  # same tick: another pass, or another machine
    assert run_due(now + timedelta(seconds=60), jobs) == ["probe"]
    assert DBTaskResult.objects.filter(task_path=PROBE).count() == 2
    assert PeriodicTick.objects.filter(job="probe").count() == 2


def test_every_configured_job_points_at_a_task(settings):
    from django.utils.module_loading import import_string
    from django_tasks.base import Task

    assert settings.PERIODIC_TASKS
    for path, interval in settings.PERIODIC_TASKS.values():
        assert isinstance(import_string(path), Task), path
        assert isinstance(interval, int) and interval > 0


def test_old_ticks_are_pruned(db):
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    PeriodicTick.objects.create(job="a", tick=now - timedelta(days=8))
    PeriodicTick.objects.create(job="a", tick=now - timedelta(days=1))
    assert ticks_prune(now) == 1
    assert PeriodicTick.objects.count() == 1


SCHEDULER_PROCESS = """
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
settings.PERIODIC_TASKS = {"probe": (%r, 1)}
call_command("scheduler", interval=0.02, for_seconds=%r)
"""


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_two_scheduler_processes_run_each_tick_once():
    """Two real `manage.py scheduler` processes race for the same 1-second ticks for 4 seconds."""
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "sportello.settings"}
    src = str(Path(__file__).resolve().parents[3])
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    code = SCHEDULER_PROCESS % (PROBE, 4.0)
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env) for _ in range(2)]
    for proc in procs:
        assert proc.wait(timeout=60) == 0
    ticks = list(PeriodicTick.objects.filter(job="probe").values_list("tick", flat=True))
    assert len(ticks) >= 3
    assert len(set(ticks)) == len(ticks)
    # One task per tick, although both processes tried every tick.
    assert DBTaskResult.objects.filter(task_path=PROBE).count() == len(set(ticks))
