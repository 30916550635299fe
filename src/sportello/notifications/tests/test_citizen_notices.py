"""Every citizen notice follows the notification preference (e-mail, App IO or both) the same way: application
events, office messages, receipts, appointments (with ``due_date``) and the rooms' helper, ``booking_notify``."""

from datetime import UTC

import pytest
from django.core import mail
from django.utils import timezone

from sportello.accounts.tests.factories import UserFactory
from sportello.applications.services import application_message_post
from sportello.applications.tasks import application_message_notify, application_receipt_send
from sportello.applications.tests.factories import submitted_application
from sportello.core.urlutils import absolute_url
from sportello.notifications.io_content import cta_parse
from sportello.notifications.models import Channels, EmailDelivery, IOMessage
from sportello.notifications.services import booking_notify, notification_preference_set
from sportello.notifications.tasks import _payload
from sportello.scheduling import services as scheduling
from sportello.scheduling.models import Reminder
from sportello.scheduling.tasks import appointment_notify, reminders_send
from sportello.scheduling.tests.conftest import NOW, at
from sportello.scheduling.tests.factories import CalendarFactory, OpeningRuleFactory

from .factories import IOBindingFactory


@pytest.fixture
def service(mori):
    return IOBindingFactory(service__municipality=mori, service__name="Iscrizione al nido d'infanzia").service


@pytest.fixture
def giulia(db):
    return UserFactory(username="giulia", fiscal_code="BNCGLI85M41L378W", email="giulia@example.org")


def _prefer(user, municipality, channels):
    notification_preference_set(user=user, municipality=municipality, channels=channels)


# --- Receipts and office messages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channels", "emails", "io", "recorded"),
    [
        (Channels.BOTH, 1, 1, "sent"),
        (Channels.EMAIL, 1, 0, "sent"),
        (Channels.IO, 0, 1, "not_wanted"),
    ],
)
def test_receipt_follows_the_preference(
    mori, service, giulia, settings, tmp_path, channels, emails, io, recorded
):
    settings.MEDIA_ROOT = tmp_path
    _prefer(giulia, mori, channels)
    application = submitted_application(municipality=mori, applicant=giulia, service=service)
    mail.outbox.clear()
    application_receipt_send.call(application_id=application.pk)
    key = f"application-receipt:{application.pk}"
    receipts = [m for m in mail.outbox if "Ricevuta" in m.subject]
    assert len(receipts) == emails
    if emails:
        assert receipts[0].attachments[0][2] == "application/pdf"
    assert IOMessage.objects.filter(event_key=key).count() == io
    if io:
        body = IOMessage.objects.get(event_key=key).contents["it"]["markdown"]
        assert "è nella tua area personale" in body and "in allegato" not in body
    assert EmailDelivery.objects.get(event_key=key).status == recorded


