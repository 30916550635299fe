"""Payment requests reach the citizen: when a payment becomes payable (published), an e-mail and/or an App IO
message with ``payment_data`` (amount, notice number, payee, invalid after the due date) and a "Paga online" call
to action, as the citizen's preference says. The demo app pays the notice at the pagoPA sandbox."""

from datetime import UTC

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.core import mail
from django_tasks_db.models import DBTaskResult

from sportello.accounts.services import privacy_consent_give
from sportello.accounts.tests.factories import UserFactory
from sportello.applications.services import application_submit
from sportello.core.urlutils import absolute_url
from sportello.notifications.io_content import cta_parse
from sportello.notifications.models import Channels, EmailDelivery, IOMessage, SandboxIOMessage
from sportello.notifications.services import notification_preference_set
from sportello.notifications.tasks import _payload, io_message_deliver, payment_request_notify
from sportello.payments.models import Payment, SandboxPosition, Status, When
from sportello.payments.services import payment_publish_now, payment_refresh, payment_request_deferred
from sportello.payments.tests.factories import cie_service, filled_application, payment_settings

from .factories import IOBindingFactory

AREA = "/comune-di-mori/it/area-personale/"
INBOX = AREA + "app-io-demo/"


@pytest.fixture
def giulia(mori):
    user = UserFactory(
        username="giulia", first_name="Giulia", fiscal_code="BNCGLI85M41L378W", email="giulia@example.org"
    )
    privacy_consent_give(user=user, municipality=mori, version=django_settings.PRIVACY_TERMS_VERSION)
    return user


@pytest.fixture
def deferred(mori, mori_operator, giulia):
    """An application of an IO-bound CIE service in progress, whose fee the office asks for later."""
    payment_settings(mori)
    service = cie_service(mori, when=When.DEFERRED)
    IOBindingFactory(service=service, service__io_service_id="01IOCIE")
    service.io_service_id = "01IOCIE"
    service.save(update_fields=["io_service_id"])
    service.operators.set([mori_operator])
    application = filled_application(service, giulia)
    application_submit(application=application, user=giulia)
    application.refresh_from_db()
    return application


def _tasks(name):
    return DBTaskResult.objects.filter(task_path__endswith=name)


def _request_and_publish(application, operator) -> Payment:
    payment = payment_request_deferred(application=application, user=operator)
    assert not _tasks("payment_request_notify").exists()  # not yet payable: nothing to tell
    return payment_publish_now(payment=payment)


def test_published_payment_sends_the_io_message_with_payment_data_and_the_email(deferred, mori_operator):
    payment = _request_and_publish(deferred, mori_operator)
    assert payment.status == Status.PENDING
    assert _tasks("payment_request_notify").count() == 1  # enqueued in the publishing transaction
    assert payment_request_notify.call(payment_id=payment.pk) == "sent"

    message = IOMessage.objects.get(event_key=f"payment-request:{payment.pk}")
    assert message.payment_data == {
        "amount": 2221,
        "notice_number": payment.notice_number,
        "payee_fiscal_code": payment.creditor_fiscal_code,
        "invalid_after_due_date": True,
        "checkout_url": absolute_url(f"/comune-di-mori/it/pratiche/{deferred.pk}/pagamento/"),
    }
    assert message.due_date.astimezone(UTC).date() == payment.due_date  # 23:59:59 in Rome = 22:59:59 UTC
    payload = _payload(message, "it")
    assert payload["content"]["payment_data"] == {
        "amount": 2221,
        "notice_number": payment.notice_number,
        "invalid_after_due_date": True,
        "payee": {"fiscal_code": payment.creditor_fiscal_code},
    }
    assert "checkout_url" not in str(payload)  # Sportello's own, never sent to IO
    ctas, body = cta_parse(payload["content"]["markdown"])
    assert ctas["it"] == [("Paga online", message.payment_data["checkout_url"])]
    assert ctas["en"][0][0] == "Pay online" and ctas["de"][0][0] == "Online zahlen"
    assert "22,21 €" in body and payment.notice_number[:4] in body
    assert 80 <= len(payload["content"]["markdown"]) <= 10000

    (email,) = mail.outbox
    assert email.to == ["giulia@example.org"] and "22,21 €" in email.subject
    assert message.payment_data["checkout_url"] in email.body and "iohandledlink" not in email.body
    assert EmailDelivery.objects.get(event_key=f"payment-request:{payment.pk}").status == "sent"

    assert payment_request_notify.call(payment_id=payment.pk) == "sent"  # a retried task: nothing more
    assert IOMessage.objects.count() == 1  # per event: the take-charge events are not IO here


def test_email_only_citizen_gets_no_io_message_and_io_only_no_email(deferred, mori_operator, giulia):
    notification_preference_set(user=giulia, municipality=deferred.municipality, channels=Channels.EMAIL)
    payment = _request_and_publish(deferred, mori_operator)
    payment_request_notify.call(payment_id=payment.pk)
    assert not IOMessage.objects.filter(event_key__startswith="payment-request").exists()
    assert len(mail.outbox) == 1

    mail.outbox.clear()
    notification_preference_set(user=giulia, municipality=deferred.municipality, channels=Channels.IO)
    EmailDelivery.objects.all().delete()
    payment_request_notify.call(payment_id=payment.pk)
    assert IOMessage.objects.filter(event_key=f"payment-request:{payment.pk}").count() == 1
    assert mail.outbox == []
    assert EmailDelivery.objects.get(event_key=f"payment-request:{payment.pk}").status == "not_wanted"


