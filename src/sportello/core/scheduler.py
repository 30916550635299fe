"""The product's one periodic scheduler: ``manage.py scheduler`` enqueues the tasks of ``settings.PERIODIC_TASKS``.

A job is ``name: (dotted path of a django-tasks task taking no arguments, interval in seconds)``. Time is cut into
ticks aligned on the epoch (a 3600 s job ticks at every full hour); on each pass the scheduler tries to insert a
``PeriodicTick(job, tick)`` row and, in the same transaction, enqueues the task. The unique constraint on
(job, tick) lets exactly one of any number of schedulers (one per machine is fine) win a tick; the others get an
IntegrityError and skip it. A tick missed while no scheduler ran is not replayed: the current one runs once.

Why not a library: the maintained Django schedulers either keep their lock in Redis or a cache (django-crontask),
or need their own worker model; this needs only the database that already holds the task queue, and the enqueue
is atomic with the tick row, so a crash can neither lose nor double a tick.
"""

import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PeriodicTick

logger = logging.getLogger(__name__)
TICKS_KEPT = timedelta(days=7)


def current_tick(now: datetime, interval: int) -> datetime:
    """The start of the tick of ``interval`` seconds that contains ``now`` (pure)."""
    if interval <= 0:
        raise ValueError("interval must be positive")
    seconds = int(now.timestamp())
    return datetime.fromtimestamp(seconds - seconds % interval, tz=UTC)


def run_due(now: datetime | None = None, jobs: dict | None = None) -> list[str]:
    """Enqueue each job whose current tick no scheduler has taken yet; return the names enqueued here."""
    now = now or timezone.now()
    jobs = settings.PERIODIC_TASKS if jobs is None else jobs
    enqueued = []
    for name, (path, interval) in jobs.items():
        tick = current_tick(now, interval)
        try:
            with transaction.atomic():
                PeriodicTick.objects.create(job=name, tick=tick)
                import_string(path).enqueue()
        except IntegrityError:
            continue  # another scheduler has this tick
        enqueued.append(name)
        logger.info("scheduler: enqueued %s for %s", name, tick.isoformat())
    return enqueued


def ticks_prune(now: datetime | None = None) -> int:
    """Delete tick rows older than a week (they only matter while their tick is current)."""
    now = now or timezone.now()
    return PeriodicTick.objects.filter(tick__lt=now - TICKS_KEPT).delete()[0]
