"""Room notices on the citizen's channels: every citizen-facing event through ``booking_notify`` (e-mail with the
ICS and/or App IO through the room's catalogue service, ``due_date`` = the start, "Gestisci la prenotazione"),
once per event; and the reminders before each date of a confirmed booking, stored rows sent once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from sportello.notifications.io_content import cta_parse
from sportello.notifications.models import Channels, EmailDelivery, IOMessage
from sportello.notifications.services import notification_preference_set
from sportello.notifications.tests.factories import IOBindingFactory
from sportello.payments.models import Status
from sportello.payments.providers import PositionStatus
from sportello.payments.services import payment_apply_status
from sportello.rooms import services
from sportello.rooms.models import RoomBookingEvent, RoomReminder
from sportello.rooms.states import State
from sportello.rooms.tasks import room_booking_notify, room_reminders_send

from .conftest import DETAILS, NOW, at


@pytest.fixture
def card(mori, room):
    """The rooms' catalogue service, bound to App IO, bound to the room."""
    service = IOBindingFactory(
        service__municipality=mori, service__kind="room", service__name="Prenotazione spazi comunali"
    ).service
    room.service = service
    room.save()
    return service


@pytest.fixture
def giulia(citizen):
    citizen.email = "giulia@example.org"
    citizen.save()
    return citizen


def _submitted(room, citizen, ranges=None):
    booking = services.room_booking_hold(
        room=room, citizen=citizen, ranges=ranges or [(at(18), at(21))], category="resident", now=NOW
    )
    services.room_booking_details_save(booking=booking, citizen=citizen, values=DETAILS, now=NOW)
    return services.room_booking_submit(booking=booking, citizen=citizen, now=NOW)


def _pay(payment):
    payment_apply_status(payment=payment, observed=PositionStatus(status=Status.PENDING))
    payment_apply_status(payment=payment, observed=PositionStatus(status=Status.PAID))


def _notify_all(booking):
    for event in RoomBookingEvent.objects.filter(booking=booking).order_by("pk"):
        room_booking_notify.call(event_id=event.pk)


def test_every_citizen_facing_event_reaches_app_io_with_the_start_and_the_manage_button(
    card, room, giulia, mori_operator, mori_payments
):
    booking = services.room_booking_approve(booking=_submitted(room, giulia), user=mori_operator, now=NOW)
    payment_apply_status(payment=booking.fee_payment, observed=PositionStatus(status=Status.FAILED))
    booking.refresh_from_db()
    booking = services.room_booking_pay_again(booking=booking, citizen=giulia)
    booking.refresh_from_db()
    _pay(booking.fee_payment)
    _pay(booking.deposit_payment)
    mail.outbox.clear()
    _notify_all(booking)  # each event as the worker sends it, right after it happened
    booking = services.room_booking_cancel(booking=booking, user=giulia, now=NOW)
    room_booking_notify.call(event_id=booking.events.get(transition="cancel").pk)
    messages = list(IOMessage.objects.filter(event_key__startswith="room-booking-event:").order_by("pk"))
    transitions = [RoomBookingEvent.objects.get(pk=m.event_key.split(":")[1]).transition for m in messages]
    assert transitions == ["request", "approve", "payment_failed", "paid", "cancel"]
    assert all(m.service == card and m.due_date == booking.first_start for m in messages)
    subjects = [m.contents["it"]["subject"] for m in messages]
    assert "Sala: pagamento non riuscito, puoi pagare di nuovo" in subjects[2]
    assert "Prenotazione della sala confermata" in subjects[3]
    ctas, body = cta_parse(messages[3].contents["it"]["markdown"])
    ((text, url),) = ctas["it"]
    assert text == "Gestisci la prenotazione" and "/spazi/gestisci/" in url
    assert "In allegato" not in body
    failed_ctas, _body = cta_parse(messages[2].contents["it"]["markdown"])
    assert f"/spazi/prenotazioni/{booking.uid}/" in failed_ctas["it"][0][1]  # where "Paga di nuovo" is
    assert not cta_parse(messages[4].contents["it"]["markdown"])[0]  # cancelled: nothing to manage
    # the e-mail still carries the ICS file
    assert len(mail.outbox) == 5
    assert all(m.attachments[0][0] == "prenotazione-sala.ics" for m in mail.outbox)


def test_a_retried_notice_is_sent_once_on_app_io(card, room, giulia):
    booking = _submitted(room, giulia)
    event = booking.events.get(transition="request")
    room_booking_notify.call(event_id=event.pk)
    room_booking_notify.call(event_id=event.pk)
    assert IOMessage.objects.filter(event_key=f"room-booking-event:{event.pk}").count() == 1


