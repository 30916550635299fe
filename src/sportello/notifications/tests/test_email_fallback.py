"""A citizen who chose "only App IO" still gets the notice when IO refuses it for good (no IO profile,
``sender_allowed`` false, the service not allowed): the same e-mail, once, recorded for the operator."""

import smtplib

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from sportello.accounts.tests.factories import UserFactory
from sportello.applications.tasks import application_receipt_send
from sportello.applications.tests.factories import submitted_application
from sportello.notifications.models import Channels, EmailDelivery, IOAttempt, IOMessage
from sportello.notifications.providers import IOForbidden, IONotFound, Profile
from sportello.notifications.selectors import deliveries_for_application_notices
from sportello.notifications.services import notification_preference_set
from sportello.notifications.tasks import io_message_deliver, io_message_email_fallback

from .factories import IOBindingFactory
from .test_delivery import ScriptedClient

Status = IOMessage.Status
REFUSALS = {
    "no profile": (dict(profile=IONotFound("no profile", status=404)), Status.NO_PROFILE),
    "sender not allowed": (dict(profile=Profile(sender_allowed=False)), Status.NOT_ALLOWED),
    "service forbidden at the profile": (
        dict(profile=IOForbidden("Forbidden", status=403)),
        Status.FORBIDDEN,
    ),
    "service forbidden at the message": (
        dict(submit=[IOForbidden("Forbidden", status=403)]),
        Status.FORBIDDEN,
    ),
}


@pytest.fixture
def receipt(mori, settings, tmp_path):
    """The receipt of an application of an IO-bound service, for a citizen who wants App IO only."""
    settings.MEDIA_ROOT = tmp_path
    service = IOBindingFactory(
        service__municipality=mori, service__name="Iscrizione al nido d'infanzia"
    ).service
    giulia = UserFactory(username="giulia", fiscal_code="BNCGLI85M41L378W", email="giulia@example.org")
    notification_preference_set(user=giulia, municipality=mori, channels=Channels.IO)
    application = submitted_application(municipality=mori, applicant=giulia, service=service)
    mail.outbox.clear()
    application_receipt_send.call(application_id=application.pk)
    assert not [m for m in mail.outbox if "Ricevuta" in m.subject]  # IO only: no e-mail for now
    return IOMessage.objects.get(event_key=f"application-receipt:{application.pk}")


def _fallbacks():
    return DBTaskResult.objects.filter(task_path__endswith="io_message_email_fallback")


def _receipts():
    return [m for m in mail.outbox if "Ricevuta" in m.subject]


@pytest.mark.parametrize("refusal", REFUSALS, ids=list(REFUSALS))
def test_a_final_refusal_of_io_sends_the_same_notice_by_email_once(receipt, scripted, refusal):
    script, status = REFUSALS[refusal]
    scripted(ScriptedClient(**script))
    assert io_message_deliver.call(message_id=receipt.pk) == status
    assert _fallbacks().count() == 1  # queued with the refusal
    assert io_message_email_fallback.call(message_id=receipt.pk) == "sent"
    (sent,) = _receipts()
    assert sent.to == ["giulia@example.org"]
    assert sent.attachments[0][0].startswith("ricevuta-") and sent.attachments[0][2] == "application/pdf"
    assert sent.attachments[0][1].startswith(b"%PDF")
    assert EmailDelivery.objects.get(event_key=receipt.event_key).status == EmailDelivery.Status.FALLBACK
    assert IOAttempt.objects.filter(message=receipt, operation="fallback", outcome="email_sent").count() == 1
    # run again (a retried or requeued task), and the delivery too: nothing more is sent or queued
    assert io_message_email_fallback.call(message_id=receipt.pk) == "already sent"
    assert io_message_deliver.call(message_id=receipt.pk) == status
    assert len(_receipts()) == 1 and _fallbacks().count() == 1


