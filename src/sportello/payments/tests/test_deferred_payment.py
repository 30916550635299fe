"""A deferred payment moves the application: "Richiedi pagamento" makes it wait for the payment, the payment's
outcome returns it to handling with "Pagamento ricevuto" (or "non eseguito") in its history, and the office is told.
Idempotent and out-of-order safe: the payment's news reach the application once per payment and final state."""

import pytest
from django.utils import timezone

from sportello.applications.models import ApplicationEvent
from sportello.applications.states import State
from sportello.applications.tasks import application_notify
from sportello.applications.tests.factories import submitted_application
from sportello.payments.models import Status, When
from sportello.payments.providers import PositionStatus
from sportello.payments.services import payment_apply_status, payment_cancel, payment_request_deferred

from .factories import cie_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def requested(mori, mori_payments, mori_operator, citizen):
    """A registered CIE application whose fee the operator asked for (position published: payable)."""
    service = cie_service(mori, when=When.DEFERRED)
    service.operators.set([mori_operator])
    application = submitted_application(
        municipality=mori, applicant=citizen, service=service, data={"motivo": "primo_rilascio"}
    )
    payment = payment_request_deferred(application=application, user=mori_operator)
    return payment_apply_status(payment=payment, observed=PositionStatus(status=Status.PENDING))


def _paid(payment):
    return PositionStatus(
        status=Status.PAID,
        paid_at=timezone.now(),
        paid_cents=payment.amount_cents,
        psp="PSP",
        receipt_id="R1",
    )


def _events(application, *names):
    return list(ApplicationEvent.objects.filter(application=application, transition__in=names))


def test_requesting_a_deferred_payment_makes_the_application_wait_and_takes_it_in_charge(
    requested, mori_operator
):
    application = requested.application
    application.refresh_from_db()
    assert application.state == State.PAYMENT_REQUESTED
    assert application.get_state_display() == "In attesa del pagamento richiesto"
    assert application.assigned_to == mori_operator and application.taken_at is not None
    (event,) = _events(application, "payment_request")
    assert event.actor == mori_operator and event.title == "Pagamento richiesto"


def test_a_second_request_while_waiting_is_refused_and_changes_nothing(requested, mori_operator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="solo per una pratica in istruttoria"):
        payment_request_deferred(application=requested.application, user=mori_operator)
    assert requested.application.payments.count() == 1
    assert len(_events(requested.application, "payment_request")) == 1


def test_paid_returns_the_application_to_handling_and_tells_the_assignee(
    requested, mori_operator, mailoutbox
):
    payment_apply_status(payment=requested, observed=_paid(requested))
    application = requested.application
    application.refresh_from_db()
    assert application.state == State.IN_PROGRESS
    (event,) = _events(application, "payment_received")
    assert event.title == "Pagamento ricevuto"
    assert event.from_state == State.PAYMENT_REQUESTED and event.to_state == State.IN_PROGRESS
    assert "22,21 € pagati" in event.motivation and requested.notice_number in event.motivation
    mailoutbox.clear()
    application_notify.call(event_id=event.pk)
    (mail,) = mailoutbox
    assert mail.to == [mori_operator.email]
    assert mail.subject == f"Pagamento ricevuto per la pratica {application.number}"
    assert "la pratica torna in carico" in mail.body


def test_nobody_assigned_the_services_operators_are_told(requested, mori, mailoutbox):
    from sportello.accounts.models import Role
    from sportello.accounts.tests.factories import MembershipFactory

    colleague = MembershipFactory(municipality=mori, role=Role.OPERATOR, user__username="collega").user
    requested.application.service.operators.add(colleague)
    type(requested.application).objects.filter(pk=requested.application_id).update(assigned_to=None)
    payment_apply_status(payment=requested, observed=_paid(requested))
    (event,) = _events(requested.application, "payment_received")
    mailoutbox.clear()
    application_notify.call(event_id=event.pk)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        u.email for u in requested.application.service.operators.all()
    )
    assert len(mailoutbox) == 2


