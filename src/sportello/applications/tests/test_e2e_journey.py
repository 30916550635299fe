"""The whole journey in the browser, with the real SAML login of the demo IdP and the real task worker:
citizen submits -> operator takes in charge and requests integrations -> citizen answers -> operator accepts ->
citizen sees the outcome and downloads the receipt."""

import pytest
from django.core import mail

from sportello.accounts.tests.factories import TEST_PASSWORD
from sportello.applications.models import Application
from sportello.applications.states import State
from sportello.catalog.constants import AccessLevel
from sportello.catalog.services import service_form_save
from sportello.catalog.tests.factories import ServiceFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

MORI = "/comune-di-mori/it"
DEFINITION = {
    "pages": [
        {
            "title": {"it": "Richiedente"},
            "fields": [
                {"key": "nome", "type": "text", "label": {"it": "Nome"}, "required": True, "prefill": "name"},
                {
                    "key": "cognome",
                    "type": "text",
                    "label": {"it": "Cognome"},
                    "required": True,
                    "prefill": "family_name",
                },
            ],
        },
        {
            "title": {"it": "Richiesta"},
            "fields": [
                {"key": "figli", "type": "number", "label": {"it": "Figli a carico"}, "required": True},
                {
                    "key": "isee",
                    "type": "file",
                    "label": {"it": "Attestazione ISEE"},
                    "file": {"types": ["pdf"], "max_size_mb": 2},
                },
            ],
        },
    ]
}
PDF = b"%PDF-1.4\n% Sportello test\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _shot(name: str):
    from django.conf import settings

    folder = settings.PROJECT_DIR / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def _expect():
    from playwright.sync_api import expect

    return expect


def test_citizen_and_operator_handle_an_application_end_to_end(
    new_page,
    sp_at_live_server,
    demo_spid_login,
    mori,
    mori_operator,
    run_tasks,
    settings,
    tmp_path,
):
    expect = _expect()
    settings.MEDIA_ROOT = tmp_path
    service = ServiceFactory(
        municipality=mori, slug="contributo", name="Contributo famiglie", access_level=AccessLevel.SPID2
    )
    service.operators.set([mori_operator])
    service_form_save(service=service, definition=DEFINITION)
    isee = tmp_path / "isee.pdf"
    isee.write_bytes(PDF)

    citizen, operator = new_page(), new_page()

    # Citizen: service page -> SPID (demo IdP) -> form, page by page -> summary -> submit
    citizen.goto(f"{MORI}/servizi/contributo/")
    citizen.locator("[data-element=service-online-access]").click()
    demo_spid_login(citizen, "Giulia Bianchi")
    expect(citizen.locator("#id_nome")).to_have_value("Giulia")  # prefilled from SPID
    citizen.get_by_role("button", name="Avanti").click()
    citizen.get_by_label("Figli a carico").fill("2")
    citizen.get_by_role("button", name="Avanti").click()
    expect(citizen.locator("h1")).to_have_text("Riepilogo")
    citizen.get_by_role("button", name="Invia la domanda").click()
    expect(citizen.locator("h1")).to_contain_text("Numero di protocollo")
    application = Application.objects.get(service=service)
    assert application.state == State.REGISTERED and application.applicant.fiscal_code == "BNCGLI85M41L378W"

    # Operator: list -> detail -> take in charge -> request integrations
    operator.goto(f"{MORI}/operatori/login")
    operator.get_by_label("Nome utente").fill("operatore-mori")
    operator.get_by_label("Password").fill(TEST_PASSWORD)
    operator.get_by_role("button", name="Accedi").click()
    operator.locator(".sportello-sidebar").get_by_role("link", name="Elenco pratiche").click()
    operator.get_by_role("link", name=application.number).click()
    expect(operator.locator("main")).to_contain_text("Giulia")
    operator.get_by_role("button", name="Prendi in carico").click()
    operator.locator("summary", has_text="Richiedi integrazioni").click()
    operator.locator("#id_integrazione-body").fill("Allega l'attestazione ISEE in corso di validità.")
    operator.locator("form", has=operator.locator("#id_integrazione-body")).get_by_role(
        "button", name="Richiedi integrazioni"
    ).click()
    expect(operator.locator(".sportello-messages")).to_be_visible()
    application.refresh_from_db()
    assert application.state == State.INTEGRATION_REQUESTED

    # Citizen: personal area -> the application -> answer with the document
    citizen.goto(f"{MORI}/pratiche/")
    citizen.get_by_role("link", name="Contributo famiglie").click()
    expect(citizen.locator(".alert-warning")).to_contain_text("integrare la domanda")
    expect(citizen.locator("#messaggi")).to_contain_text("Allega l'attestazione ISEE")
    citizen.get_by_label("Messaggio").fill("Ecco l'attestazione.")
    citizen.get_by_label("Allegati").set_input_files(str(isee))
    citizen.get_by_role("button", name="Invia le integrazioni").click()
    expect(citizen.locator(".sportello-messages")).to_contain_text("Integrazioni inviate")
    application.refresh_from_db()
    assert application.state == State.INTEGRATION_RECEIVED

    # Operator: sees the answer and the document, accepts with a motivation
    operator.reload()
    expect(operator.locator("main")).to_contain_text("Ecco l'attestazione.")
    expect(operator.get_by_role("link", name="isee.pdf").first).to_be_visible()
    operator.locator("summary", has_text="Accetta").click()
    operator.locator("#id_accetta-motivation").fill("Requisiti verificati: contributo concesso.")
    operator.get_by_role("button", name="Accetta la pratica").click()
    expect(operator.locator(".sportello-messages")).to_contain_text("Pratica accettata.")
    operator.screenshot(path=str(_shot("operator-application-detail.png")), full_page=True)
    operator.goto(f"{MORI}/operatori/pratiche/")
    operator.screenshot(path=str(_shot("operator-application-list.png")), full_page=True)
    operator.goto(f"{MORI}/operatori/statistiche/")
    operator.screenshot(path=str(_shot("operator-statistics.png")), full_page=True)

    # Citizen: sees the outcome and downloads the receipt
    citizen.reload()
    expect(citizen.locator(".alert-success")).to_contain_text("contributo concesso")
    expect(citizen.locator(".badge").first).to_have_text("Accettata")
    with citizen.expect_download() as download:
        citizen.get_by_role("link", name="Scarica la ricevuta (PDF)").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    citizen.screenshot(path=str(_shot("citizen-application-detail.png")), full_page=True)

    # The worker sends the e-mails that were queued with each step
    run_tasks()
    subjects = [m.subject for m in mail.outbox]
    assert any("Ricevuta della domanda" in subject for subject in subjects)
    assert any("Integrazioni ricevute" in subject for subject in subjects)
