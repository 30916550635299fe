"""A booked appointment of a paid service (the CIE): the payment comes before the confirmation.

The place stays held while the payment is pending (the poller's ``payment_still_pending`` extends it), the payment
confirms it, a failed or expired payment releases it; provider news is idempotent and may come out of order.
"""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from sportello.applications.states import State as AppState
from sportello.payments.models import Payment, SandboxPosition, Status
from sportello.payments.providers import PositionStatus
from sportello.payments.providers.sandbox import sandbox_outcome
from sportello.payments.services import (
    payment_apply_status,
    payment_checkout_start,
    payment_refresh,
    payments_poll,
)
from sportello.payments.tests.factories import cie_service, filled_application, payment_settings
from sportello.scheduling import services
from sportello.scheduling.availability import ROME
from sportello.scheduling.models import Appointment, Reservation
from sportello.scheduling.selectors import calendar_slots
from sportello.scheduling.states import State

from .factories import CalendarFactory, OpeningRuleFactory

pytestmark = pytest.mark.django_db
URLS = {"ok_url": "/ok", "cancel_url": "/cancel", "error_url": "/error"}


@pytest.fixture
def cie(mori):
    payment_settings(mori)
    return cie_service(mori)


@pytest.fixture
def office(mori, cie):
    calendar = CalendarFactory(municipality=mori, hold_minutes=15)
    OpeningRuleFactory(calendar=calendar, weekdays=list(range(7)), capacity=1, start="08:00", end="18:00")
    calendar.services.add(cie)
    return calendar


def _slot(calendar, days=5, index=0):
    today = timezone.localdate()
    return calendar_slots(
        calendar, date_from=today + timedelta(days=days), date_to=today + timedelta(days=days)
    )[index]


def _book(office, cie, citizen, *, days=5, index=0):
    """The citizen's five steps: hold, the CIE form, then "Conferma e vai al pagamento"."""
    application = filled_application(cie, citizen)
    appointment = services.appointment_hold(
        calendar=office,
        start=_slot(office, days, index).start,
        service=cie,
        citizen=citizen,
        application=application,
    )
    appointment = services.appointment_book(
        appointment=appointment,
        user=citizen,
        first_name="Mario",
        last_name="Rossi",
        email="mario@example.org",
    )
    return appointment, Payment.objects.get(application=application)


def _sandbox(payment, outcome):
    payment_checkout_start(payment=payment, **URLS)
    sandbox_outcome(position_pk=SandboxPosition.objects.get(iupd=payment.iupd).pk, outcome=outcome)
    return payment_refresh(payment=payment)


def _paid(payment):
    return PositionStatus(
        status="paid", paid_at=timezone.now(), paid_cents=payment.amount_cents, psp="P", receipt_id="R"
    )


def test_confirming_a_paid_service_keeps_the_place_held_until_the_payment(office, cie, citizen):
    now = timezone.now()
    appointment, payment = _book(office, cie, citizen)
    assert appointment.state == State.HELD  # not confirmed before the payment
    assert appointment.application.state == AppState.PAYMENT_PENDING
    assert payment.amount_cents == 2221 and [line.amount_cents for line in payment.lines.all()] == [
        1679,
        516,
        26,
    ]
    # paid by the day before the appointment, and held while the payment is pending (longer than the step hold)
    assert payment.due_date == appointment.start.astimezone(ROME).date() - timedelta(days=1)
    assert appointment.hold_until >= now + timedelta(minutes=services.PAYMENT_HOLD_MINUTES - 1)
    assert set(appointment.reservations.values_list("hold_until", flat=True)) == {appointment.hold_until}
    assert (
        services.holds_release(now=now + timedelta(minutes=20)) == 0
    )  # the step's 15 minutes are not the limit

    payment = _sandbox(payment, "paid")
    assert payment.status == Status.PAID
    appointment.refresh_from_db()
    assert appointment.state == State.APPROVED and appointment.hold_until is None
    assert appointment.application.state == AppState.REGISTERED
    assert list(appointment.reservations.values_list("hold_until", flat=True)) == [None]
    assert appointment.reminder.send_at < appointment.start


def test_a_moderated_calendar_paid_becomes_a_request_for_the_office(office, cie, citizen):
    office.moderated = True
    office.save()
    appointment, payment = _book(office, cie, citizen)
    _sandbox(payment, "paid")
    appointment.refresh_from_db()
    assert appointment.state == State.PENDING