def test_paid_twice_records_the_payment_once(requested):
    payment_apply_status(payment=requested, observed=_paid(requested))
    payment_apply_status(payment=requested, observed=_paid(requested))
    assert len(_events(requested.application, "payment_received", "payment_received_late")) == 1


@pytest.mark.parametrize("late", [Status.FAILED, Status.EXPIRED, Status.CANCELLED])
def test_a_failure_after_paid_changes_nothing(requested, late):
    payment_apply_status(payment=requested, observed=_paid(requested))
    payment_apply_status(payment=requested, observed=PositionStatus(status=late))
    application = requested.application
    application.refresh_from_db()
    assert application.state == State.IN_PROGRESS
    assert not _events(application, "payment_not_received")


def test_an_expired_payment_returns_the_application_and_a_late_payment_is_still_recorded(
    requested, mailoutbox
):
    payment_apply_status(payment=requested, observed=PositionStatus(status=Status.EXPIRED))
    application = requested.application
    application.refresh_from_db()
    assert application.state == State.IN_PROGRESS  # the office can decide, or ask again
    (failed,) = _events(application, "payment_not_received")
    assert failed.title == "Pagamento non eseguito" and "scaduto" in failed.motivation
    # pagoPA reports it paid after all (out of order): the state stays, the history says it, the office hears
    payment_apply_status(payment=requested, observed=_paid(requested))
    application.refresh_from_db()
    assert application.state == State.IN_PROGRESS
    (late,) = _events(application, "payment_received_late")
    assert late.title == "Pagamento ricevuto" and late.from_state == late.to_state == State.IN_PROGRESS
    mailoutbox.clear()
    application_notify.call(event_id=late.pk)
    assert "non era in attesa di questo pagamento" in mailoutbox[0].body


def test_the_operator_cancelling_the_payment_returns_the_application_to_handling(requested, mori_operator):
    payment_cancel(payment=requested, user=mori_operator, note="importo errato")
    application = requested.application
    application.refresh_from_db()
    assert application.state == State.IN_PROGRESS
    (event,) = _events(application, "payment_not_received")
    assert "annullato" in event.motivation


def test_a_paid_withdrawn_application_stays_withdrawn_with_the_payment_in_its_history(requested, citizen):
    from sportello.applications.services import application_withdraw

    application_withdraw(application=requested.application, user=citizen)
    payment_apply_status(payment=requested, observed=_paid(requested))
    application = requested.application
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    assert len(_events(application, "payment_received_late")) == 1


def test_citizen_and_operator_see_the_payment_received_in_the_history(
    client, requested, citizen, mori_operator
):
    from sportello.accounts.tests.factories import give_privacy_consent

    payment_apply_status(payment=requested, observed=_paid(requested))
    application = requested.application
    give_privacy_consent(citizen)
    client.force_login(citizen)
    session = client.session
    session["citizen_auth"] = {
        "level": "spid2",
        "idp": "https://idp.example/",
        "name_id": "x",
    }  # the service's SPID 2
    session.save()
    response = client.get(f"/comune-di-mori/it/pratiche/{application.pk}/")
    assert response.status_code == 200, response.get("Location")
    page = response.content.decode()
    assert "Pagamento richiesto" in page and "Pagamento ricevuto" in page
    client.force_login(mori_operator)
    page = client.get(f"/comune-di-mori/it/operatori/pratiche/{application.pk}/").content.decode()
    assert "<strong>Pagamento ricevuto</strong>" in page and "22,21 € pagati" in page


def test_the_api_history_names_the_payment_steps(requested):
    from sportello.api.serializers import ApplicationEventSerializer

    payment_apply_status(payment=requested, observed=_paid(requested))
    (event,) = _events(requested.application, "payment_received")
    assert ApplicationEventSerializer(event).data["title"] == "Pagamento ricevuto"
