"""The service editor's "Notifiche" step: App IO binding with write-only keys, sync, history; channels on history."""

import pytest
from bs4 import BeautifulSoup

from sportello.catalog.tests.factories import ServiceFactory
from sportello.notifications.models import IOBinding
from sportello.notifications.models import ServiceIOLogEntry as Log

BASE = "/comune-di-mori/it/operatori/servizi"
SECRET = "chiave-super-segreta-42"


@pytest.fixture
def admin_client(client, mori_admin):
    client.force_login(mori_admin)
    return client


@pytest.fixture
def service(mori):
    return ServiceFactory(municipality=mori, name="Carta d'identità elettronica", slug="cie")


def test_binding_is_saved_and_the_key_is_never_shown_again(admin_client, service, caplog):
    page = admin_client.get(f"{BASE}/{service.pk}/notifiche/")
    assert "4. Notifiche" in [
        li.get_text(strip=True)
        for li in BeautifulSoup(page.content, "html.parser").select(".steppers-header li")
    ]
    data = {
        "io_service_id": "01IOCIE",
        "provider": "io_sandbox",
        "api_key": SECRET,
        "manage_key": SECRET,
        "enabled": "on",
    }
    response = admin_client.post(f"{BASE}/{service.pk}/notifiche/", data)
    assert response.status_code == 302
    binding = IOBinding.objects.get(service=service)
    service.refresh_from_db()
    assert service.io_service_id == "01IOCIE" and binding.api_key == SECRET
    page = admin_client.get(f"{BASE}/{service.pk}/notifiche/")
    assert SECRET not in page.content.decode()
    assert "Una chiave è salvata" in page.content.decode()
    admin_client.post(f"{BASE}/{service.pk}/notifiche/", {**data, "api_key": "", "manage_key": ""})
    binding.refresh_from_db()
    assert binding.api_key == SECRET
    assert SECRET not in caplog.text


def test_sync_button_queues_a_sync_recorded_in_the_history(admin_client, service):
    admin_client.post(
        f"{BASE}/{service.pk}/notifiche/",
        {"io_service_id": "01IOCIE", "provider": "io_sandbox", "api_key": SECRET, "enabled": "on"},
    )
    response = admin_client.post(f"{BASE}/{service.pk}/notifiche/sincronizza")
    assert response.status_code == 302
    assert Log.objects.filter(service=service, kind=Log.Kind.SYNC_QUEUED).exists()
    page = admin_client.get(f"{BASE}/{service.pk}/notifiche/").content.decode()
    assert "Sincronizzazione con App IO in coda" in page


def test_sync_of_an_unbound_service_says_why(admin_client, service):
    response = admin_client.post(f"{BASE}/{service.pk}/notifiche/sincronizza", follow=True)
    assert "non è collegato ad App IO" in response.content.decode()
    assert not Log.objects.exists()


def test_sandbox_is_not_offered_where_disabled(admin_client, service, settings):
    settings.SANDBOX_PROVIDERS = ["demo_idp"]
    page = admin_client.get(f"{BASE}/{service.pk}/notifiche/").content.decode()
    assert 'value="io_sandbox"' not in page
    response = admin_client.post(
        f"{BASE}/{service.pk}/notifiche/", {"io_service_id": "01X", "provider": "io_sandbox", "api_key": "k"}
    )
    assert response.status_code == 200 and not IOBinding.objects.exists()


def test_operator_sees_each_events_channels_on_the_history(client, mori, mori_admin):
    from sportello.accounts.tests.factories import UserFactory
    from sportello.applications.services import application_take_charge
    from sportello.applications.tasks import application_notify
    from sportello.applications.tests.factories import submitted_application
    from sportello.notifications.tasks import io_message_deliver
    from sportello.notifications.tests.factories import IOBindingFactory

    binding = IOBindingFactory(service__municipality=mori)
    anna = UserFactory(username="anna", fiscal_code="BNCNNA80A41L378X")
    application = submitted_application(municipality=mori, applicant=anna, service=binding.service)
    application_take_charge(application=application, user=mori_admin)
    event = application.events.last()
    application_notify.call(event_id=event.pk)
    io_message_deliver.call(message_id=anna.io_messages.get().pk)
    client.force_login(mori_admin)
    page = BeautifulSoup(
        client.get(f"/comune-di-mori/it/operatori/pratiche/{application.pk}/").content, "html.parser"
    )
    cells = [cell.get_text(" ", strip=True) for cell in page.select(".sportello-deliveries")]
    assert "E-mail : E-mail inviata" in cells[-1] and "App IO : Consegnato ad App IO" in cells[-1]
