"""Enrolment through the service's form, charges and their pagoPA positions, sharing, withdrawal, import."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sportello.applications.services import (
    application_save_page,
    application_start,
    application_submit,
)
from sportello.applications.states import State
from sportello.payments import reconciliation
from sportello.payments.models import Payment, PaymentLine, SandboxPosition, Status
from sportello.payments.providers.sandbox import sandbox_flow, sandbox_outcome
from sportello.payments.services import payment_checkout_start, payment_publish_now, payment_refresh
from sportello.subscriptions import selectors, services
from sportello.subscriptions.models import Charge, Subscription, SubscriptionService, SubscriptionState

from .conftest import GIULIA, MARIO
from .factories import child_code

pytestmark = pytest.mark.django_db


def enrol(subscription_service, user, child=1, sharer=""):
    service = subscription_service.service
    application = application_start(service=service, applicant=user)
    values = {
        "iscritto_nome": "Anna",
        "iscritto_cognome": "Rossi",
        "iscritto_codice_fiscale": child_code(child),
        "condivisione_codice_fiscale": sharer,
    }
    application = application_save_page(
        application=application, user=user, page=0, cleaned_data=values, serialized=dict(values)
    )
    return application_submit(application=application, user=user)


def test_submitting_the_form_enrols_with_one_position_per_required_item(mori_canteen, mario):
    application = enrol(mori_canteen, mario, sharer=GIULIA)
    subscription = Subscription.objects.get(application=application)
    assert application.state == State.REGISTERED
    assert subscription.state == SubscriptionState.ACTIVE
    assert subscription.holder == mario and subscription.holder_fiscal_code == MARIO
    assert list(subscription.sharers.values_list("fiscal_code", flat=True)) == [GIULIA]
    charges = list(subscription.charges.select_related("item", "payment"))
    assert [(c.item.code, c.amount_cents) for c in charges] == [
        ("iscrizione", 3000),
        ("rata-1", 14000),
        ("rata-2", 14000),
        ("rata-3", 14000),
    ]  # the optional week is not charged
    assert charges[0].due_date == timezone.localdate() + datetime.timedelta(days=15)
    payment = charges[1].payment
    assert payment.purpose == f"subscription:{subscription.pk}:rata-1"
    assert payment.application is None and payment.debtor_fiscal_code == MARIO
    assert payment.due_date == charges[1].due_date
    assert [(line.capitolo, line.amount_cents) for line in payment.lines.all()] == [
        ("3101", 12000),
        ("3102", 2000),
    ]
    mori_canteen.refresh_from_db()
    assert mori_canteen.seats_taken == 1


def test_the_second_child_of_a_family_gets_the_sibling_reduction(mori_canteen, mario):
    enrol(mori_canteen, mario, child=1)
    second = Subscription.objects.get(application=enrol(mori_canteen, mario, child=2))
    amounts = [c.amount_cents for c in second.charges.order_by("item__position")]
    assert amounts == [3000, 11200, 11200, 11200]  # -20% on the instalments, the fee is not reducible


def test_the_same_child_cannot_be_enrolled_twice(mori_canteen, mario, giulia):
    enrol(mori_canteen, mario, child=1)
    with pytest.raises(ValidationError, match="già iscritto"):
        enrol(mori_canteen, giulia, child=1)
    mori_canteen.refresh_from_db()
    assert mori_canteen.seats_taken == 1 and Subscription.objects.count() == 1


def test_a_full_service_refuses_the_submission_and_changes_nothing(mori_canteen, mario, giulia):
    SubscriptionService.objects.filter(pk=mori_canteen.pk).update(max_subscribers=1)
    enrol(mori_canteen, mario, child=1)
    payments_before = Payment.objects.count()
    with pytest.raises(ValidationError, match="al completo"):
        enrol(mori_canteen, giulia, child=2)
    assert Payment.objects.count() == payments_before
    draft = giulia.applications.get()
    assert draft.state == State.DRAFT  # the submission rolled back whole
    assert selectors.service_is_full(mori_canteen.service)


def test_the_enrolment_window_is_enforced(mori_canteen, mario):
    SubscriptionService.objects.filter(pk=mori_canteen.pk).update(
        enrol_from=timezone.now() + datetime.timedelta(days=1),
        enrol_until=timezone.now() + datetime.timedelta(days=2),
    )
    with pytest.raises(ValidationError, match="non sono aperte"):
        enrol(mori_canteen, mario)


def test_the_sharer_sees_the_subscription_and_pays_an_instalment_reconciliation_sees_it(
    mori_canteen, mario, giulia, mori
):
    subscription = Subscription.objects.get(application=enrol(mori_canteen, mario, sharer=GIULIA))
    assert list(selectors.subscriptions_for_citizen(giulia, mori)) == [subscription]
    charge = selectors.charge_for_citizen(giulia, mori, subscription.charges.get(item__code="rata-1").pk)
    url = payment_checkout_start(payment=charge.payment, ok_url="/", cancel_url="/", error_url="/")
    position = SandboxPosition.objects.get(iupd=charge.payment.iupd)
    assert url.endswith(f"/pagopa-sandbox/{position.pk}/")
    sandbox_outcome(position_pk=position.pk, outcome="paid")
    payment = payment_refresh(payment=charge.payment)
    assert payment.status == Status.PAID
    charge.refresh_from_db()
    assert charge.status == "paid"
    flow, _created = reconciliation.flow_reconcile(municipality=mori, data=sandbox_flow(municipality=mori))
    assert PaymentLine.objects.filter(payment=payment, reconciled_flow=flow).count() == 2
    assert flow.report["anomalie"] == []
    assert flow.report["totali_per_capitolo"] == {"3101": 12000, "3102": 2000}


def test_others_do_not_see_it(mori_canteen, mario, mori):
    from sportello.accounts.tests.factories import UserFactory

    enrol(mori_canteen, mario)
    stranger = UserFactory(fiscal_code="VRDLCU90C15F728X")
    assert list(selectors.subscriptions_for_citizen(stranger, mori)) == []
    with pytest.raises(Subscription.DoesNotExist):
        selectors.subscription_for_citizen(stranger, mori, Subscription.objects.get().pk)


def test_withdrawal_frees_the_seat_and_cancels_the_open_positions(mori_canteen, mario, giulia):
    subscription = Subscription.objects.get(application=enrol(mori_canteen, mario, sharer=GIULIA))
    for charge in subscription.charges.all():
        payment_publish_now(payment=charge.payment)
    services.subscription_withdraw(subscription=subscription, user=giulia)
    subscription.refresh_from_db()
    mori_canteen.refresh_from_db()
    assert subscription.state == SubscriptionState.WITHDRAWN and mori_canteen.seats_taken == 0
    assert set(Payment.objects.values_list("status", flat=True)) == {Status.CANCELLED}
    with pytest.raises(ValidationError):
        services.subscription_withdraw(subscription=subscription, user=giulia)


def test_a_stranger_cannot_withdraw(mori_canteen, mario):
    from sportello.accounts.tests.factories import UserFactory

    subscription = Subscription.objects.get(application=enrol(mori_canteen, mario))
    with pytest.raises(PermissionDenied):
        services.subscription_withdraw(subscription=subscription, user=UserFactory())


def test_cancelling_the_application_withdraws_the_subscription(mori_canteen, mario, mori_admin):
    from sportello.applications.services import application_cancel

    application = enrol(mori_canteen, mario)
    application_cancel(application=application, user=mori_admin, motivation="Domanda errata")
    assert Subscription.objects.get().state == SubscriptionState.WITHDRAWN


def test_closing_keeps_what_is_owed(mori_canteen, mario, mori_admin):
    subscription = Subscription.objects.get(application=enrol(mori_canteen, mario))
    services.subscription_close(subscription=subscription, user=mori_admin)
    assert Subscription.objects.get().state == SubscriptionState.CLOSED
    assert Payment.objects.filter(status=Status.CANCELLED).count() == 0
    with pytest.raises(PermissionDenied):
        services.subscription_close(subscription=subscription, user=mario)


def test_zero_amounts_have_no_position(mori_canteen, mario):
    subscription = services.subscription_create(
        subscription_service=mori_canteen,
        subscriber_fiscal_code=child_code(9),
        first_name="Ada",
        last_name="Rossi",
        holder_fiscal_code=MARIO,
        holder_name="Rossi Mario",
        overrides={"rata-1": 0},
    )
    charge = subscription.charges.get(item__code="rata-1")
    assert charge.payment is None and charge.status == "exempt"
    assert Charge.objects.filter(payment__isnull=False).count() == 3