def test_the_operator_sees_the_email_sent_instead_of_io(receipt, scripted):
    scripted(ScriptedClient(profile=IONotFound("no profile", status=404)))
    io_message_deliver.call(message_id=receipt.pk)
    io_message_email_fallback.call(message_id=receipt.pk)
    application = receipt.service.applications.get()
    ((_what, channels),) = deliveries_for_application_notices(application)
    assert ("E-mail", "E-mail inviata perché App IO non ha recapitato l'avviso", True) in channels
    assert ("App IO", "Il cittadino non usa App IO", False) in channels
    # the receipt task retried after that does not hide the e-mail behind "the citizen prefers App IO"
    application_receipt_send.call(application_id=application.pk)
    assert EmailDelivery.objects.get(event_key=receipt.event_key).status == EmailDelivery.Status.FALLBACK


def test_a_message_io_accepted_sends_no_email(receipt, scripted):
    scripted(ScriptedClient())
    assert io_message_deliver.call(message_id=receipt.pk) == Status.ACCEPTED
    assert not _fallbacks().exists()
    assert io_message_email_fallback.call(message_id=receipt.pk) == "not refused"
    assert not _receipts()


def test_a_citizen_with_both_channels_has_no_fallback_they_already_had_the_email(mori, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    service = IOBindingFactory(service__municipality=mori).service
    giulia = UserFactory(username="giulia", fiscal_code="BNCGLI85M41L378W", email="giulia@example.org")
    application = submitted_application(municipality=mori, applicant=giulia, service=service)
    application_receipt_send.call(application_id=application.pk)
    assert IOMessage.objects.get(event_key=f"application-receipt:{application.pk}").fallback_email is None


def test_an_smtp_failure_is_retried_and_the_email_still_goes_once(receipt, scripted, monkeypatch):
    from sportello.notifications import email

    scripted(ScriptedClient(profile=Profile(sender_allowed=False)))
    io_message_deliver.call(message_id=receipt.pk)
    original = email.EmailMultiAlternatives.send

    def down(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(email.EmailMultiAlternatives, "send", down)
    with pytest.raises(smtplib.SMTPServerDisconnected):  # this run fails ...
        io_message_email_fallback.call(message_id=receipt.pk)
    receipt.refresh_from_db()
    assert receipt.fallback_sent_at is None  # rolled back: not marked as sent
    assert _fallbacks().count() == 2  # the retry is queued
    monkeypatch.setattr(email.EmailMultiAlternatives, "send", original)
    assert io_message_email_fallback.call(message_id=receipt.pk) == "sent"
    assert io_message_email_fallback.call(message_id=receipt.pk) == "already sent"
    assert len(_receipts()) == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_the_email_once(receipt, scripted, monkeypatch):
    """A requeued task running beside the first: the message's row lock lets one send, the other finds it sent."""
    import threading
    import time

    from django.db import connection

    from sportello.notifications import email

    scripted(ScriptedClient(profile=IONotFound("no profile", status=404)))
    io_message_deliver.call(message_id=receipt.pk)
    original = email.EmailMultiAlternatives.send

    def slow(self, *args, **kwargs):  # the SMTP conversation takes a while
        time.sleep(0.3)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(email.EmailMultiAlternatives, "send", slow)
    barrier, outcomes = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            outcomes.append(io_message_email_fallback.call(message_id=receipt.pk))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(_receipts()) == 1, outcomes
    assert "sent" in outcomes


def test_the_real_client_reads_403_as_a_final_refusal():
    """IO answers 403 when the service may not send: ``IOForbidden`` (final), never retried as a 5xx is."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from sportello.notifications.providers.io import HttpIOClient

    class Forbidden(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"title": "Forbidden", "detail": "service not allowed"}).encode()
            self.send_response(403)
            self.send_header("Content-Type", "application/problem+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Forbidden)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    try:
        client = HttpIOClient(base_url=f"http://127.0.0.1:{server.server_port}", api_key="k")
        with pytest.raises(IOForbidden, match="service not allowed") as raised:
            client.profile_get("BNCGLI85M41L378W")
        assert raised.value.status == 403 and raised.value.retry is False
    finally:
        thread.join(5)
        server.server_close()