def test_a_notice_paid_before_the_worker_runs_is_not_requested(deferred, mori_operator):
    from sportello.payments.providers.sandbox import sandbox_outcome

    payment = _request_and_publish(deferred, mori_operator)
    position = SandboxPosition.objects.get(iupd=payment.iupd)
    sandbox_outcome(position_pk=position.pk, outcome="paid")
    payment_refresh(payment=payment)
    assert payment_request_notify.call(payment_id=payment.pk) == "not payable"
    assert not IOMessage.objects.filter(event_key__startswith="payment-request").exists() and not mail.outbox


def test_payment_at_submission_is_requested_too(mori, giulia):
    from sportello.payments.services import payment_request_at_submission

    payment_settings(mori)
    service = cie_service(mori)
    IOBindingFactory(service=service, service__io_service_id="01IOCIE2")
    service.io_service_id = "01IOCIE2"
    service.save(update_fields=["io_service_id"])
    application = filled_application(service, giulia)
    payment = payment_publish_now(payment=payment_request_at_submission(application=application, user=giulia))
    payment_request_notify.call(payment_id=payment.pk)
    assert IOMessage.objects.get(event_key=f"payment-request:{payment.pk}").payment_data["amount"] == 2221


def _client_for(client, user):
    client.force_login(user)
    session = client.session
    session["citizen_auth"] = {"level": "spid2", "idp": "demo", "at": "2026-12-01T10:00:00+01:00"}
    session.save()
    return client


def test_demo_app_pays_the_notice_at_the_pagopa_sandbox(client, deferred, mori_operator, giulia):
    payment = _request_and_publish(deferred, mori_operator)
    payment_request_notify.call(payment_id=payment.pk)
    message = IOMessage.objects.get(event_key=f"payment-request:{payment.pk}")
    io_message_deliver.call(message_id=message.pk)
    received = SandboxIOMessage.objects.get(fiscal_code=giulia.fiscal_code)

    citizen = _client_for(client, giulia)
    html = BeautifulSoup(citizen.get(INBOX).content, "html.parser")
    box = html.select_one('[data-testid="io-demo-payment"]')
    assert box["data-status"] == "pending" and "22,21" in box.get_text()
    assert box.find("button", string="Paga") is not None
    cta = html.select_one(".io-demo-ctas a")
    assert cta.get_text() == "Paga online" and cta["href"] == message.payment_data["checkout_url"]
    assert "---" not in html.select_one(".io-demo-body").get_text()  # the front matter is buttons, not text

    answer = citizen.post(f"{INBOX}{received.io_id}/paga")
    position = SandboxPosition.objects.get(iupd=payment.iupd)
    assert (
        answer.status_code == 302
        and answer["Location"] == f"/comune-di-mori/it/pagopa-sandbox/{position.pk}/"
    )
    assert position.return_urls["ok"] == "http://testserver" + INBOX
    paid = citizen.post(answer["Location"], {"outcome": "paid"})
    assert paid.status_code == 302 and paid["Location"] == "http://testserver" + INBOX
    html = BeautifulSoup(citizen.get(INBOX).content, "html.parser")
    assert html.select_one('[data-testid="io-demo-payment"]')["data-status"] == "paid"
    assert html.select_one('[data-testid="io-demo-payment"]').find("button") is None

    # Sportello learns it as from GPD: by asking the position (the poller), not from the app.
    assert Payment.objects.get(pk=payment.pk).status == Status.PENDING
    payment_refresh(payment=payment)
    assert Payment.objects.get(pk=payment.pk).status == Status.PAID


def test_demo_app_pays_only_its_own_messages(client, deferred, mori_operator, giulia):
    payment = _request_and_publish(deferred, mori_operator)
    payment_request_notify.call(payment_id=payment.pk)
    io_message_deliver.call(message_id=IOMessage.objects.get().pk)
    received = SandboxIOMessage.objects.get()
    intruder = UserFactory(username="intruso", fiscal_code="RSSMRA80A01H501U")
    privacy_consent_give(
        user=intruder, municipality=deferred.municipality, version=django_settings.PRIVACY_TERMS_VERSION
    )
    assert _client_for(client, intruder).post(f"{INBOX}{received.io_id}/paga").status_code == 404
    assert SandboxPosition.objects.get(iupd=payment.iupd).return_urls == {}


def test_position_with_a_purpose_and_no_application_is_requested_by_email(mori, giulia):
    """Rooms and subscriptions (``payment_position_create``): no service bound to IO to send from, so the
    debtor gets the e-mail, pointing to "I miei pagamenti"."""
    from datetime import timedelta

    from django.utils import timezone

    from sportello.payments.services import payment_position_create

    payment_settings(mori)
    keys = {"description": "Cauzione", "capitolo": "3100", "taxonomy_code": "9/0104100TS/"}
    payment = payment_position_create(
        municipality=mori,
        lines=[(keys, 5000)],
        description="Cauzione sala civica",
        due_date=timezone.localdate() + timedelta(days=10),
        debtor_fiscal_code=giulia.fiscal_code,
        debtor_name="Giulia Bianchi",
        debtor_email="giulia@example.org",
        purpose="room:deposit",
    )
    payment = payment_publish_now(payment=payment)
    assert _tasks("payment_request_notify").count() == 1
    assert payment_request_notify.call(payment_id=payment.pk) == "sent"
    (email,) = mail.outbox
    assert "50,00 €" in email.subject and "Cauzione sala civica" in email.subject
    assert absolute_url("/comune-di-mori/it/area-personale/pagamenti/") in email.body
    assert "Gentile Giulia Bianchi" in email.body and not IOMessage.objects.exists()