def test_the_poller_extends_the_hold_while_the_payment_is_pending(office, cie, citizen):
    appointment, payment = _book(office, cie, citizen)
    soon = timezone.now() + timedelta(minutes=1)
    Appointment.objects.filter(pk=appointment.pk).update(hold_until=soon)
    Reservation.objects.filter(appointment=appointment).update(hold_until=soon)
    assert payments_poll() == 1  # publishes the position; still pending
    appointment.refresh_from_db()
    assert appointment.state == State.HELD
    assert appointment.hold_until >= timezone.now() + timedelta(minutes=services.PAYMENT_HOLD_MINUTES - 1)
    assert Reservation.objects.get(appointment=appointment).hold_until == appointment.hold_until
    assert services.holds_release(now=soon + timedelta(minutes=5)) == 0


def test_the_poller_keeps_the_hold_while_the_provider_does_not_answer(office, cie, citizen, monkeypatch):
    from sportello.payments.providers import ProviderUnavailable
    from sportello.payments.providers.sandbox import SandboxProvider

    appointment, payment = _book(office, cie, citizen)
    soon = timezone.now() + timedelta(minutes=1)
    Appointment.objects.filter(pk=appointment.pk).update(hold_until=soon)

    def down(self, payment):
        raise ProviderUnavailable("503")

    monkeypatch.setattr(SandboxProvider, "create_position", down)
    payments_poll()
    appointment.refresh_from_db()
    assert appointment.hold_until > soon + timedelta(minutes=10)


def test_a_lapsed_hold_is_not_revived_by_the_poller(office, cie, citizen):
    appointment, payment = _book(office, cie, citizen)
    past = timezone.now() - timedelta(seconds=1)
    Appointment.objects.filter(pk=appointment.pk).update(hold_until=past)
    payments_poll()
    appointment.refresh_from_db()
    assert appointment.hold_until == past
    assert services.holds_release() == 1


def test_the_hold_never_outlasts_the_payment_nor_the_appointment():
    calendar = CalendarFactory.build(hold_minutes=15)
    start = datetime(2027, 3, 10, 9, 0, tzinfo=ROME)
    appointment = Appointment(calendar=calendar, start=start)
    now = datetime(2027, 3, 1, 12, 0, tzinfo=ROME)
    rolling = services.payment_hold_until(appointment, date(2027, 3, 9), now)
    assert rolling == now + timedelta(minutes=services.PAYMENT_HOLD_MINUTES)
    calendar.hold_minutes = 45
    assert services.payment_hold_until(appointment, date(2027, 3, 9), now) == now + timedelta(minutes=45)
    late = datetime(2027, 3, 10, 0, 40, tzinfo=ROME)  # the night the payment expires
    assert services.payment_hold_until(appointment, date(2027, 3, 9), late) == datetime(
        2027, 3, 10, 1, 0, tzinfo=ROME
    )
    assert (
        services.payment_hold_until(appointment, date(2027, 3, 20), datetime(2027, 3, 10, 8, 50, tzinfo=ROME))
        == start
    )
    assert services.payment_due_date(appointment, now) == date(2027, 3, 9)
    assert services.payment_due_date(appointment, datetime(2027, 3, 10, 7, 0, tzinfo=ROME)) == date(
        2027, 3, 10
    )


def test_a_failed_payment_releases_the_place_and_tells_the_citizen(office, cie, citizen):
    from sportello.payments.tasks import payment_failed_notify

    citizen.email = "mario@example.org"
    citizen.save()
    appointment, payment = _book(office, cie, citizen)
    payment = _sandbox(payment, "failed")
    assert payment.status == Status.FAILED
    appointment.refresh_from_db()
    assert appointment.state == State.CANCELLED and not appointment.reservations.exists()
    assert appointment.events.last().transition == "release"
    assert appointment.application.state == AppState.PAYMENT_FAILED
    # the place is free again for others
    other = services.appointment_hold(calendar=office, start=appointment.start, service=cie)
    assert other.state == State.HELD
    payment_failed_notify.call(payment_id=payment.pk)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mario@example.org"] and "Pagamento non riuscito" in message.subject
    assert "22,21" in message.body and "liberato" in message.body
    assert f"/pratiche/{payment.application_id}/pagamento/" in message.body


def test_a_failed_payment_enqueues_the_citizens_e_mail(office, cie, citizen):
    from django_tasks_db.models import DBTaskResult

    appointment, payment = _book(office, cie, citizen)
    _sandbox(payment, "failed")
    queued = DBTaskResult.objects.filter(task_path="sportello.payments.tasks.payment_failed_notify")
    assert [task.args_kwargs["kwargs"] for task in queued] == [{"payment_id": payment.pk}]


