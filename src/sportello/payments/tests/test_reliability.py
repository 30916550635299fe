"""Concurrency and failure: IUV bases never repeat under concurrent requests, and a worker killed between the
provider's confirmation and the local update loses nothing (the next poll settles the payment)."""

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

from sportello.accounts.tests.factories import UserFactory
from sportello.applications.states import State as AppState
from sportello.payments.models import Payment, SandboxPosition, Status
from sportello.payments.providers.sandbox import sandbox_outcome
from sportello.payments.services import payment_publish_now, payment_request_at_submission, payments_poll

from .factories import filled_application

ROOT = Path(__file__).resolve().parents[4]


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_get_distinct_iuv_bases(cie):
    """Eight citizens confirm at once: the counter's row lock (backed by a unique constraint) gives 1..8."""
    applications = [
        filled_application(cie, UserFactory(username=f"c{n}", fiscal_code=f"RSSMRA80A01H50{n}X"))
        for n in range(8)
    ]
    barrier = threading.Barrier(len(applications))
    errors = []

    def confirm(application):
        try:
            barrier.wait()
            payment_request_at_submission(application=application, user=application.applicant)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    bases = sorted(Payment.objects.values_list("iuv_base", flat=True))
    assert [int(b[4:]) for b in bases] == list(range(1, 9))
    assert len(set(Payment.objects.values_list("notice_number", flat=True))) == 8


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


# The worker: a real poll, paused (by the test's hook) right after the provider confirmed the payment.
WORKER = """
import sys, time, django
django.setup()
from sportello.payments import services
def paused(**kwargs):
    print("CONFIRMED", kwargs["observed"].status, flush=True)
    time.sleep(120)
services.payment_apply_status = paused
services.payments_poll()
"""


@pytest.mark.django_db(transaction=True)
def test_worker_killed_after_confirmation_is_recovered_by_the_next_poll(awaiting):
    payment_publish_now(payment=awaiting)
    sandbox_outcome(position_pk=SandboxPosition.objects.get().pk, outcome="paid")
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "sportello.settings"}
    env["PYTHONPATH"] = str(ROOT / "src")
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert worker.stdout.readline().split() == ["CONFIRMED", "paid"]
        os.kill(worker.pid, signal.SIGKILL)  # the worker dies between confirmation and local update
        assert worker.wait(timeout=10) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
    awaiting.refresh_from_db()
    assert awaiting.status == Status.PENDING  # nothing was written by the dead worker
    assert payments_poll() == 1
    awaiting.refresh_from_db()
    assert awaiting.status == Status.PAID and awaiting.receipt_id
    awaiting.application.refresh_from_db()
    assert awaiting.application.state == AppState.REGISTERED