def test_io_only_citizen_still_gets_the_receipt_by_email_when_the_service_is_not_on_io(
    mori, giulia, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _prefer(giulia, mori, Channels.IO)
    application = submitted_application(municipality=mori, applicant=giulia)  # no IO binding
    mail.outbox.clear()
    application_receipt_send.call(application_id=application.pk)
    assert [m.to for m in mail.outbox if "Ricevuta" in m.subject] == [["giulia@example.org"]]
    assert not IOMessage.objects.exists()


@pytest.mark.parametrize(("channels", "emails", "io"), [(Channels.EMAIL, 1, 0), (Channels.IO, 0, 1)])
def test_office_message_follows_the_preference(mori, service, giulia, mori_admin, channels, emails, io):
    _prefer(giulia, mori, channels)
    application = submitted_application(municipality=mori, applicant=giulia, service=service)
    message = application_message_post(
        application=application, user=mori_admin, body="Porti il modulo firmato."
    )
    mail.outbox.clear()
    application_message_notify.call(message_id=message.pk)
    assert len(mail.outbox) == emails
    key = f"application-message:{message.pk}"
    assert IOMessage.objects.filter(event_key=key).count() == io
    if io:
        assert "Porti il modulo firmato." in IOMessage.objects.get(event_key=key).contents["it"]["markdown"]


# --- Appointments: due_date and the manage link ------------------------------------------------------------------


@pytest.fixture
def calendar(mori, service):
    calendar = CalendarFactory(municipality=mori)
    OpeningRuleFactory(calendar=calendar)
    calendar.services.add(service)
    return calendar


def _book(calendar, service, citizen):
    appointment = scheduling.appointment_hold(
        calendar=calendar, start=at(9, days=2), service=service, citizen=citizen, now=NOW
    )
    return scheduling.appointment_confirm(appointment=appointment, user=citizen, now=NOW)


def test_appointment_confirmation_and_reminder_carry_the_start_as_due_date(calendar, service, giulia):
    appointment = _book(calendar, service, giulia)
    event = appointment.events.get(transition="confirm")
    appointment_notify.call(event_id=event.pk)
    message = IOMessage.objects.get(event_key=f"appointment-event:{event.pk}")
    assert message.due_date == appointment.start
    payload = _payload(message, "it")
    assert payload["content"]["due_date"] == appointment.start.astimezone(UTC).strftime(
        "%Y-%m-%dT%H:%M:%S.000Z"
    )
    assert payload["content"]["due_date"] == "2027-01-13T08:00:00.000Z"  # 09:00 in Rome, winter time
    ctas, body = cta_parse(payload["content"]["markdown"])
    ((text, url),) = ctas["it"]
    assert text == "Gestisci la prenotazione" and url.startswith(absolute_url("/comune-di-mori/it/"))
    assert "In allegato" not in body  # the ICS is the e-mail's, IO has the due date instead
    assert any(m.attachments and m.attachments[0][2] == "text/calendar" for m in mail.outbox)

    Reminder.objects.update(send_at=timezone.now())
    assert reminders_send.call() == 1
    reminder = IOMessage.objects.get(event_key__startswith="appointment-reminder:")
    assert reminder.due_date == appointment.start


def test_appointment_of_an_email_only_citizen_is_not_on_io(calendar, service, giulia, mori):
    _prefer(giulia, mori, Channels.EMAIL)
    appointment = _book(calendar, service, giulia)
    appointment_notify.call(event_id=appointment.events.get(transition="confirm").pk)
    assert not IOMessage.objects.exists() and len(mail.outbox) == 1


def test_booking_helper_for_rooms(mori, service, giulia):
    """What rooms call for their notices: the e-mail and the IO message with the booking's start."""
    start = at(18, days=3)
    result = booking_notify(
        user=giulia,
        municipality=mori,
        service=service,
        event_key="room-booking:1:confirm",
        template="emails/application_message",  # any template; rooms will bring their own
        context={"application": {"number": "SALA-1", "service": service}, "message": {"body": "Sala civica"}},
        start=start,
    )
    assert result["email"] == "sent" and result["io"].due_date == start
    assert not cta_parse(result["io"].contents["it"]["markdown"])[0]  # no manage link given: no button


def test_operator_sees_how_receipt_and_office_messages_went(
    client, mori, service, giulia, mori_admin, settings, tmp_path
):
    from bs4 import BeautifulSoup

    settings.MEDIA_ROOT = tmp_path
    application = submitted_application(municipality=mori, applicant=giulia, service=service)
    application_receipt_send.call(application_id=application.pk)
    message = application_message_post(
        application=application, user=mori_admin, body="Porti il modulo firmato."
    )
    _prefer(giulia, mori, Channels.EMAIL)
    application_message_notify.call(message_id=message.pk)
    client.force_login(mori_admin)
    page = client.get(f"/comune-di-mori/it/operatori/pratiche/{application.pk}/")
    items = [
        li.get_text(" ", strip=True)
        for li in BeautifulSoup(page.content, "html.parser").select('[data-testid="application-notices"] li')
    ]
    assert items == [
        "Ricevuta : E-mail: E-mail inviata · App IO: In coda",
        "Messaggio dell'ufficio : E-mail: E-mail inviata",
    ]
