"""Who the message e-mails go to: never the wrong person (they carry personal data)."""

import pytest
from django.core import mail

from sportello.accounts.models import Role
from sportello.accounts.tests.factories import MembershipFactory, UserFactory
from sportello.applications import services as s
from sportello.applications.tasks import application_message_notify
from sportello.applications.tests.factories import submitted_application
from sportello.catalog.tests.factories import ServiceFactory


@pytest.fixture
def applicant(db):
    return UserFactory(username="anna", email="anna@example.org", fiscal_code="BNCNNA80A41L378X")


@pytest.fixture
def operators(mori):
    return [
        MembershipFactory(
            municipality=mori, role=Role.OPERATOR, user__username=name, user__email=f"{name}@comune.example"
        ).user
        for name in ("lucia", "paolo")
    ]


@pytest.fixture
def application(mori, applicant, operators):
    service = ServiceFactory(municipality=mori, slug="servizio")
    service.operators.set(operators)
    return submitted_application(municipality=mori, applicant=applicant, service=service)


def _notify(message):
    mail.outbox.clear()
    application_message_notify.call(message_id=message.pk)
    return [(m.to, m.body) for m in mail.outbox]


def test_an_operator_message_is_emailed_to_the_citizen_only(application, applicant, operators):
    s.application_take_charge(application=application, user=operators[0])
    message = s.application_message_post(
        application=application, user=operators[0], body="Dati riservati XYZ"
    )
    sent = _notify(message)
    assert [to for to, _body in sent] == [["anna@example.org"]]
    assert "Dati riservati XYZ" in sent[0][1]


def test_a_citizen_message_is_emailed_to_the_assignee(application, applicant, operators):
    s.application_take_charge(application=application, user=operators[1])
    message = s.application_message_post(application=application, user=applicant, body="Una domanda")
    assert [to for to, _body in _notify(message)] == [["paolo@comune.example"]]


def test_a_citizen_message_on_an_unassigned_application_reaches_the_service_operators(
    application, applicant, operators
):
    message = s.application_message_post(application=application, user=applicant, body="Una domanda")
    assert sorted(to for to, _body in _notify(message)) == [
        ["lucia@comune.example"],
        ["paolo@comune.example"],
    ]


def test_an_internal_note_emails_nobody(application, operators):
    s.application_take_charge(application=application, user=operators[0])
    note = s.application_message_post(
        application=application, user=operators[1], body="Solo per noi", internal=True
    )
    assert _notify(note) == []
