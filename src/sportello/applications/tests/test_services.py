import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from sportello.accounts.models import Role
from sportello.accounts.tests.factories import MembershipFactory, UserFactory
from sportello.applications import services as s
from sportello.applications.models import Application, Attachment
from sportello.applications.states import State
from sportello.applications.tests.factories import submitted_application
from sportello.catalog.tests.factories import ServiceFactory


@pytest.fixture
def applicant(db):
    return UserFactory(
        username="anna", first_name="Anna", last_name="Bianchi", fiscal_code="BNCNNA80A41L378X"
    )


@pytest.fixture
def service(mori, mori_operator):
    service = ServiceFactory(municipality=mori, slug="servizio")
    service.operators.set([mori_operator])
    return service


@pytest.fixture
def application(mori, applicant, service):
    return submitted_application(municipality=mori, applicant=applicant, service=service)


def test_submission_registers_with_a_protocol_number_and_a_receipt_hash(application, applicant):
    assert application.state == State.REGISTERED
    assert application.protocol_number == 1 and application.number.endswith("/000001")
    assert len(application.receipt_sha256) == 64
    assert application.receipt_sha256 == s.receipt_digest(application)
    history = [(e.from_state, e.to_state, e.actor_kind) for e in application.events.all()]
    assert history == [("draft", "submitted", "citizen"), ("submitted", "registered", "system")]
    assert application.applicant_name == "Bianchi Anna"


def test_an_incomplete_draft_cannot_be_submitted(mori, applicant, service):
    from sportello.catalog.services import service_form_save
    from sportello.catalog.tests.factories import SIMPLE_DEFINITION

    service_form_save(service=service, definition=SIMPLE_DEFINITION)
    draft = s.application_start(service=service, applicant=applicant)
    with pytest.raises(ValidationError):
        s.application_submit(application=draft, user=applicant)
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and draft.protocol_number is None


def test_only_the_applicant_submits_and_only_once(mori, applicant, service, application):
    with pytest.raises(s.TransitionNotAllowed):
        s.application_submit(application=application, user=applicant)
    other = UserFactory()
    draft = s.application_start(service=service, applicant=applicant)
    with pytest.raises(PermissionDenied):
        s.application_submit(application=draft, user=other)


def test_full_handling_journey(application, applicant, mori_operator, run_tasks):
    s.application_take_charge(application=application, user=mori_operator)
    s.application_request_integration(application=application, user=mori_operator, body="Manca l'ISEE.")
    s.application_answer_integration(application=application, user=applicant, body="Ecco l'ISEE.")
    s.application_accept(application=application, user=mori_operator, motivation="Requisiti verificati.")
    application.refresh_from_db()
    assert application.state == State.ACCEPTED and application.closed_at
    assert application.outcome_motivation == "Requisiti verificati."
    assert [e.transition for e in application.events.all()] == [
        "submit",
        "register",
        "take_charge",
        "request_integration",
        "answer_integration",
        "accept",
    ]
    assert [m.body for m in application.messages.all()] == ["Manca l'ISEE.", "Ecco l'ISEE."]
    run_tasks()
    from django_tasks_db.models import DBTaskResult

    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    subjects = [m.subject for m in mail.outbox]
    assert any("Ricevuta della domanda" in subject for subject in subjects)
    receipt_mail = next(m for m in mail.outbox if "Ricevuta" in m.subject)
    assert receipt_mail.attachments[0][2] == "application/pdf"
    assert receipt_mail.attachments[0][1].startswith(b"%PDF")
    assert Attachment.objects.get(kind=Attachment.Kind.RECEIPT).sha256
    bodies = " ".join(m.body for m in mail.outbox if m.to == [applicant.email])
    assert "presa in carico" in bodies and "Manca l'ISEE." in bodies and "accettata" in bodies
    assert "&#x27;" not in bodies  # plain-text e-mails are not HTML-escaped


@pytest.mark.parametrize(
    "action, kwargs",
    [
        ("application_accept", {"motivation": "ok"}),
        ("application_reject", {"motivation": "no"}),
        ("application_request_integration", {"body": "x"}),
        ("application_answer_integration", {"body": "x"}),
    ],
)
def test_disallowed_transitions_fail_cleanly_and_change_nothing(
    application, applicant, mori_operator, action, kwargs
):
    user = applicant if action == "application_answer_integration" else mori_operator
    before = list(application.events.values_list("pk", flat=True))
    with pytest.raises(s.TransitionNotAllowed):
        getattr(s, action)(application=application, user=user, **kwargs)
    application.refresh_from_db()
    assert application.state == State.REGISTERED
    assert list(application.events.values_list("pk", flat=True)) == before
    assert not application.messages.exists()


