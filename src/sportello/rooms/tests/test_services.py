"""Room booking services: regulation checks, the recurring all-or-nothing rule, moderation with the re-check on
approval, fee and deposit through the payments domain, confirmation when paid, release on failure, cancellation
with the refund rule, reserved periods, expired holds, the office's records."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sportello.accounts.tests.factories import UserFactory
from sportello.payments.models import Payment, Status
from sportello.payments.providers import PositionStatus
from sportello.payments.services import payment_apply_status
from sportello.rooms import services
from sportello.rooms.models import RoomBooking, RoomClosure, RoomOccupancy
from sportello.rooms.services import RoomTaken
from sportello.rooms.states import State, TransitionNotAllowed

from .conftest import DETAILS, NOW, at


def _hold(room, citizen, ranges=None, category="resident", now=NOW):
    return services.room_booking_hold(
        room=room, citizen=citizen, ranges=ranges or [(at(18), at(21))], category=category, now=now
    )


def _submitted(room, citizen, **kwargs):
    booking = _hold(room, citizen, **kwargs)
    services.room_booking_details_save(booking=booking, citizen=citizen, values=DETAILS, now=NOW)
    return services.room_booking_submit(booking=booking, citizen=citizen, now=NOW)


def _pay(payment):
    payment_apply_status(payment=payment, observed=PositionStatus(status=Status.PENDING))
    return payment_apply_status(payment=payment, observed=PositionStatus(status=Status.PAID))


def test_hold_refuses_what_the_regulation_forbids(room, citizen):
    with pytest.raises(ValidationError, match="preavviso"):
        _hold(room, citizen, ranges=[(at(18, days=1), at(20, days=1))])
    with pytest.raises(ValidationError, match="non è concessa"):
        _hold(room, citizen, category="company")
    RoomClosure.objects.create(room=room, start=at(0).date(), end=at(0).date(), reason="Lavori")
    with pytest.raises(ValidationError, match="chiusa in questa data"):
        _hold(room, citizen)
    assert not RoomBooking.objects.exists()


def test_recurring_request_books_all_dates_or_none_and_names_the_clashes(room, citizen, mori_admin):
    services.reserved_period_add(
        room=room, start=at(20, days=21), end=at(23, days=21), reason="Consiglio comunale", user=mori_admin
    )
    other = UserFactory()
    _hold(room, other, ranges=[(at(17, days=35), at(19, days=35))])
    weekly = [(at(18, days=7 * week), at(21, days=7 * week)) for week in range(1, 7)]
    with pytest.raises(RoomTaken) as taken:
        _hold(room, citizen, ranges=weekly)
    assert taken.value.clashes == [weekly[2], weekly[4]]
    message = taken.value.message()
    assert at(18, days=21).strftime("%d/%m/%Y") in message and at(18, days=35).strftime("%d/%m/%Y") in message
    assert not RoomBooking.objects.filter(citizen=citizen).exists()  # nothing booked
    assert RoomOccupancy.objects.filter(active=True).count() == 2

    free_weeks = [w for i, w in enumerate(weekly) if i not in (2, 4)]
    booking = _hold(room, citizen, ranges=free_weeks)
    assert booking.occupancies.count() == 4 and booking.first_start == weekly[0][0]


def test_recurring_price_is_per_date(room, citizen, mori_payments):
    weekly = [(at(18, days=7 * week), at(20, days=7 * week)) for week in (1, 2, 3)]
    booking = _submitted(room, citizen, ranges=weekly)
    assert booking.state == State.REQUESTED
    assert booking.fee_cents == 3 * 4000 and booking.deposit_cents == 5000
    assert [line["kind"] for line in booking.quote["lines"]] == ["fee", "fee", "fee", "deposit"]


def test_moderated_request_waits_then_approval_creates_fee_and_deposit_and_payment_confirms(
    room, citizen, mori_operator, mori_payments
):
    booking = _submitted(room, citizen)
    assert booking.state == State.REQUESTED and booking.fee_payment is None
    booking = services.room_booking_approve(booking=booking, user=mori_operator, now=NOW)
    assert booking.state == State.APPROVED
    fee, deposit = booking.fee_payment, booking.deposit_payment
    assert (fee.amount_cents, fee.purpose, deposit.amount_cents, deposit.purpose) == (
        6000,
        "room:fee",
        5000,
        "room:deposit",
    )
    assert fee.application is None and fee.debtor_fiscal_code == citizen.fiscal_code
    assert [(line.capitolo, line.taxonomy_code) for line in fee.lines.all()] == [("3100", "9/0110100TS/")]
    assert [line.taxonomy_code for line in deposit.lines.all()] == ["9/0114104AP/"]

    _pay(fee)
    booking.refresh_from_db()
    assert booking.state == State.APPROVED  # the deposit is still due
    _pay(deposit)
    booking.refresh_from_db()
    assert booking.state == State.CONFIRMED
    assert [e.transition for e in booking.events.all()] == ["hold", "request", "approve", "paid"]


def test_failed_payment_holds_the_booking_until_the_grace_period_ends_then_releases_it(
    room, citizen, mori_operator, mori_payments
):
    booking = services.room_booking_approve(booking=_submitted(room, citizen), user=mori_operator, now=NOW)
    payment_apply_status(payment=booking.fee_payment, observed=PositionStatus(status=Status.EXPIRED))
    booking.refresh_from_db()
    assert booking.state == State.APPROVED and booking.payment_grace_until is not None
    assert booking.occupancies.filter(active=True).exists()
    with pytest.raises(RoomTaken):
        _hold(room, UserFactory())  # still held for the citizen
    assert services.room_payment_grace_release_expired(now=booking.payment_grace_until) == 1
    booking.refresh_from_db()
    assert booking.state == State.CANCELLED
    assert not booking.occupancies.filter(active=True).exists()
    assert booking.deposit_payment.status == Status.CANCELLED  # the open deposit is cancelled too
    _hold(room, UserFactory())  # the range is free again


def test_unmoderated_room_asks_payment_at_once_and_free_bookings_confirm(free_room, citizen, mori_payments):
    paid = _submitted(free_room, citizen)
    assert (
        paid.state == State.APPROVED
        and paid.fee_payment.amount_cents == 3000
        and paid.deposit_payment is None
    )
    _pay(paid.fee_payment)
    paid.refresh_from_db()
    assert paid.state == State.CONFIRMED
    free = _submitted(
        free_room, citizen, ranges=[(at(9, days=8), at(11, days=8))], category="local_association"
    )
    assert free.state == State.CONFIRMED and free.fee_payment is None and Payment.objects.count() == 1


def test_refuse_needs_a_motivation_and_frees_the_range(room, citizen, mori_operator):
    booking = _submitted(room, citizen)
    with pytest.raises(ValidationError):
        services.room_booking_refuse(booking=booking, user=mori_operator, motivation=" ")
    booking = services.room_booking_refuse(
        booking=booking, user=mori_operator, motivation="Sala in manutenzione"
    )
    assert booking.state == State.REFUSED and booking.motivation == "Sala in manutenzione"
    assert not booking.occupancies.filter(active=True).exists()
    with pytest.raises(TransitionNotAllowed):
        services.room_booking_approve(booking=booking, user=mori_operator)


def test_approval_rechecks_inside_its_transaction(room, citizen, mori_operator):
    """Two overlapping requests can never both be approved: if a stale overlapping range exists (e.g. imported
    while the constraint was off), approval refuses; a closure added since the request refuses too."""
    booking = _submitted(room, citizen)
    RoomClosure.objects.create(room=room, start=at(0).date(), end=at(0).date(), reason="Seggio elettorale")
    with pytest.raises(ValidationError, match="chiusa"):
        services.room_booking_approve(booking=booking, user=mori_operator, now=NOW)
    booking.refresh_from_db()
    assert booking.state == State.REQUESTED


def test_cancel_applies_the_refund_rule(room, citizen, mori_operator, mori_payments):
    booking = services.room_booking_approve(booking=_submitted(room, citizen), user=mori_operator, now=NOW)
    _pay(booking.fee_payment)
    _pay(booking.deposit_payment)
    late = booking.first_start - timedelta(days=1)
    booking = services.room_booking_cancel(booking=booking, user=citizen, now=late)
    assert booking.state == State.CANCELLED and booking.refund_cents == 3000  # 50% of 60.00
    assert "50%" in booking.events.last().note
    _hold(room, UserFactory())


def test_cancel_early_refunds_all_and_cancels_open_payments(room, citizen, mori_operator, mori_payments):
    booking = services.room_booking_approve(booking=_submitted(room, citizen), user=mori_operator, now=NOW)
    booking = services.room_booking_cancel(booking=booking, user=citizen, now=NOW)
    assert booking.refund_cents is None  # nothing was paid
    assert {p.status for p in Payment.objects.all()} == {Status.CANCELLED}
    other = UserFactory()
    with pytest.raises(ValidationError):
        services.room_booking_cancel(booking=_hold(room, other), user=citizen, now=NOW)


def test_expired_hold_is_released_by_the_next_hold_and_by_the_task(room, citizen):
    _hold(room, citizen)
    later = NOW + timedelta(minutes=room.hold_minutes + 1)
    second = _hold(room, UserFactory(), now=later)
    assert second.state == State.HELD
    assert RoomBooking.objects.get(citizen=citizen).state == State.EXPIRED
    assert services.room_holds_release_expired(now=later + timedelta(hours=1)) == 1


def test_submit_after_the_hold_ran_out_is_refused(room, citizen):
    booking = _hold(room, citizen)
    services.room_booking_details_save(booking=booking, citizen=citizen, values=DETAILS, now=NOW)
    with pytest.raises(ValidationError, match="scaduto"):
        services.room_booking_submit(booking=booking, citizen=citizen, now=NOW + timedelta(hours=2))


def test_details_require_declarations_capacity_and_the_legal_representative(room, citizen):
    booking = _hold(room, citizen)
    values = {**DETAILS, "declarations": ["capacity"], "attendance": 500, "applicant_kind": "organisation"}
    with pytest.raises(ValidationError) as error:
        services.room_booking_details_save(booking=booking, citizen=citizen, values=values, now=NOW)
    assert {"declarations", "attendance", "organisation_name", "legal_representative"} <= set(
        error.value.message_dict
    )


def test_reserved_period_refuses_an_overlap_and_shows_as_taken(room, citizen, mori_admin):
    _hold(room, citizen)
    with pytest.raises(RoomTaken):
        services.reserved_period_add(room=room, start=at(20), end=at(23), reason="Consiglio", user=mori_admin)
    period = services.reserved_period_add(
        room=room, start=at(9), end=at(12), reason="Consiglio", user=mori_admin
    )
    assert period.is_reserved


def test_office_records_keys_damage_and_deposit_refund(room, citizen, mori_operator, mori_payments):
    booking = services.room_booking_approve(booking=_submitted(room, citizen), user=mori_operator, now=NOW)
    with pytest.raises(ValidationError):
        services.room_booking_keys_handed(booking=booking, user=mori_operator)  # not confirmed yet
    _pay(booking.fee_payment)
    _pay(booking.deposit_payment)
    booking.refresh_from_db()
    services.room_booking_keys_handed(booking=booking, user=mori_operator)
    services.room_booking_keys_returned(booking=booking, user=mori_operator)
    with pytest.raises(ValidationError):
        services.room_booking_damage_check(booking=booking, user=mori_operator, notes="", withheld_cents=1000)
    services.room_booking_damage_check(
        booking=booking, user=mori_operator, notes="Sedia rotta", withheld_cents=1500
    )
    booking = services.room_booking_deposit_refund(
        booking=booking, user=mori_operator, iban="IT60 X054 2811 1010 0000 0123 456"
    )
    assert booking.deposit_refund_cents == 3500 and booking.deposit_refunded_at is not None
    with pytest.raises(ValidationError):
        services.room_booking_deposit_refund(
            booking=booking, user=mori_operator, iban="IT60X0542811101000000123456"
        )
    assert timezone.now() >= booking.keys_returned_at >= booking.keys_handed_at


def test_each_change_the_citizen_sees_is_emailed_with_ics_and_the_signed_link(
    room, citizen, mori_operator, mori_payments
):
    from django.core import mail

    from sportello.rooms.models import RoomBookingEvent
    from sportello.rooms.tasks import room_booking_notify

    citizen.email = "giulia@example.org"
    citizen.save()
    booking = services.room_booking_approve(booking=_submitted(room, citizen), user=mori_operator, now=NOW)
    mail.outbox.clear()
    for event in RoomBookingEvent.objects.filter(booking=booking).order_by("pk"):
        room_booking_notify.call(event_id=event.pk)
    subjects = [message.subject for message in mail.outbox]
    assert subjects == [
        "Richiesta della sala inviata: Sala consiliare",
        "Sala: pagamento da eseguire: Sala consiliare",
    ]
    last = mail.outbox[-1]
    assert "/spazi/gestisci/" in last.body and last.to == ["giulia@example.org"]
    assert last.attachments[0][0] == "prenotazione-sala.ics" and "BEGIN:VEVENT" in last.attachments[0][1]
