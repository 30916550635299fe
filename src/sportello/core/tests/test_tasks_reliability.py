"""Nothing is lost when the mail server or a worker fails."""

import smtplib
from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sportello.accounts.models import Role
from sportello.accounts.services import staff_create
from sportello.core.tasks import RETRY_DELAYS, requeue_stale_tasks


class DownSMTP:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def _invite(mori):
    return staff_create(municipality=mori, username="lucia", email="lucia@example.org", role=Role.OPERATOR)


def test_a_mail_server_outage_schedules_retries_until_the_mail_goes_out(mori, run_tasks, settings):
    user = _invite(mori).user
    settings.EMAIL_BACKEND = "sportello.core.tests.test_tasks_reliability.DownSMTP"
    run_tasks()
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs["kwargs"] == {
        "membership_id": user.memberships.get().pk,
        "reason": "invite",
        "attempt": 1,
    }
    expected = failed.finished_at + timedelta(seconds=RETRY_DELAYS[0])
    assert abs((retry.run_after - expected).total_seconds()) < 30
    user.refresh_from_db()
    assert not user.has_usable_password()  # the failed run changed nothing

    run_tasks()  # too early: the retry waits for its time
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now() - timedelta(seconds=1))
    run_tasks()
    assert DBTaskResult.objects.get(pk=retry.pk).status == TaskResultStatus.SUCCESSFUL
    assert mail.outbox[0].to == ["lucia@example.org"]
    user.refresh_from_db()
    assert user.has_usable_password()


def test_retries_stop_after_the_last_delay(mori, run_tasks, settings):
    from sportello.accounts.tasks import staff_credentials_send

    membership = _invite(mori)
    DBTaskResult.objects.all().delete()
    staff_credentials_send.enqueue(membership_id=membership.pk, reason="invite", attempt=len(RETRY_DELAYS))
    settings.EMAIL_BACKEND = "sportello.core.tests.test_tasks_reliability.DownSMTP"
    run_tasks()
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == [TaskResultStatus.FAILED]


def test_a_task_left_running_by_a_dead_worker_is_requeued_and_done(mori, run_tasks):
    _invite(mori)
    task = DBTaskResult.objects.get()
    # A worker claimed it, then died before finishing.
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=20),
        worker_ids=["dead"],
    )
    run_tasks()
    assert mail.outbox == []  # nobody runs a RUNNING task
    assert requeue_stale_tasks(older_than=timedelta(minutes=30)) == 0  # not stale yet by this measure
    call_command("tasks_recover", "--older-than-minutes", "15")
    run_tasks()
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.SUCCESSFUL
    assert len(mail.outbox) == 1
