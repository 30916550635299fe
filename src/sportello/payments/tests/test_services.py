from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sportello.applications.states import State as AppState
from sportello.core import identifiers
from sportello.payments.models import Payment, PaymentEvent, SandboxPosition, Status
from sportello.payments.providers import PositionStatus, ProviderUnavailable
from sportello.payments.providers.sandbox import sandbox_outcome
from sportello.payments.services import (
    payment_apply_status,
    payment_checkout_start,
    payment_publish_now,
    payment_refresh,
    payment_request_at_submission,
    payments_poll,
)

from .factories import filled_application

pytestmark = pytest.mark.django_db
URLS = {"ok_url": "/ok", "cancel_url": "/cancel", "error_url": "/error"}


def _paid(payment):
    return PositionStatus(
        status="paid", paid_at=timezone.now(), paid_cents=payment.amount_cents, psp="PSP", receipt_id="R1"
    )


def test_request_creates_position_with_cie_split_and_valid_identifiers(awaiting, mori_payments):
    payment = awaiting
    assert payment.application.state == AppState.PAYMENT_PENDING
    assert payment.amount_cents == 2221 and payment.status == Status.CREATED
    assert [(li.transfer_index, li.amount_cents, li.capitolo) for li in payment.lines.all()] == [
        (1, 1679, "9100"),
        (2, 516, "3050"),
        (3, 26, "3060"),
    ]
    assert identifiers.notice_number_is_valid(payment.notice_number)
    assert payment.notice_number == "3" + payment.iuv and payment.iuv.startswith("01")
    assert payment.iuv_base == f"{timezone.localdate().year}000000001"
    assert payment.due_date == timezone.localdate() + timedelta(days=30)
    assert payment.debtor_fiscal_code == "RSSMRA80A01H501U"


def test_duplicate_reason_doubles_the_fixed_fee(cie, citizen):
    application = filled_application(cie, citizen, motivo="duplicato")
    payment = payment_request_at_submission(application=application, user=citizen)
    assert payment.amount_cents == 2737
    assert [li.amount_cents for li in payment.lines.all()] == [1679, 1032, 26]


def test_second_open_payment_is_refused(awaiting):
    from sportello.payments.services import payment_create

    with pytest.raises(ValidationError):
        payment_create(application=awaiting.application)
    assert Payment.objects.count() == 1


def test_incomplete_draft_cannot_request_payment(cie, citizen):
    from sportello.applications.services import application_start

    application = application_start(service=cie, applicant=citizen)
    with pytest.raises(ValidationError):
        payment_request_at_submission(application=application, user=citizen)
    assert Payment.objects.count() == 0
    application.refresh_from_db()
    assert application.state == AppState.DRAFT


def test_online_payment_in_sandbox_submits_and_registers_the_application(awaiting):
    url = payment_checkout_start(payment=awaiting, **URLS)
    position = SandboxPosition.objects.get(iupd=awaiting.iupd)
    assert url.endswith(f"/pagopa-sandbox/{position.pk}/")
    awaiting.refresh_from_db()
    assert awaiting.status == Status.PENDING and awaiting.published_at
    assert awaiting.application.state == AppState.PAYMENT_OUTCOME_PENDING
    sandbox_outcome(position_pk=position.pk, outcome="paid")
    payment = payment_refresh(payment=awaiting)
    assert payment.status == Status.PAID and payment.psp and payment.receipt_id.startswith("SBX-")
    application = payment.application
    application.refresh_from_db()
    assert application.state == AppState.REGISTERED and application.protocol_number
    assert [e.to_status for e in payment.events.all()] == ["created", "pending", "paid"]


def test_same_paid_twice_changes_nothing(awaiting):
    payment_publish_now(payment=awaiting)
    first = payment_apply_status(payment=awaiting, observed=_paid(awaiting))
    events = list(first.events.values_list("to_status", flat=True))
    app_events = first.application.events.count()
    again = payment_apply_status(payment=awaiting, observed=_paid(awaiting))
    assert list(again.events.values_list("to_status", flat=True)) == events
    assert again.application.events.count() == app_events
    assert again.paid_at == first.paid_at and again.receipt_id == "R1"


