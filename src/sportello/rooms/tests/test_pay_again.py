"""Pay again: a failed or expired payment keeps the booking held for the grace period, "Paga di nuovo" creates
new positions with the same lines, the grace period's end releases the booking, and a late "paid" for a
replaced position is never lost (events out of order)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sportello.accounts.tests.factories import UserFactory
from sportello.payments.models import Status
from sportello.payments.providers import PositionStatus
from sportello.payments.services import payment_apply_status
from sportello.rooms import services
from sportello.rooms.services import RoomTaken
from sportello.rooms.states import State

from .conftest import DETAILS, NOW, at


def _approved(room, citizen, operator):
    booking = services.room_booking_hold(
        room=room, citizen=citizen, ranges=[(at(18), at(21))], category="resident", now=NOW
    )
    services.room_booking_details_save(booking=booking, citizen=citizen, values=DETAILS, now=NOW)
    booking = services.room_booking_submit(booking=booking, citizen=citizen, now=NOW)
    return services.room_booking_approve(booking=booking, user=operator, now=NOW)


def _status(payment, status):
    if status == Status.PAID and payment.status == Status.CREATED:
        payment_apply_status(payment=payment, observed=PositionStatus(status=Status.PENDING))
    return payment_apply_status(payment=payment, observed=PositionStatus(status=status))


def _reload(booking):
    return type(booking).objects.select_related("fee_payment", "deposit_payment", "room").get(pk=booking.pk)


@pytest.fixture
def failed(room, citizen, mori_operator, mori_payments):
    """An approved booking whose fee expired (the deposit is still open)."""
    booking = _approved(room, citizen, mori_operator)
    _status(booking.fee_payment, Status.EXPIRED)
    return _reload(booking)


def test_failed_payment_keeps_the_ranges_and_sets_a_grace_period_never_past_the_start(failed, room):
    assert failed.state == State.APPROVED and failed.can_pay_again
    now = timezone.now()
    expected = min(now + timedelta(hours=room.payment_grace_hours), failed.first_start)
    assert abs(failed.payment_grace_until - expected) < timedelta(minutes=1)
    with pytest.raises(RoomTaken):
        services.room_booking_hold(
            room=room, citizen=UserFactory(), ranges=[(at(19), at(20))], category="resident", now=NOW
        )
    assert [e.transition for e in failed.events.all()][-1] == "payment_failed"


def test_grace_period_is_cut_at_the_booking_start(room, citizen, mori_operator, mori_payments):
    room.payment_grace_hours = 24 * 365
    room.save()
    booking = _approved(room, citizen, mori_operator)
    _status(booking.fee_payment, Status.FAILED)
    assert _reload(booking).payment_grace_until == booking.first_start


def test_failed_then_pay_again_then_paid_confirms(failed, citizen):
    old_fee = failed.fee_payment
    booking = services.room_booking_pay_again(booking=failed, citizen=citizen)
    booking = _reload(booking)
    new_fee = booking.fee_payment
    assert new_fee.pk != old_fee.pk and new_fee.is_open and new_fee.purpose == "room:fee"
    assert [(line.capitolo, line.taxonomy_code, line.amount_cents) for line in new_fee.lines.all()] == [
        (line.capitolo, line.taxonomy_code, line.amount_cents) for line in old_fee.lines.all()
    ]
    assert new_fee.amount_cents == old_fee.amount_cents
    assert new_fee.due_date <= timezone.localtime(booking.payment_grace_until).date()
    assert booking.deposit_payment.is_open  # the deposit did not fail: not replaced
    assert list(booking.replaced_payments.all()) == [old_fee]
    assert not booking.can_pay_again
    _status(new_fee, Status.PAID)
    _status(booking.deposit_payment, Status.PAID)
    booking = _reload(booking)
    assert booking.state == State.CONFIRMED and booking.payment_grace_until is None
    assert [e.transition for e in booking.events.all()][-3:] == ["payment_failed", "pay_again", "paid"]


def test_failed_then_grace_ends_releases_the_booking_and_tells_the_citizen(failed, room):
    from sportello.rooms.tasks import room_holds_release_expired

    assert (
        services.room_payment_grace_release_expired(now=failed.payment_grace_until - timedelta(seconds=1))
        == 0
    )
    services.RoomBooking.objects.filter(pk=failed.pk).update(payment_grace_until=timezone.now())
    assert room_holds_release_expired.call() == 1
    booking = _reload(failed)
    assert booking.state == State.CANCELLED
    assert not booking.occupancies.filter(active=True).exists()
    assert booking.deposit_payment.status == Status.CANCELLED
    assert booking.events.last().transition == "release"
    services.room_booking_hold(
        room=room, citizen=UserFactory(), ranges=[(at(18), at(21))], category="resident", now=NOW
    )


def test_pay_again_is_refused_to_others_after_the_grace_period_and_when_nothing_failed(
    failed, citizen, room, mori_operator
):
    with pytest.raises(ValidationError):
        services.room_booking_pay_again(booking=failed, citizen=UserFactory())
    with pytest.raises(ValidationError, match="scaduto"):
        services.room_booking_pay_again(booking=failed, citizen=citizen, now=failed.payment_grace_until)
    services.room_booking_pay_again(booking=failed, citizen=citizen)
    with pytest.raises(ValidationError, match="nessun pagamento da ripetere"):
        services.room_booking_pay_again(booking=failed, citizen=citizen)
    assert _reload(failed).replaced_payments.count() == 1


def test_late_paid_on_the_replaced_position_takes_its_place_and_the_new_one_is_cancelled(failed, citizen):
    old_fee = failed.fee_payment
    booking = _reload(services.room_booking_pay_again(booking=failed, citizen=citizen))
    new_fee = booking.fee_payment
    _status(booking.deposit_payment, Status.PAID)
    _status(old_fee, Status.PAID)  # the citizen had paid the old notice after all: the news comes late
    booking = _reload(booking)
    assert booking.state == State.CONFIRMED
    assert booking.fee_payment == old_fee and booking.late_paid_cents == 0
    new_fee.refresh_from_db()
    assert new_fee.status == Status.CANCELLED  # nobody will be asked to pay twice
    assert set(booking.replaced_payments.all()) == {old_fee, new_fee}


def test_late_paid_on_the_replaced_position_after_the_new_one_was_paid_is_recorded_to_refund(failed, citizen):
    old_fee = failed.fee_payment
    booking = _reload(services.room_booking_pay_again(booking=failed, citizen=citizen))
    _status(booking.fee_payment, Status.PAID)
    _status(booking.deposit_payment, Status.PAID)
    assert _reload(booking).state == State.CONFIRMED
    _status(old_fee, Status.PAID)
    booking = _reload(booking)
    assert booking.state == State.CONFIRMED and booking.fee_payment != old_fee
    assert booking.late_paid_cents == old_fee.amount_cents
    assert booking.events.last().transition == "late_payment"
    assert old_fee.notice_number in booking.events.last().note


def test_late_paid_after_the_release_is_recorded_to_refund(failed):
    old_fee = failed.fee_payment
    services.RoomBooking.objects.filter(pk=failed.pk).update(payment_grace_until=timezone.now())
    services.room_payment_grace_release_expired()
    _status(old_fee, Status.PAID)
    booking = _reload(failed)
    assert booking.state == State.CANCELLED
    assert booking.late_paid_cents == old_fee.amount_cents


def test_citizen_sees_pay_again_in_the_list_and_the_booking_and_uses_it(
    client, failed, citizen, mori, monkeypatch
):
    monkeypatch.setattr("sportello.portal.middleware.privacy_consent_given", lambda **kwargs: True)
    from .test_views import _citizen_login

    _citizen_login(client, citizen)
    listing = client.get("/comune-di-mori/it/area-personale/spazi/")
    assert "Paga di nuovo" in listing.content.decode()
    page = client.get(f"/comune-di-mori/it/spazi/prenotazioni/{failed.uid}/")
    assert 'data-testid="pay-again"' in page.content.decode()
    response = client.post(f"/comune-di-mori/it/spazi/prenotazioni/{failed.uid}/paga-di-nuovo")
    assert response.status_code == 302
    booking = _reload(failed)
    assert booking.fee_payment.is_open and booking.replaced_payments.count() == 1
    assert (
        "Paga di nuovo"
        not in client.get(f"/comune-di-mori/it/spazi/prenotazioni/{failed.uid}/").content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_pay_again_creates_one_set_of_new_positions(room, citizen, mori_operator, mori_payments):
    from sportello.payments.models import Payment

    from .test_constraint import race

    booking = _approved(room, citizen, mori_operator)
    _status(booking.fee_payment, Status.EXPIRED)
    outcomes = race(
        lambda i: services.room_booking_pay_again(booking=booking, citizen=citizen).fee_payment_id, count=4
    )
    assert len([o for o in outcomes if isinstance(o, int)]) == 1, outcomes
    assert Payment.objects.filter(purpose="room:fee").count() == 2  # the expired one and one new
    assert _reload(booking).replaced_payments.count() == 1
