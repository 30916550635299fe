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


IMPORT_HEADER = "codice_fiscale;cognome;nome;cf_richiedente;nome_richiedente;condivisa_con;importo_rata-1"


def test_import_enrols_every_line_with_its_amounts(mori_canteen, mori_admin):
    data = "\n".join(
        [
            IMPORT_HEADER,
            f"{child_code(20)};Verdi;Ada;VRDLCU90C15F728X;Verdi Luca;{GIULIA};99,50",
            f"{child_code(21)};Verdi;Bruno;VRDLCU90C15F728X;Verdi Luca;;",
        ]
    ).encode()
    created = services.subscriptions_import(subscription_service=mori_canteen, data=data, user=mori_admin)
    assert len(created) == 2
    assert created[0].charges.get(item__code="rata-1").amount_cents == 9950
    assert created[1].charges.get(item__code="rata-1").amount_cents == 11200  # second child: -20%
    assert list(created[0].sharers.values_list("fiscal_code", flat=True)) == [GIULIA]


def test_a_bad_file_is_rejected_whole_with_the_errors_by_line(mori_canteen, mario, mori_admin):
    enrol(mori_canteen, mario, child=22)  # already enrolled: only the database knows
    before = (Subscription.objects.count(), Payment.objects.count())
    data = "\n".join(
        [
            IMPORT_HEADER,
            f"{child_code(23)};Verdi;Ada;VRDLCU90C15F728X;Verdi Luca;;",
            f"{child_code(22)};Rossi;Anna;{MARIO};Rossi Mario;;",
        ]
    ).encode()
    with pytest.raises(services.ImportRejected) as rejected:
        services.subscriptions_import(subscription_service=mori_canteen, data=data, user=mori_admin)
    assert rejected.value.line_errors == [
        (3, f"Rossi Anna ({child_code(22)}) è già iscritto a questo servizio.")
    ]
    assert (Subscription.objects.count(), Payment.objects.count()) == before
    mori_canteen.refresh_from_db()
    assert mori_canteen.seats_taken == 1

    invalid = f"{IMPORT_HEADER}\n{child_code(24)};Verdi;Ada;NONVALIDO;Verdi Luca;;\n".encode()
    with pytest.raises(services.ImportRejected) as rejected:
        services.subscriptions_import(subscription_service=mori_canteen, data=invalid, user=mori_admin)
    assert rejected.value.line_errors[0][0] == 2
    assert Subscription.objects.count() == before[0]


def test_an_import_over_capacity_is_rejected_whole(mori_canteen, mori_admin):
    SubscriptionService.objects.filter(pk=mori_canteen.pk).update(max_subscribers=1)
    data = "\n".join(
        [IMPORT_HEADER] + [f"{child_code(30 + i)};Verdi;Ada;VRDLCU90C15F728X;Verdi Luca;;" for i in range(2)]
    ).encode()
    with pytest.raises(services.ImportRejected) as rejected:
        services.subscriptions_import(subscription_service=mori_canteen, data=data, user=mori_admin)
    assert [line for line, _message in rejected.value.line_errors] == [3]
    assert "al completo" in rejected.value.line_errors[0][1]
    assert Subscription.objects.count() == 0


def test_late_reminders_go_by_email_and_app_io_to_holder_and_sharers(mori_canteen, mario, giulia, mori_admin):
    from django.core import mail

    from sportello.notifications.models import IOMessage
    from sportello.notifications.tests.factories import IOBindingFactory
    from sportello.subscriptions.models import Reminder
    from sportello.subscriptions.tasks import reminder_send

    service = mori_canteen.service
    service.io_service_id = "01IOSERVICEMENSA"
    service.save()
    IOBindingFactory(service=service)
    subscription = Subscription.objects.get(application=enrol(mori_canteen, mario, sharer=GIULIA))
    late = subscription.charges.get(item__code="iscrizione")
    Charge.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=3))
    assert services.reminders_late_send(subscription_service=mori_canteen, user=mori_admin) == 1
    reminder = Reminder.objects.get()
    assert (reminder.charge_id, reminder.kind, reminder.sent_by) == (late.pk, "late", mori_admin)
    assert sorted(IOMessage.objects.values_list("user__fiscal_code", flat=True)) == sorted([MARIO, GIULIA])
    mail.outbox.clear()
    reminder_send.call(reminder_id=reminder.pk)
    assert sorted(m.to[0] for m in mail.outbox) == ["giulia@example.org", "mario@example.org"]
    assert "Sollecito di pagamento: Quota di iscrizione" in mail.outbox[0].subject
    assert "30,00" in mail.outbox[0].body


def test_due_reminders_are_sent_once_by_the_periodic_task(mori_canteen, mario):
    from django.core import mail

    from sportello.subscriptions.models import Reminder
    from sportello.subscriptions.tasks import reminder_send, reminders_due_send

    subscription = Subscription.objects.get(application=enrol(mori_canteen, mario))
    soon = subscription.charges.get(item__code="rata-1")
    Charge.objects.filter(pk=soon.pk).update(due_date=timezone.localdate() + datetime.timedelta(days=2))
    assert reminders_due_send.call() == 1
    assert reminders_due_send.call() == 0
    mail.outbox.clear()
    reminder_send.call(reminder_id=Reminder.objects.get(kind="due").pk)
    assert [m.to for m in mail.outbox] == [["mario@example.org"]]
    assert "Pagamento in scadenza" in mail.outbox[0].subject
