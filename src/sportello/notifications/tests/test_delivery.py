"""Delivery to App IO: profile check, retries with backoff, final errors, never twice even after a crash."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sportello.accounts.tests.factories import UserFactory
from sportello.notifications import tasks
from sportello.notifications.models import IOMessage, SandboxIOMessage
from sportello.notifications.providers import IONotFound, IOTransient, IOUncertain, Profile
from sportello.notifications.services import io_message_enqueue
from sportello.notifications.tasks import io_message_deliver

from .factories import IOBindingFactory

Status = IOMessage.Status
PAYMENT = {"amount": 2221, "notice_number": "302000000000000123", "payee_fiscal_code": "00123450220"}


@pytest.fixture
def binding(mori):
    return IOBindingFactory(service__municipality=mori, service__name="Carta d'identità elettronica")


@pytest.fixture
def anna(db):
    return UserFactory(username="anna", fiscal_code="BNCNNA80A41L378X", language="de")


def _enqueue(binding, user, **kwargs):
    return io_message_enqueue(
        user=user,
        service=binding.service,
        event_key=kwargs.pop("event_key", "test:1"),
        subject={"it": "Appuntamento confermato", "de": "Termin bestätigt"},
        markdown={"it": "Ti aspettiamo allo sportello.", "de": "Wir erwarten Sie am Schalter."},
        **kwargs,
    )


class ScriptedClient:
    """Answers like IO would, from a script; records every call."""

    def __init__(self, *, profile=None, submit=()):
        self.profile = profile or Profile(sender_allowed=True, preferred_languages=["it_IT"])
        self.submit = list(submit)
        self.calls = []

    def profile_get(self, fiscal_code):
        self.calls.append("profile")
        if isinstance(self.profile, Exception):
            raise self.profile
        return self.profile

    def message_submit(self, fiscal_code, message):
        self.calls.append("submit")
        outcome = self.submit.pop(0) if self.submit else "01ACCEPTED"
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def message_get(self, fiscal_code, message_id):
        self.calls.append("get")
        return {"status": "PROCESSED"}


def _retries():
    return DBTaskResult.objects.filter(task_path="sportello.notifications.tasks.io_message_deliver")


def test_message_reaches_the_sandbox_inbox_in_the_citizens_language(binding, anna):
    message = _enqueue(binding, anna, due_date=timezone.now() + timedelta(days=3), payment_data=PAYMENT)
    assert io_message_deliver.call(message_id=message.pk) == Status.ACCEPTED
    message.refresh_from_db()
    stored = SandboxIOMessage.objects.get()
    assert message.io_id == stored.io_id and message.language == "de"
    assert stored.content["subject"] == "Termin bestätigt"
    assert stored.content["due_date"].endswith("Z")
    assert stored.content["payment_data"] == {
        "amount": 2221,
        "notice_number": "302000000000000123",
        "invalid_after_due_date": False,
        "payee": {"fiscal_code": "00123450220"},
    }
    assert [a.outcome for a in message.attempts.all()] == ["accepted"]


def test_throttled_and_server_errors_are_retried_with_backoff_then_sent(binding, anna, scripted):
    client = scripted(ScriptedClient(submit=[IOTransient("Too many requests", status=429), "01OK"]))
    message = _enqueue(binding, anna)
    _retries().delete()
    assert io_message_deliver.call(message_id=message.pk) == Status.PENDING
    retry = _retries().get()
    assert retry.args_kwargs["kwargs"] == {"attempt": 1, "message_id": message.pk}
    assert retry.run_after > timezone.now() + timedelta(seconds=50)
    assert io_message_deliver.call(message_id=message.pk, attempt=1) == Status.ACCEPTED
    message.refresh_from_db()
    assert message.io_id == "01OK" and client.calls == ["profile", "submit", "profile", "submit"]
    assert [(a.http_status, a.outcome) for a in message.attempts.all()] == [
        (429, "IOTransient"),
        (None, "accepted"),
    ]


def test_server_error_on_the_profile_is_retried(binding, anna, scripted):
    scripted(ScriptedClient(profile=IOTransient("HTTP 503", status=503)))
    message = _enqueue(binding, anna)
    _retries().delete()
    assert io_message_deliver.call(message_id=message.pk) == Status.PENDING
    assert _retries().count() == 1


def test_retries_stop_after_the_last_delay(binding, anna, scripted):
    scripted(ScriptedClient(submit=[IOTransient("HTTP 500", status=500)]))
    message = _enqueue(binding, anna)
    _retries().delete()
    assert io_message_deliver.call(message_id=message.pk, attempt=len(tasks.RETRY_DELAYS)) == Status.FAILED
    assert not _retries().exists()


def test_no_io_profile_is_final_and_not_retried(binding, anna, scripted):
    client = scripted(ScriptedClient(profile=IONotFound("No user found", status=404)))
    message = _enqueue(binding, anna)
    _retries().delete()
    assert io_message_deliver.call(message_id=message.pk) == Status.NO_PROFILE
    assert io_message_deliver.call(message_id=message.pk) == Status.NO_PROFILE
    assert client.calls == ["profile"] and not _retries().exists()


def test_sender_not_allowed_is_final_and_nothing_is_submitted(binding, anna, scripted):
    client = scripted(ScriptedClient(profile=Profile(sender_allowed=False)))
    message = _enqueue(binding, anna)
    _retries().delete()
    assert io_message_deliver.call(message_id=message.pk) == Status.NOT_ALLOWED
    assert "submit" not in client.calls and not _retries().exists()


def test_unknown_fiscal_code_on_the_sandbox_has_no_profile(binding, anna):
    message = _enqueue(binding, anna)
    IOMessage.objects.filter(pk=message.pk).update(fiscal_code="RSSMRA80A01H501U")
    assert io_message_deliver.call(message_id=message.pk) == Status.NO_PROFILE


def test_enqueueing_twice_for_one_event_sends_once(binding, anna):
    first = _enqueue(binding, anna)
    second = _enqueue(binding, anna)
    assert first.pk == second.pk
    for _ in range(2):
        io_message_deliver.call(message_id=first.pk)
    assert SandboxIOMessage.objects.count() == 1


class WorkerDied(BaseException):
    """Stands for the process being killed: not an Exception, nothing in the task catches it."""


def test_worker_dying_after_io_accepted_never_sends_twice(binding, anna, monkeypatch):
    """IO stores the message, then the worker dies before it records IO's id; the requeued task runs again."""
    from sportello.notifications.providers.io_sandbox import SandboxIOClient

    real_submit = SandboxIOClient.message_submit

    def accepted_then_died(self, fiscal_code, message):
        real_submit(self, fiscal_code, message)
        raise WorkerDied

    message = _enqueue(binding, anna)
    monkeypatch.setattr(SandboxIOClient, "message_submit", accepted_then_died)
    with pytest.raises(WorkerDied):
        io_message_deliver.call(message_id=message.pk)
    monkeypatch.setattr(SandboxIOClient, "message_submit", real_submit)

    io_message_deliver.call(message_id=message.pk)  # the stale-task recovery runs it again
    io_message_deliver.call(message_id=message.pk)
    assert SandboxIOMessage.objects.filter(fiscal_code=anna.fiscal_code).count() == 1
    message.refresh_from_db()
    assert message.status == Status.UNCERTAIN


