"""Appointment and payment events as webhooks: recorded in the transaction of the change, one per webhook
listening to the event, delivered signed like the application events."""

import json
import time

import pytest
from django.utils import timezone

from sportello.api.tests.conftest import (
    first_free_slot,
    mori_room,  # noqa: F401 (fixture)
)
from sportello.integrations import signing
from sportello.integrations.models import Event, WebhookDelivery
from sportello.integrations.services import webhook_create
from sportello.integrations.tasks import webhook_deliver
from sportello.scheduling import services as scheduling
from sportello.scheduling.states import Actor

from .test_webhooks import receiver  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

APPOINTMENT_EVENTS = [e for e in Event.values if e.startswith("appointment.")]
PAYMENT_EVENTS = [e for e in Event.values if e.startswith("payment.")]


def _events():
    return [(d.event, d.payload["data"]) for d in WebhookDelivery.objects.order_by("created_at", "pk")]


@pytest.fixture
def calendar(mori):
    from sportello.catalog.constants import Kind
    from sportello.catalog.tests.factories import ServiceFactory
    from sportello.scheduling.tests.factories import CalendarFactory, OpeningRuleFactory

    calendar = CalendarFactory(municipality=mori, moderated=True)
    OpeningRuleFactory(calendar=calendar, weekdays=list(range(7)), capacity=2)
    calendar.services.add(ServiceFactory(municipality=mori, kind=Kind.APPOINTMENT, slug="cie"))
    return calendar


def _book(calendar, citizen, start=None):
    held = scheduling.appointment_hold(
        calendar=calendar,
        start=start or first_free_slot(calendar).start,
        citizen=citizen,
        service=calendar.services.get(),
    )
    return scheduling.appointment_confirm(
        appointment=held, user=citizen, first_name="Maria", last_name="Rossi"
    )


def test_the_life_of_an_appointment_is_told_to_the_webhooks(mori, mori_admin, trento, calendar, citizen):
    webhook_create(municipality=mori, url="https://example.org/a", events=APPOINTMENT_EVENTS)
    webhook_create(municipality=mori, url="https://example.org/b", events=[Event.APPOINTMENT_CANCELLED])
    webhook_create(municipality=trento, url="https://example.org/c", events=APPOINTMENT_EVENTS)
    appointment = _book(calendar, citizen)  # moderated: pending
    assert _events()[0][0] == "appointment.booked"
    data = _events()[0][1]
    assert data["appointment"] == {
        "id": appointment.pk,
        "calendar": calendar.pk,
        "service": "cie",
        "application": None,
        "state": "pending",
        "start": appointment.start.isoformat(),
        "end": appointment.end.isoformat(),
    }
    assert (data["transition"], data["from_state"], data["to_state"], data["actor_kind"]) == (
        "submit",
        "held",
        "pending",
        "citizen",
    )
    assert "Rossi" not in json.dumps(data)  # ids and states, no personal data
    scheduling.appointment_approve(appointment=appointment, user=mori_admin)
    later = first_free_slot(calendar, days=(5, 30)).start
    scheduling.appointment_reschedule(
        appointment=appointment, start=later, user=mori_admin, actor=Actor.OPERATOR
    )
    moved = _events()[-1]
    assert moved[0] == "appointment.moved" and moved[1]["appointment"]["start"] == later.isoformat()
    scheduling.appointment_cancel(appointment=appointment, user=mori_admin, actor=Actor.OPERATOR)
    assert [e for e, _ in _events()] == [
        "appointment.booked",
        "appointment.approved",
        "appointment.moved",
        "appointment.cancelled",
        "appointment.cancelled",  # the second webhook listens to cancellations only
    ]
    assert not WebhookDelivery.objects.filter(municipality=trento).exists()


def test_done_and_missed(mori, mori_admin, calendar, citizen):
    webhook_create(municipality=mori, url="https://example.org/a", events=APPOINTMENT_EVENTS)
    calendar.moderated = False
    calendar.save()
    first, second = _book(calendar, citizen), _book(calendar, citizen)
    assert first.start == second.start  # capacity 2
    after = first.start + timezone.timedelta(minutes=1)
    scheduling.appointment_done(appointment=first, user=mori_admin)
    scheduling.appointment_missed(appointment=second, user=mori_admin, now=after)
    assert [e for e, _ in _events()] == [
        "appointment.booked",
        "appointment.booked",
        "appointment.done",
        "appointment.missed",
    ]