def test_io_only_citizen_gets_no_email_but_does_when_the_room_has_no_service(card, room, giulia, mori):
    notification_preference_set(user=giulia, municipality=mori, channels=Channels.IO)
    booking = _submitted(room, giulia)
    mail.outbox.clear()
    _notify_all(booking)
    event = booking.events.get(transition="request")
    assert mail.outbox == []
    assert EmailDelivery.objects.get(event_key=f"room-booking-event:{event.pk}").status == "not_wanted"
    room.service = None
    room.save()
    room_booking_notify.call(event_id=event.pk)
    assert len(mail.outbox) == 1  # no IO binding: the preference never makes a notice vanish


def test_release_after_the_grace_period_is_told_to_the_citizen(
    card, room, giulia, mori_operator, mori_payments
):
    booking = services.room_booking_approve(booking=_submitted(room, giulia), user=mori_operator, now=NOW)
    payment_apply_status(payment=booking.fee_payment, observed=PositionStatus(status=Status.EXPIRED))
    services.RoomBooking.objects.filter(pk=booking.pk).update(payment_grace_until=timezone.now())
    services.room_payment_grace_release_expired()
    event = booking.events.get(transition="release")
    room_booking_notify.call(event_id=event.pk)
    assert mail.outbox[-1].subject == "Sala liberata: pagamento non arrivato: Sala consiliare"
    assert IOMessage.objects.filter(event_key=f"room-booking-event:{event.pk}").exists()


# --- Reminders ----------------------------------------------------------------------------------------------------


def _confirmed(room, citizen, ranges):
    booking = _submitted(room, citizen, ranges)
    booking = services.room_booking_approve(booking=booking, user=None, now=NOW)
    booking.refresh_from_db()
    _pay(booking.fee_payment)
    _pay(booking.deposit_payment)
    booking.refresh_from_db()
    assert booking.state == State.CONFIRMED
    return booking


def test_confirmation_stores_one_reminder_per_date_before_it(card, room, giulia, mori_payments):
    room.reminder_hours = 36
    room.save()
    ranges = [(at(18), at(21)), (at(18, days=14), at(21, days=14))]
    booking = _confirmed(room, giulia, ranges)
    reminders = list(RoomReminder.objects.filter(booking=booking).order_by("send_at"))
    assert [(r.occupancy.start, r.send_at) for r in reminders] == [
        (start, start - timedelta(hours=36)) for start, _end in ranges
    ]


def test_no_reminders_when_the_room_asks_none_and_cancel_drops_them(card, room, giulia, mori_payments):
    room.reminder_hours = 0
    room.save()
    assert not RoomReminder.objects.filter(booking=_confirmed(room, giulia, [(at(18), at(21))])).exists()
    room.reminder_hours = 24
    room.save()
    booking = _confirmed(room, giulia, [(at(9), at(11))])
    assert RoomReminder.objects.filter(booking=booking).count() == 1
    services.room_booking_cancel(booking=booking, user=giulia, now=NOW)
    assert not RoomReminder.objects.filter(booking=booking).exists()


def test_due_reminders_are_sent_once_with_the_date_as_due_date(card, room, giulia, mori_payments, settings):
    assert "sportello.rooms.tasks.room_reminders_send" in [p for p, _i in settings.PERIODIC_TASKS.values()]
    ranges = [(at(18), at(21)), (at(18, days=14), at(21, days=14))]
    booking = _confirmed(room, giulia, ranges)
    first = RoomReminder.objects.filter(booking=booking).order_by("send_at").first()
    RoomReminder.objects.filter(pk=first.pk).update(send_at=timezone.now())
    mail.outbox.clear()
    assert room_reminders_send.call() == 1
    assert room_reminders_send.call() == 0  # sent once
    message = IOMessage.objects.get(event_key=f"room-reminder:{first.pk}")
    assert message.due_date == ranges[0][0]
    assert "Promemoria" in message.contents["it"]["subject"]
    assert [m.subject for m in mail.outbox] == ["Promemoria: sala Sala consiliare, 18 Gennaio 2027, 18:00"]
    assert RoomReminder.objects.filter(sent_at__isnull=True).count() == 1  # the second date's is not due


def test_a_reminder_of_a_booking_no_longer_confirmed_is_not_sent(card, room, giulia, mori_payments):
    booking = _confirmed(room, giulia, [(at(18), at(21))])
    RoomReminder.objects.update(send_at=timezone.now())
    services.RoomBooking.objects.filter(pk=booking.pk).update(state=State.CANCELLED)
    assert room_reminders_send.call() == 0
    assert not IOMessage.objects.filter(event_key__startswith="room-reminder:").exists()
