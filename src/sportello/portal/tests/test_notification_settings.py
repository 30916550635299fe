"""Personal area: "Preferenze di notifica" and the "App IO (demo)" inbox."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings

from sportello.accounts.services import privacy_consent_give
from sportello.accounts.tests.factories import UserFactory
from sportello.notifications.models import NotificationPreference
from sportello.notifications.services import io_message_enqueue
from sportello.notifications.tasks import io_message_deliver
from sportello.notifications.tests.factories import IOBindingFactory

AREA = "/comune-di-mori/it/area-personale/"
INBOX = AREA + "app-io-demo/"


@pytest.fixture
def anna(mori):
    user = UserFactory(username="anna", fiscal_code="BNCNNA80A41L378X", first_name="Anna")
    privacy_consent_give(user=user, municipality=mori, version=django_settings.PRIVACY_TERMS_VERSION)
    return user


@pytest.fixture
def anna_client(client, anna):
    client.force_login(anna)
    session = client.session
    session["citizen_auth"] = {"level": "spid2", "idp": "demo", "at": "2026-12-01T10:00:00+01:00"}
    session.save()
    return client


def test_citizen_chooses_the_channels_for_this_municipality(anna_client, anna, mori):
    page = BeautifulSoup(anna_client.get(AREA).content, "html.parser")
    assert page.find(id="notifications-title").get_text() == "Preferenze di notifica"
    assert page.select_one('input[name="channels"][value="both"]').has_attr("checked")
    response = anna_client.post(AREA + "notifiche/", {"channels": "io"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=anna, municipality=mori).channels == "io"
    anna_client.post(AREA + "notifiche/", {"channels": "fax"})
    assert NotificationPreference.objects.get(user=anna, municipality=mori).channels == "io"


def test_preferences_need_a_citizen_login(client, mori):
    assert client.post(AREA + "notifiche/", {"channels": "io"}).status_code == 302
    assert not NotificationPreference.objects.exists()


def test_demo_inbox_shows_the_citizens_io_messages_with_payment(anna_client, anna, mori):
    binding = IOBindingFactory(service__municipality=mori, service__name="Carta d'identità elettronica")
    other = UserFactory(username="bruno", fiscal_code="RSSMRA80A01H501U")
    for user, key in ((anna, "a"), (other, "b")):
        message = io_message_enqueue(
            user=user,
            service=binding.service,
            event_key=key,
            subject=f"Pagamento richiesto {key}",
            markdown="Paga il **diritto fisso**.",
            payment_data={
                "amount": 2221,
                "notice_number": "302000000000000123",
                "payee_fiscal_code": "00123450220",
                "checkout_url": "/pagamenti/demo/123/",
            },
        )
        io_message_deliver.call(message_id=message.pk)
    page = anna_client.get(INBOX)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = BeautifulSoup(page.content, "html.parser")
    assert html.find("h1").get_text() == "App IO (demo)"
    inbox = html.select_one('[data-testid="io-demo-inbox"]').get_text(" ", strip=True)
    assert "Pagamento richiesto a" in inbox and "Pagamento richiesto b" not in inbox
    assert "22,21" in inbox and "Comune di Mori" in inbox
    # No such notice at the pagoPA sandbox: the app shows it, with no "Paga" (test_payment_messages pays one).
    assert html.find("button", string="Paga") is None and "non si può pagare" in inbox
    assert html.select_one(".io-demo-body strong").get_text() == "diritto fisso"


def test_demo_inbox_does_not_exist_without_the_sandbox(anna_client, settings):
    settings.SANDBOX_PROVIDERS = ["demo_idp"]
    assert anna_client.get(INBOX).status_code == 404
    assert "App IO (demo)" not in anna_client.get(AREA).content.decode()
