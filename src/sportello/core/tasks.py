"""Reliability of background work: retries for transient failures, recovery of tasks whose worker died.

Tasks are enqueued in the caller's transaction (the database backend writes a row), so a task exists exactly when
the business write committed. Two gaps remain that django-tasks does not close by itself, and this module does:
- a transient failure (SMTP server down, network error) marks the task FAILED: ``retry_later`` enqueues the same
  task again after a growing delay, a few times;
- a worker killed in the middle of a task leaves it RUNNING forever: ``tasks_recover`` (run by ``make run`` at start
  and, in production, every few minutes from cron or a timer) puts such tasks back in the queue.
Sportello's tasks are written to be safe to run twice (at-least-once delivery).
"""

import smtplib
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

# Delays before the 1st, 2nd, ... retry: a minute, 5 minutes, half an hour, 2 hours, 6 hours.
RETRY_DELAYS = (60, 300, 1800, 7200, 21600)
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


def retry_later(task, *, attempt: int, **kwargs) -> bool:
    """Enqueue ``task`` again with ``attempt + 1`` after the next delay; False when attempts are exhausted."""
    if attempt >= len(RETRY_DELAYS):
        return False
    run_after = timezone.now() + timedelta(seconds=RETRY_DELAYS[attempt])
    task.using(run_after=run_after).enqueue(attempt=attempt + 1, **kwargs)
    return True


def requeue_stale_tasks(*, older_than: timedelta) -> int:
    """Put back in the queue the tasks RUNNING for longer than ``older_than`` (their worker is gone)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    limit = timezone.now() - older_than
    return (
        DBTaskResult.objects.running()
        .filter(started_at__lt=limit)
        .update(status=TaskResultStatus.READY, started_at=None)
    )


def retrying(function):
    """For a task's function (under ``@task()``): a transient error schedules a retry, then fails this run.

    The function takes an ``attempt`` keyword (0 for the first run); the retry is enqueued outside the
    task's own transaction, which the error rolls back.
    """
    import functools
    import sys

    @functools.wraps(function)
    def wrapper(*, attempt: int = 0, **kwargs):
        try:
            return function(**kwargs)
        except TRANSIENT_ERRORS:
            task = getattr(sys.modules[function.__module__], function.__name__)
            retry_later(task, attempt=attempt, **kwargs)
            raise

    return wrapper


@task()
def stale_tasks_requeue() -> int:
    """Periodic (the scheduler): requeue tasks whose worker died, so no cron job is needed for it."""
    return requeue_stale_tasks(older_than=timedelta(minutes=15))


@task()
def periodic_ticks_prune() -> int:
    """Periodic (the scheduler): forget tick rows older than a week."""
    from .scheduler import ticks_prune

    return ticks_prune()
