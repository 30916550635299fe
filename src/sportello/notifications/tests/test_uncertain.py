"""Uncertain App IO deliveries (the send was interrupted after calling IO) are settled by staff in the back
office: "Segna come consegnato" or "Invia di nuovo", once, by those allowed to, with who and why recorded."""

import threading

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import connection

from sportello.accounts.models import Role
from sportello.accounts.tests.factories import MembershipFactory, UserFactory
from sportello.notifications.models import IOMessage, SandboxIOMessage
from sportello.notifications.services import io_message_enqueue, io_message_resolve
from sportello.notifications.tasks import io_message_deliver

from .factories import IOBindingFactory

Status = IOMessage.Status
LIST = "/comune-di-mori/it/operatori/app-io/da-verificare/"


@pytest.fixture
def binding(mori, mori_operator):
    binding = IOBindingFactory(service__municipality=mori, service__name="Carta d'identità elettronica")
    binding.service.operators.set([mori_operator])
    return binding


def _uncertain(binding, key="test:1"):
    user = (
        UserFactory(fiscal_code="BNCNNA80A41L378X")
        if key == "test:1"
        else UserFactory(fiscal_code="RSSMRA80A01H501U")
    )
    message = io_message_enqueue(
        user=user,
        service=binding.service,
        event_key=key,
        subject="Appuntamento confermato",
        markdown="Ti aspettiamo allo sportello anagrafe.",
    )
    # What a worker killed between IO's answer and our update leaves behind (see test_delivery).
    IOMessage.objects.filter(pk=message.pk).update(status=Status.SENDING)
    assert io_message_deliver.call(message_id=message.pk) == Status.UNCERTAIN
    message.refresh_from_db()
    return message


def test_resend_sends_it_once_more_and_records_who(binding, mori_operator):
    message = _uncertain(binding)
    assert io_message_deliver.call(message_id=message.pk) == Status.UNCERTAIN  # never by itself
    assert not SandboxIOMessage.objects.exists()

    io_message_resolve(
        message=message, actor=mori_operator, action="resend", note="il cittadino non l'ha visto"
    )
    assert io_message_deliver.call(message_id=message.pk) == Status.ACCEPTED
    assert SandboxIOMessage.objects.count() == 1
    manual = message.attempts.get(operation="manual")
    assert (manual.actor, manual.outcome, manual.error) == (
        mori_operator,
        "resend",
        "il cittadino non l'ha visto",
    )
    with pytest.raises(ValidationError):  # settled: nothing more to resolve
        io_message_resolve(message=message, actor=mori_operator, action="resend")
    assert io_message_deliver.call(message_id=message.pk) == Status.ACCEPTED
    assert SandboxIOMessage.objects.count() == 1


def test_mark_delivered_with_io_id_then_reconciled(binding, mori_admin):
    message = _uncertain(binding)
    with pytest.raises(ValidationError):
        io_message_resolve(message=message, actor=mori_admin, action="delivered", io_id="not an id!")
    message = io_message_resolve(message=message, actor=mori_admin, action="delivered", io_id="01ABCDEF")
    assert (message.status, message.io_id, message.error) == (Status.ACCEPTED, "01ABCDEF", "")
    assert message.attempts.get(operation="manual").outcome == "marked_delivered"
    # The task now only asks IO how it is going (the sandbox has no such id: recorded, nothing sent).
    io_message_deliver.call(message_id=message.pk)
    assert not SandboxIOMessage.objects.exists()
    assert message.attempts.filter(operation="status").count() == 1


def test_only_uncertain_messages_and_allowed_staff(binding, mori, trento_admin):
    message = _uncertain(binding)
    outsider = MembershipFactory(municipality=mori, role=Role.OPERATOR).user  # not enabled on the service
    for actor in (outsider, trento_admin):
        with pytest.raises(ValidationError):
            io_message_resolve(message=message, actor=actor, action="resend")
    assert IOMessage.objects.get(pk=message.pk).status == Status.UNCERTAIN
    with pytest.raises(ValidationError):
        io_message_resolve(message=message, actor=binding.service.operators.get(), action="explode")


@pytest.mark.django_db(transaction=True)
def test_two_staff_members_resolving_at_once_resend_once(mori, mori_operator, mori_admin):
    binding = IOBindingFactory(service__municipality=mori)
    binding.service.operators.set([mori_operator])
    message = _uncertain(binding)
    barrier, outcomes = threading.Barrier(2), []

    def resolve(actor):
        try:
            barrier.wait()
            io_message_resolve(message=message, actor=actor, action="resend")
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=resolve, args=(actor,)) for actor in (mori_operator, mori_admin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1, outcomes
    if connection.vendor == "sqlite":  # the in-memory test database refuses the second writer outright
        assert outcomes[outcomes.index("ok") - 1] in (
            "refused",
            "OperationalError('database table is locked')",
        )
    else:  # PostgreSQL: the second waits for the row lock, then finds it settled
        assert sorted(outcomes) == ["ok", "refused"]
    assert message.attempts.filter(operation="manual").count() == 1


def test_back_office_page_lists_and_resolves(client, binding, mori_operator, mori):
    message = _uncertain(binding)
    _uncertain(IOBindingFactory(service__municipality=mori), key="test:2")  # a service she does not handle
    client.force_login(mori_operator)
    html = BeautifulSoup(client.get(LIST).content, "html.parser")
    items = html.select('[data-testid="io-uncertain"] > li')
    assert [item["id"] for item in items] == [f"io-{message.pk}"]
    assert "BNCNNA80A41L378X" in items[0].get_text()

    answer = client.post(f"/comune-di-mori/it/operatori/app-io/{message.pk}/risolvi", {"azione": "resend"})
    assert answer.status_code == 302 and answer["Location"] == LIST
    assert IOMessage.objects.get(pk=message.pk).status == Status.PENDING
    again = client.post(f"/comune-di-mori/it/operatori/app-io/{message.pk}/risolvi", {"azione": "resend"})
    assert again.status_code == 404  # no longer to verify
