"""Positions created by other domains (rooms, subscriptions): explicit lines, a purpose, and ``payment_settled``."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sportello.applications.states import State as AppState
from sportello.payments.models import Status
from sportello.payments.providers import PositionStatus
from sportello.payments.services import payment_apply_status, payment_cancel, payment_position_create
from sportello.payments.signals import payment_settled

pytestmark = pytest.mark.django_db
KEYS = {"description": "Canone sala", "capitolo": "3100", "taxonomy_code": "9/0101100IM/"}


@pytest.fixture
def settled():
    seen = []

    def receiver(sender, payment, status, **kwargs):
        seen.append((payment.pk, status))

    payment_settled.connect(receiver)
    yield seen
    payment_settled.disconnect(receiver)


def _position(mori, **kwargs):
    values = {
        "municipality": mori,
        "lines": [
            (KEYS, 4000),
            ({**KEYS, "description": "Riscaldamento", "capitolo": "3101"}, 1250),
            (KEYS, 0),
        ],
        "description": "Sala consiliare, 12 marzo",
        "due_date": date(2030, 1, 31),
        "debtor_fiscal_code": "RSSMRA80A01H501U",
        "debtor_name": "Mario Rossi",
        "purpose": "room:fee",
    }
    return payment_position_create(**(values | kwargs))


def test_explicit_lines_make_the_transfers_and_skip_zero_amounts(mori, mori_payments):
    payment = _position(mori)
    assert payment.amount_cents == 5250 and payment.purpose == "room:fee" and payment.application is None
    assert [(li.transfer_index, li.capitolo, li.amount_cents) for li in payment.lines.all()] == [
        (1, "3100", 4000),
        (2, "3101", 1250),
    ]
    assert payment.events.get().to_status == Status.CREATED


def test_bad_positions_are_refused_and_nothing_is_saved(mori, mori_payments):
    with pytest.raises(ValidationError):
        _position(mori, lines=[(KEYS, 0)])
    with pytest.raises(ValidationError):
        _position(mori, debtor_fiscal_code="")
    assert not mori.payments.exists()


def test_settled_is_sent_once_per_final_state_and_late_news_change_nothing(mori, mori_payments, settled):
    payment = _position(mori)
    paid = PositionStatus(
        status=Status.PAID, paid_at=timezone.now(), paid_cents=5250, psp="PSP", receipt_id="R"
    )
    payment_apply_status(payment=payment, observed=PositionStatus(status=Status.PENDING))
    assert settled == []
    payment_apply_status(payment=payment, observed=paid)
    payment_apply_status(payment=payment, observed=paid)  # the same news twice
    payment_apply_status(payment=payment, observed=PositionStatus(status=Status.FAILED))  # late, out of order
    assert settled == [(payment.pk, Status.PAID)]


def test_a_purposed_payment_of_an_application_leaves_the_application_alone(awaiting, settled, mori_operator):
    application = awaiting.application
    deposit = _position(application.municipality, application=application, purpose="room:deposit")
    payment_apply_status(payment=deposit, observed=PositionStatus(status=Status.EXPIRED))
    application.refresh_from_db()
    assert application.state == AppState.PAYMENT_PENDING  # only the fee (empty purpose) drives it
    payment_cancel(payment=awaiting, user=mori_operator)
    assert settled == [(deposit.pk, Status.EXPIRED), (awaiting.pk, Status.CANCELLED)]
