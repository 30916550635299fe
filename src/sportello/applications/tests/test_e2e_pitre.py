"""In the browser: the demo's Comune di Trento registers in a local fake P.I.Tre. (a real HTTP server); a citizen
submits, the real task worker registers the application, which becomes "Protocollata" with the P.I.Tre. number,
and the operator sees the segnatura."""

import pytest
from django.core.management import call_command

from sportello.accounts.models import User
from sportello.accounts.tests.factories import TEST_PASSWORD
from sportello.applications.models import Application, ProtocolEntry
from sportello.applications.protocol.pitre_sandbox import FakePitre
from sportello.applications.states import State
from sportello.municipalities.models import Municipality

from .pitre_fixtures import free_port, use_pitre

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

TRENTO = "/comune-di-trento/it"


@pytest.fixture
def trento_on_pitre(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    fake = FakePitre(code_adm="c_l378", registers=["RP"])
    fake.url = fake.start(port=free_port())
    use_pitre(Municipality.objects.get(slug="comune-di-trento"), fake)
    yield fake
    fake.stop()


def test_citizen_submits_and_the_application_is_protocolled_in_pitre(
    new_page, sp_at_live_server, demo_spid_login, trento_on_pitre, run_tasks
):
    from playwright.sync_api import expect

    fake = trento_on_pitre
    admin = User.objects.get(username="admin-trento")
    admin.set_password(TEST_PASSWORD)
    admin.must_change_password = False
    admin.save()
    citizen, operator = new_page(), new_page()

    citizen.goto(f"{TRENTO}/servizi/iscrizione-albo-scrutatori/")
    citizen.locator("[data-element=service-online-access]").click()
    demo_spid_login(citizen, "Giulia Bianchi")
    expect(citizen.locator("#id_nome")).to_have_value("Giulia")
    citizen.get_by_label("Via e numero civico").fill("Via Belenzani 19")
    citizen.get_by_label("CAP").fill("38122")
    citizen.get_by_label("Comune", exact=True).fill("Trento")
    citizen.get_by_label("Provincia (sigla)").fill("TN")
    citizen.get_by_label("Titolo di studio").select_option("laurea")
    citizen.locator(
        "label[for=id_requisiti]"
    ).click()  # Bootstrap Italia's checkbox: its label takes the click
    citizen.locator("label[for=id_privacy]").click()
    citizen.get_by_role("button", name="Avanti").click()
    expect(citizen.locator("h1")).to_have_text("Riepilogo")
    citizen.get_by_role("button", name="Invia la domanda").click()
    expect(citizen.locator("h1")).to_contain_text("in attesa di protocollo")
    application = Application.objects.get(
        service__slug="iscrizione-albo-scrutatori", applicant__first_name="Giulia"
    )
    assert application.state == State.SUBMITTED and application.protocol_number is None

    run_tasks()  # the worker registers it in P.I.Tre. (and sends the receipt)
    application.refresh_from_db()
    [document] = fake.entries()
    assert application.state == State.REGISTERED
    assert application.protocol_number == int(document["ProtocolNumber"])
    assert application.protocol_entries.get().status == ProtocolEntry.Status.REGISTERED

    citizen.goto(f"{TRENTO}/pratiche/{application.pk}/")
    expect(citizen.locator(".badge").first).to_have_text("Protocollata")
    expect(citizen.locator("main")).to_contain_text(application.number)
    expect(citizen.locator("[data-element=protocol-segnatura]")).to_contain_text(document["Signature"])

    operator.goto(f"{TRENTO}/operatori/login")
    operator.get_by_label("Nome utente").fill("admin-trento")
    operator.get_by_label("Password").fill(TEST_PASSWORD)
    operator.get_by_role("button", name="Accedi").click()
    operator.goto(f"{TRENTO}/operatori/pratiche/{application.pk}/")
    expect(operator.locator("h1")).to_contain_text(application.number)
    expect(operator.locator("[data-element=protocol-segnatura]")).to_contain_text(document["Signature"])
    expect(operator.locator("[data-element=application-protocol]")).to_contain_text("Protocollato")
    operator.goto(f"{TRENTO}/operatori/ente/protocollo/")
    expect(operator.locator("h1")).to_have_text("Registro di protocollo")
    operator.get_by_role("button", name="Verifica connessione").click()
    expect(operator.locator(".sportello-messages")).to_contain_text("Connessione riuscita")
