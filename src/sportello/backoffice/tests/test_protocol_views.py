"""The administrators' protocol settings: P.I.Tre. connection, write-only certificate and key, the connection
check, and the per-service filing."""

import pytest

from sportello.applications.models import ProtocolSettings, ServiceProtocolSettings
from sportello.applications.tests.pitre_fixtures import key_pair as _key_pair
from sportello.applications.tests.pitre_fixtures import use_pitre
from sportello.catalog.tests.factories import ServiceFactory

URL = "/comune-di-mori/it/operatori/ente/protocollo/"


def _form(**changes):
    data = {
        "provider": "pitre",
        "base_url": "https://ws-t.pitre.tn.it/RestServices",
        "routing": "router",
        "code_adm": "c_f728",
        "code_application": "SPORTELLO",
        "username": "sportello",
        "code_role": "PROT",
        "code_register": "RP",
        "code_rf": "",
    }
    return {**data, **changes}


def test_the_admin_switches_to_pitre_and_the_secrets_are_write_only(client, mori, mori_admin):
    client.force_login(mori_admin)
    certificate, key = _key_pair()
    response = client.post(URL, _form(certificate=certificate, key=key))
    assert response.status_code == 302
    saved = ProtocolSettings.objects.get(municipality=mori)
    assert saved.is_pitre and saved.client_key.strip() == key.strip()
    page = client.get(URL).content.decode()
    assert "CN=sportello.example.org" in page and "Chiave privata salvata" in page
    body = key.strip().splitlines()[1]
    assert body not in page and certificate.strip().splitlines()[1] not in page
    assert "PRIVATE KEY" not in page and body not in repr(saved)
    # Saving again without certificate and key keeps them
    assert client.post(URL, _form(code_rf="RF1")).status_code == 302
    saved.refresh_from_db()
    assert saved.code_rf == "RF1" and saved.client_key.strip() == key.strip()


def test_a_key_that_does_not_match_the_certificate_is_refused_and_changes_nothing(client, mori, mori_admin):
    client.force_login(mori_admin)
    certificate, _key = _key_pair()
    _other, other_key = _key_pair()
    response = client.post(URL, _form(certificate=certificate, key=other_key))
    assert response.status_code == 200
    assert "La chiave non corrisponde al certificato." in response.content.decode()
    assert not ProtocolSettings.objects.filter(municipality=mori).exists()


def test_pitre_needs_its_connection_data(client, mori, mori_admin):
    client.force_login(mori_admin)
    response = client.post(URL, _form(base_url="", code_register=""))
    page = response.content.decode()
    assert (
        "Indica l&#x27;indirizzo del servizio P.I.Tre." in page and "Indica il codice del registro." in page
    )
    assert not ProtocolSettings.objects.filter(municipality=mori).exists()


def test_operators_cannot_see_the_protocol_settings(client, mori, mori_operator):
    client.force_login(mori_operator)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("routing", ["router", "paths"])
def test_verifica_connessione_reads_the_registers(client, mori, mori_admin, fake_pitre, routing):
    client.force_login(mori_admin)
    use_pitre(mori, fake_pitre, routing=routing)
    page = client.post(URL, {"azione": "verifica"}, follow=True).content.decode()
    assert "Connessione riuscita: il ruolo vede i registri RP." in page
    assert fake_pitre.calls == ["GetToken", "GetRegistersOrRF"]


def test_verifica_connessione_says_what_is_wrong(client, mori, mori_admin, fake_pitre):
    client.force_login(mori_admin)
    settings = use_pitre(mori, fake_pitre, code_register="RX")
    page = client.post(URL, {"azione": "verifica"}, follow=True).content.decode()
    assert "il registro RX non è tra quelli del ruolo: RP" in page
    settings.code_adm = "c_xxxx"
    settings.save()
    page = client.post(URL, {"azione": "verifica"}, follow=True).content.decode()
    assert "P.I.Tre. ha risposto con un errore: CODE_ADM non valido" in page
    fake_pitre.stop()
    page = client.post(URL, {"azione": "verifica"}, follow=True).content.decode()
    assert "P.I.Tre. non raggiungibile" in page


def test_the_service_filing_is_saved_per_service(client, mori, mori_admin, trento):
    client.force_login(mori_admin)
    service = ServiceFactory(municipality=mori)
    url = f"/comune-di-mori/it/operatori/servizi/{service.pk}/protocollo/"
    response = client.post(url, {"classification_scheme": "12", "project_code": "6.3-2026-7"})
    assert response.status_code == 302
    filing = ServiceProtocolSettings.objects.get(service=service)
    assert (filing.classification_scheme, filing.project_code) == ("12", "6.3-2026-7")
    other = ServiceFactory(municipality=trento)
    assert client.get(f"/comune-di-mori/it/operatori/servizi/{other.pk}/protocollo/").status_code == 404