def test_run_again_after_acceptance_reconciles_instead_of_sending(binding, anna):
    message = _enqueue(binding, anna)
    io_message_deliver.call(message_id=message.pk)
    io_message_deliver.call(message_id=message.pk)  # the worker died after committing IO's id
    message.refresh_from_db()
    assert SandboxIOMessage.objects.count() == 1
    assert message.status == Status.ACCEPTED and message.io_status == "PROCESSED"
    assert [a.operation for a in message.attempts.all()] == ["submit", "status"]


def test_read_timeout_on_submit_is_not_resent(binding, anna, scripted):
    client = scripted(ScriptedClient(submit=[IOUncertain("no answer: timed out")]))
    message = _enqueue(binding, anna)
    assert io_message_deliver.call(message_id=message.pk) == Status.UNCERTAIN
    assert io_message_deliver.call(message_id=message.pk) == Status.UNCERTAIN
    assert client.calls.count("submit") == 1


def test_periodic_reconcile_reads_the_status_of_accepted_messages(binding, anna):
    message = _enqueue(binding, anna)
    io_message_deliver.call(message_id=message.pk)
    assert tasks.io_messages_reconcile.call() == 1
    message.refresh_from_db()
    assert message.io_status == "PROCESSED"
    assert tasks.io_messages_reconcile.call() == 0


def test_sandbox_is_refused_where_not_enabled(binding, anna, settings):
    from django.core.exceptions import ImproperlyConfigured

    message = _enqueue(binding, anna)
    settings.SANDBOX_PROVIDERS = ["demo_idp"]
    with pytest.raises(ImproperlyConfigured):
        io_message_deliver.call(message_id=message.pk)


def test_http_client_tells_a_refused_connection_from_a_lost_answer(monkeypatch):
    """Refused: IO never saw the request, retry. Timed out after sending: IO may have it, do not resend."""
    import socket

    from sportello.notifications.providers.io import HttpIOClient

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = HttpIOClient(base_url=f"http://127.0.0.1:{port}", api_key="k")
    with pytest.raises(IOTransient):
        client.message_submit("BNCNNA80A41L378X", {"content": {}})

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    monkeypatch.setattr("sportello.notifications.providers.io.TIMEOUT_SECONDS", 0.3)
    client = HttpIOClient(base_url=f"http://127.0.0.1:{listener.getsockname()[1]}", api_key="k")
    try:
        with pytest.raises(IOUncertain):
            client.message_submit(
                "BNCNNA80A41L378X", {"content": {}}
            )  # accepted by the kernel, never answered
        with pytest.raises(IOTransient):
            client.profile_get("BNCNNA80A41L378X")  # a read is safe to retry
    finally:
        listener.close()


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_message_submit_it_once(mori, monkeypatch):
    """The same delivery running twice at once (a requeued task whose worker was only slow): one POST."""
    import threading

    from django.db import connection

    from sportello.notifications.providers.io_sandbox import SandboxIOClient

    binding = IOBindingFactory(service__municipality=mori)
    anna = UserFactory(username="anna", fiscal_code="BNCNNA80A41L378X")
    message = _enqueue(binding, anna)
    barrier = threading.Barrier(2)
    real_profile = SandboxIOClient.profile_get

    def profile_then_wait(self, fiscal_code):
        profile = real_profile(self, fiscal_code)
        barrier.wait(timeout=10)  # both workers have checked the profile: now they race to send
        return profile

    monkeypatch.setattr(SandboxIOClient, "profile_get", profile_then_wait)
    outcomes = []

    def worker():
        try:
            outcomes.append(io_message_deliver.call(message_id=message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert SandboxIOMessage.objects.count() == 1
    assert len(outcomes) == 2 and Status.ACCEPTED in outcomes