def test_an_expired_payment_releases_the_place(office, cie, citizen):
    appointment, payment = _book(office, cie, citizen)
    payment_checkout_start(payment=payment, **URLS)
    Payment.objects.filter(pk=payment.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    payments_poll()
    payment.refresh_from_db()
    assert payment.status == Status.EXPIRED
    appointment.refresh_from_db()
    assert appointment.state == State.CANCELLED and not appointment.reservations.exists()


def test_paid_twice_books_once(office, cie, citizen):
    appointment, payment = _book(office, cie, citizen)
    payment_checkout_start(payment=payment, **URLS)
    payment_apply_status(payment=payment, observed=_paid(payment))
    payment_apply_status(payment=payment, observed=_paid(payment))
    appointment.refresh_from_db()
    assert appointment.state == State.APPROVED
    assert [e.transition for e in appointment.events.all()] == ["confirm"]
    assert Reservation.objects.filter(appointment=appointment).count() == 1


@pytest.mark.parametrize("late", ["failed", "expired", "cancelled"])
def test_a_late_failure_after_paid_keeps_the_appointment(office, cie, citizen, late):
    appointment, payment = _book(office, cie, citizen)
    payment_checkout_start(payment=payment, **URLS)
    payment_apply_status(payment=payment, observed=_paid(payment))
    payment_apply_status(payment=payment, observed=PositionStatus(status=late))
    appointment.refresh_from_db()
    payment.refresh_from_db()
    assert payment.status == Status.PAID and appointment.state == State.APPROVED
    assert appointment.reservations.count() == 1


def test_paid_after_failed_takes_the_same_place_again_when_still_free(office, cie, citizen):
    appointment, payment = _book(office, cie, citizen)
    payment_checkout_start(payment=payment, **URLS)
    payment_apply_status(payment=payment, observed=PositionStatus(status="failed"))
    appointment.refresh_from_db()
    assert appointment.state == State.CANCELLED
    payment = payment_apply_status(
        payment=payment, observed=_paid(payment)
    )  # out of order: the money was taken
    assert payment.status == Status.PAID
    application = payment.application
    application.refresh_from_db()
    assert application.state == AppState.REGISTERED
    booked = Appointment.objects.get(application=application)
    assert (
        booked.pk != appointment.pk and booked.state == State.APPROVED and booked.start == appointment.start
    )
    assert (booked.first_name, booked.email) == ("Mario", "mario@example.org")


def test_paid_after_failed_when_the_place_went_to_someone_else_keeps_the_payment(office, cie, citizen):
    from sportello.accounts.tests.factories import UserFactory

    appointment, payment = _book(office, cie, citizen)
    payment_checkout_start(payment=payment, **URLS)
    payment_apply_status(payment=payment, observed=PositionStatus(status="failed"))
    services.appointment_hold(calendar=office, start=appointment.start, service=cie, citizen=UserFactory())
    payment = payment_apply_status(payment=payment, observed=_paid(payment))
    assert payment.status == Status.PAID  # never undone by the appointment's refusal
    payment.application.refresh_from_db()
    assert payment.application.state == AppState.REGISTERED  # the office has the paid request and books again
    appointment.refresh_from_db()
    assert appointment.state == State.CANCELLED and appointment.application_id == payment.application_id


def test_a_service_without_payment_is_confirmed_at_once(office, cie, citizen):
    from sportello.payments.models import ServicePaymentConfig

    ServicePaymentConfig.objects.filter(service=cie).update(when="none")
    appointment, _none = _book_unpaid(office, cie, citizen)
    appointment.application.refresh_from_db()
    assert appointment.state == State.APPROVED and appointment.application.state == AppState.REGISTERED
    assert not Payment.objects.exists()


def _book_unpaid(office, cie, citizen):
    application = filled_application(cie, citizen)
    appointment = services.appointment_hold(
        calendar=office, start=_slot(office).start, service=cie, citizen=citizen, application=application
    )
    return services.appointment_book(appointment=appointment, user=citizen), None


def test_an_expired_step_hold_cannot_go_to_payment(office, cie, citizen):
    application = filled_application(cie, citizen)
    appointment = services.appointment_hold(
        calendar=office, start=_slot(office).start, service=cie, citizen=citizen, application=application
    )
    Appointment.objects.filter(pk=appointment.pk).update(hold_until=timezone.now() - timedelta(seconds=1))
    with pytest.raises(services.SlotUnavailable):
        services.appointment_book(appointment=appointment, user=citizen)
    application.refresh_from_db()
    assert application.state == AppState.DRAFT and not Payment.objects.exists()