@pytest.mark.parametrize("late", ["failed", "expired", "cancelled", "pending"])
def test_late_news_after_paid_changes_nothing(awaiting, late):
    payment_publish_now(payment=awaiting)
    payment_apply_status(payment=awaiting, observed=_paid(awaiting))
    payment = payment_apply_status(payment=awaiting, observed=PositionStatus(status=late))
    assert payment.status == Status.PAID
    payment.application.refresh_from_db()
    assert payment.application.state == AppState.REGISTERED


def test_failed_payment_fails_the_application_and_citizen_can_retry(awaiting, citizen):
    payment_checkout_start(payment=awaiting, **URLS)
    sandbox_outcome(position_pk=SandboxPosition.objects.get().pk, outcome="failed")
    payment = payment_refresh(payment=awaiting)
    assert payment.status == Status.FAILED
    application = payment.application
    application.refresh_from_db()
    assert application.state == AppState.PAYMENT_FAILED
    retry = payment_request_at_submission(application=application, user=citizen)
    assert retry.pk != payment.pk and retry.iuv != payment.iuv


def test_cancel_on_checkout_keeps_position_payable(awaiting):
    payment_checkout_start(payment=awaiting, **URLS)
    sandbox_outcome(position_pk=SandboxPosition.objects.get().pk, outcome="cancel")
    assert payment_refresh(payment=awaiting).status == Status.PENDING


def test_expired_when_due_date_passed(awaiting):
    payment_publish_now(payment=awaiting)
    Payment.objects.filter(pk=awaiting.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    awaiting.refresh_from_db()
    assert payment_refresh(payment=awaiting).status == Status.EXPIRED


class FlakyProvider:
    def __init__(self):
        self.calls = 0

    def create_position(self, payment):
        self.calls += 1
        raise ProviderUnavailable("POST /debtpositions: HTTP 503")


def test_5xx_is_recorded_for_the_operator_and_retried_with_backoff(awaiting, monkeypatch):
    flaky = FlakyProvider()
    monkeypatch.setattr("sportello.payments.services.get_provider", lambda *a: flaky)
    assert payments_poll() == 0
    awaiting.refresh_from_db()
    assert awaiting.status == Status.CREATED and awaiting.sync_attempts == 1
    assert "HTTP 503" in awaiting.sync_error
    payments_poll()  # inside the backoff: not asked again
    assert flaky.calls == 1
    Payment.objects.filter(pk=awaiting.pk).update(checked_at=timezone.now() - timedelta(minutes=2))
    payments_poll()
    assert flaky.calls == 2
    monkeypatch.undo()
    Payment.objects.filter(pk=awaiting.pk).update(checked_at=timezone.now() - timedelta(hours=1))
    payments_poll()
    awaiting.refresh_from_db()
    assert awaiting.status == Status.PENDING and awaiting.sync_attempts == 0 and awaiting.sync_error == ""


def test_poll_task_settles_paid_positions(awaiting):
    from sportello.payments.tasks import payments_poll as task

    payment_publish_now(payment=awaiting)
    position = SandboxPosition.objects.get()
    sandbox_outcome(position_pk=position.pk, outcome="paid")
    task.call()
    awaiting.refresh_from_db()
    assert awaiting.status == Status.PAID
    assert task.call() == 0  # nothing open any more


def test_publish_task_creates_position(awaiting, run_tasks):
    run_tasks()
    awaiting.refresh_from_db()
    assert awaiting.status == Status.PENDING
    assert PaymentEvent.objects.filter(payment=awaiting, to_status="pending").count() == 1


def test_still_pending_signal_for_hold_extension(awaiting):
    from sportello.payments.signals import payment_still_pending

    seen = []

    def extend_hold(sender, payment, application, **kwargs):
        seen.append(application.pk)

    payment_still_pending.connect(extend_hold)
    try:
        payments_poll()
    finally:
        payment_still_pending.disconnect(extend_hold)
    assert seen == [awaiting.application_id]