def test_outcomes_need_a_motivation(application, mori_operator):
    s.application_take_charge(application=application, user=mori_operator)
    with pytest.raises(ValidationError):
        s.application_reject(application=application, user=mori_operator, motivation="  ")
    application.refresh_from_db()
    assert application.state == State.IN_PROGRESS


def test_operator_not_enabled_on_the_service_cannot_act(mori, application):
    other_operator = MembershipFactory(municipality=mori, role=Role.OPERATOR).user
    with pytest.raises(PermissionDenied):
        s.application_take_charge(application=application, user=other_operator)
    admin = MembershipFactory(municipality=mori, role=Role.ADMIN).user
    s.application_take_charge(application=application, user=admin)  # administrators handle every service


def test_staff_of_another_municipality_cannot_act(application, trento_admin):
    with pytest.raises(PermissionDenied):
        s.application_take_charge(application=application, user=trento_admin)


def test_a_citizen_cannot_act_on_another_citizens_application(application):
    with pytest.raises(PermissionDenied):
        s.application_withdraw(application=application, user=UserFactory())
    with pytest.raises(PermissionDenied):
        s.application_message_post(application=application, user=UserFactory(), body="ciao")


def test_withdrawal_respects_the_service_option(application, applicant, service):
    service.allow_withdrawal = False
    service.save()
    with pytest.raises(s.TransitionNotAllowed):
        s.application_withdraw(application=application, user=applicant)
    service.allow_withdrawal = True
    service.save()
    s.application_withdraw(application=application, user=applicant)
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN


def test_integration_requests_respect_the_service_option(application, service, mori_operator):
    service.allow_integration_requests = False
    service.save()
    s.application_take_charge(application=application, user=mori_operator)
    with pytest.raises(s.TransitionNotAllowed):
        s.application_request_integration(application=application, user=mori_operator, body="x")


def test_assign_only_to_operators_enabled_on_the_service(mori, application, mori_operator, service):
    colleague = MembershipFactory(municipality=mori, role=Role.OPERATOR).user
    with pytest.raises(ValidationError):
        s.application_assign(application=application, user=mori_operator, assignee=colleague)
    service.operators.add(colleague)
    s.application_assign(application=application, user=mori_operator, assignee=colleague)
    application.refresh_from_db()
    assert application.assigned_to == colleague
    assert application.events.last().transition == "assign"


def test_cancel_by_the_office_with_motivation(application, mori_operator):
    s.application_cancel(application=application, user=mori_operator, motivation="Domanda duplicata.")
    application.refresh_from_db()
    assert application.state == State.CANCELLED


def test_internal_notes_are_for_staff_only(application, applicant, mori_operator):
    note = s.application_message_post(
        application=application, user=mori_operator, body="Verificare ISEE", internal=True
    )
    assert note.internal and note.from_office
    with pytest.raises(PermissionDenied):
        s.application_message_post(application=application, user=applicant, body="x", internal=True)


def test_protocol_numbers_are_per_municipality_and_gap_free(mori, trento, applicant, service):
    first = submitted_application(municipality=mori, applicant=applicant, service=service)
    trento_service = ServiceFactory(municipality=trento)
    other = submitted_application(municipality=trento, applicant=applicant, service=trento_service)
    second = submitted_application(municipality=mori, applicant=UserFactory(), service=service)
    assert (first.protocol_number, second.protocol_number, other.protocol_number) == (1, 2, 1)


def test_a_rolled_back_submission_gives_its_number_back(mori, applicant, service, monkeypatch):
    submitted_application(municipality=mori, applicant=applicant, service=service)

    def failing_digest(application):
        raise RuntimeError("crash after the protocol number was taken")

    monkeypatch.setattr(s, "receipt_digest", failing_digest)
    with pytest.raises(RuntimeError):
        submitted_application(municipality=mori, applicant=UserFactory(), service=service)
    monkeypatch.undo()
    third = submitted_application(municipality=mori, applicant=UserFactory(), service=service)
    assert third.protocol_number == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_consecutive_numbers(mori, mori_operator):
    """Eight threads submit at once: the database lock and unique constraint give 1..8, no gaps, no duplicates."""
    service = ServiceFactory(municipality=mori)
    from sportello.catalog.services import service_form_save
    from sportello.catalog.tests.factories import SIMPLE_DEFINITION

    service_form_save(service=service, definition=SIMPLE_DEFINITION)
    drafts = []
    for n in range(8):
        user = UserFactory(username=f"c{n}")
        draft = s.application_start(service=service, applicant=user)
        data = {"nome": f"N{n}"}
        drafts.append(
            s.application_save_page(application=draft, user=user, page=0, cleaned_data=data, serialized=data)
        )
    barrier = threading.Barrier(len(drafts))
    errors = []

    def submit(draft):
        try:
            barrier.wait()
            s.application_submit(application=draft, user=draft.applicant)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Application.objects.filter(service=service).values_list("protocol_number", flat=True))
    assert numbers == list(range(1, 9))