def test_an_expired_hold_is_not_an_event_and_a_refused_booking_records_nothing(mori, calendar, citizen):
    webhook_create(municipality=mori, url="https://example.org/a", events=APPOINTMENT_EVENTS)
    slot = first_free_slot(calendar)
    held = scheduling.appointment_hold(calendar=calendar, start=slot.start, citizen=citizen)
    scheduling.holds_release(now=held.hold_until + timezone.timedelta(seconds=1))
    held.refresh_from_db()
    assert held.state == "cancelled" and _events() == []
    _book(calendar, citizen, slot.start)
    _book(calendar, citizen, slot.start)
    with pytest.raises(scheduling.SlotUnavailable):  # the slot is full: nothing booked, nothing told
        _book(calendar, citizen, slot.start)
    assert [e for e, _ in _events()] == ["appointment.booked", "appointment.booked"]


@pytest.fixture
def awaiting(mori, citizen):
    from sportello.payments.services import payment_publish_now, payment_request_at_submission
    from sportello.payments.tests.factories import cie_service, filled_application, payment_settings

    payment_settings(mori)
    application = filled_application(cie_service(mori), citizen)
    payment = payment_request_at_submission(application=application, user=citizen)
    return payment_publish_now(payment=payment)


def _observed(status, payment=None):
    from sportello.payments.providers import PositionStatus

    if status == "paid":
        return PositionStatus(
            status="paid", paid_at=timezone.now(), paid_cents=payment.amount_cents, psp="PSP", receipt_id="R9"
        )
    return PositionStatus(status=status)


def test_a_paid_payment_is_told_once_with_its_receipt(mori, awaiting, receiver):  # noqa: F811
    from sportello.payments.services import payment_apply_status

    server = receiver(200)
    created = webhook_create(municipality=mori, url=server.url, events=PAYMENT_EVENTS)
    payment_apply_status(payment=awaiting, observed=_observed("paid", awaiting))
    payment_apply_status(payment=awaiting, observed=_observed("paid", awaiting))  # the same news again
    payment_apply_status(payment=awaiting, observed=_observed("failed"))  # late, after paid: ignored
    [(event, data)] = _events()
    assert event == "payment.paid"
    assert data["payment"]["id"] == awaiting.pk and data["payment"]["receipt_id"] == "R9"
    assert data["payment"]["paid_cents"] == 2221 and data["payment"]["paid_at"]
    assert data["application"]["id"] == awaiting.application_id
    delivery = WebhookDelivery.objects.get()
    assert webhook_deliver.call(delivery_id=str(delivery.pk)) == "delivered"
    headers, body = server.requests[0]
    assert signing.verify(
        created.secret,
        msg_id=headers["webhook-id"],
        timestamp=headers["webhook-timestamp"],
        signature=headers["webhook-signature"],
        body=body,
        now=int(time.time()),
    )
    assert json.loads(body)["type"] == "payment.paid"


@pytest.mark.parametrize("status", ["failed", "expired"])
def test_failed_and_expired_payments(mori, awaiting, status):
    from sportello.payments.services import payment_apply_status

    webhook_create(municipality=mori, url="https://example.org/a", events=PAYMENT_EVENTS)
    payment_apply_status(payment=awaiting, observed=_observed(status))
    assert [(e, d["payment"]["status"]) for e, d in _events()] == [(f"payment.{status}", status)]


def test_a_webhook_hears_only_the_events_it_chose(mori, awaiting):
    from sportello.payments.services import payment_apply_status

    webhook_create(municipality=mori, url="https://example.org/a", events=[Event.PAYMENT_FAILED])
    payment_apply_status(payment=awaiting, observed=_observed("paid", awaiting))
    assert _events() == []


# --- room bookings ---

ROOM_EVENTS = [e for e in Event.values if e.startswith("room_booking.")]


def test_the_life_of_a_room_booking_is_told_to_the_webhooks(mori, mori_admin, trento, mori_room, citizen):  # noqa: F811
    from sportello.api.tests.conftest import booking_day, requested
    from sportello.payments.services import payment_apply_status, payment_publish_now
    from sportello.rooms import services as rooms

    webhook_create(municipality=mori, url="https://example.org/a", events=ROOM_EVENTS)
    webhook_create(municipality=trento, url="https://example.org/c", events=ROOM_EVENTS)
    booking = requested(mori_room, citizen, booking_day())
    [(event, data)] = _events()
    assert event == "room_booking.requested"
    assert data["room_booking"] == {
        "id": booking.pk,
        "room": mori_room.pk,
        "state": "requested",
        "category": "resident",
        "first_start": booking.first_start.isoformat(),
        "ranges": [
            {"start": o.start.isoformat(), "end": o.end.isoformat()} for o in booking.occupancies.all()
        ],
        "fee_cents": 6000,
        "deposit_cents": 5000,
        "patronage": False,
    }
    assert (data["transition"], data["from_state"], data["to_state"]) == ("request", "held", "requested")
    text = json.dumps(data)
    for personal in ("Rossi", citizen.fiscal_code, "Assemblea", citizen.email or "@"):
        assert personal not in text  # ids, states and times: no personal data

    booking = rooms.room_booking_approve(booking=booking, user=mori_admin)
    assert _events()[-1][0] == "room_booking.approved"
    for payment in (booking.fee_payment, booking.deposit_payment):
        payment_publish_now(payment=payment)
        payment_apply_status(payment=payment, observed=_observed("paid", payment))
    assert [e for e, _ in _events() if e.startswith("room_booking.")] == [
        "room_booking.requested",
        "room_booking.approved",
        "room_booking.confirmed",
    ]
    assert _events()[-1][1]["transition"] == "paid"
    rooms.room_booking_cancel(booking=booking, user=mori_admin, by_office=True, motivation="Inagibile")
    assert _events()[-1][0] == "room_booking.cancelled"
    assert not WebhookDelivery.objects.filter(municipality=trento).exists()


def test_refused_free_and_abandoned_room_bookings(mori, mori_admin, mori_room, citizen):  # noqa: F811
    from sportello.api.tests.conftest import at, booking_day, requested
    from sportello.rooms import services as rooms

    webhook_create(municipality=mori, url="https://example.org/a", events=ROOM_EVENTS)
    refused = requested(mori_room, citizen, booking_day())
    rooms.room_booking_refuse(booking=refused, user=mori_admin, motivation="Sala già promessa")
    mori_room.deposit_cents = 0
    mori_room.save()
    free = requested(mori_room, citizen, booking_day(14), category="local_association")
    rooms.room_booking_approve(booking=free, user=mori_admin)  # nothing to pay: confirmed at once
    day = booking_day(21)
    held = rooms.room_booking_hold(
        room=mori_room, citizen=citizen, ranges=[(at(day, 9), at(day, 10))], category="resident"
    )
    rooms.room_booking_cancel(booking=held, user=citizen)  # a hold abandoned: never a request
    rooms.room_holds_release_expired(now=timezone.now() + timezone.timedelta(days=1))
    assert [(e, d["transition"]) for e, d in _events()] == [
        ("room_booking.requested", "request"),
        ("room_booking.refused", "refuse"),
        ("room_booking.requested", "request"),
        ("room_booking.confirmed", "confirm_free"),
    ]


def test_a_room_change_that_rolls_back_tells_nothing(mori, mori_admin, mori_room, citizen):  # noqa: F811
    """The delivery is written in the change's own transaction: no change, no delivery."""
    from django.db import transaction

    from sportello.api.tests.conftest import booking_day, requested
    from sportello.rooms import services as rooms

    webhook_create(municipality=mori, url="https://example.org/a", events=ROOM_EVENTS)
    booking = requested(mori_room, citizen, booking_day())
    with pytest.raises(RuntimeError), transaction.atomic():
        rooms.room_booking_refuse(booking=booking, user=mori_admin, motivation="No")
        assert _events()[-1][0] == "room_booking.refused"
        raise RuntimeError("the office's transaction fails after the refusal")
    assert [e for e, _ in _events()] == ["room_booking.requested"]


def test_a_failed_room_payment_and_paying_again_tell_nothing_new(mori, mori_admin, mori_room, citizen):  # noqa: F811
    """A failed payment and "Paga di nuovo" keep the booking approved: no second "approved" event; the
    release at the end of the grace period is the cancellation."""
    from sportello.api.tests.conftest import booking_day, requested
    from sportello.payments.services import payment_apply_status, payment_publish_now
    from sportello.rooms import services as rooms

    webhook_create(municipality=mori, url="https://example.org/a", events=ROOM_EVENTS)
    booking = rooms.room_booking_approve(
        booking=requested(mori_room, citizen, booking_day()), user=mori_admin
    )
    payment_publish_now(payment=booking.fee_payment)
    payment_apply_status(payment=booking.fee_payment, observed=_observed("failed"))
    booking.refresh_from_db()
    rooms.room_booking_pay_again(booking=booking, citizen=citizen)
    rooms.room_payment_grace_release_expired(now=timezone.now() + timezone.timedelta(days=400))
    assert [(e, d["transition"]) for e, d in _events()] == [
        ("room_booking.requested", "request"),
        ("room_booking.approved", "approve"),
        ("room_booking.cancelled", "release"),
    ]
