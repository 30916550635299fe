"""In the browser: an administrator creates a service, previews it privately, publishes it; a citizen finds it."""

import pytest

from sportello.accounts.tests.factories import TEST_PASSWORD
from sportello.catalog.models import Service

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

MORI = "/comune-di-mori/it"


def _expect():
    from playwright.sync_api import expect

    return expect


def _select(page, label: str, value: str):
    page.get_by_label(label, exact=True).select_option(value)


def test_admin_creates_previews_privately_and_publishes_a_service(page, browser, live_server, mori_admin):
    expect = _expect()
    page.goto(f"{MORI}/operatori/login")
    page.get_by_label("Nome utente").fill("admin-mori")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Accedi").click()

    page.locator(".sportello-sidebar").get_by_role("link", name="Servizi", exact=True).click()
    page.get_by_role("link", name="Nuovo servizio").click()
    # Step 1: Dati generali
    page.get_by_label("Nome del servizio").fill("Segnalazione buche stradali")
    page.get_by_label("Identificativo nell'indirizzo").fill("segnalazione-buche")
    _select(page, "Categoria *", "mobilita-e-trasporti")
    page.get_by_label("Argomenti").fill("Urbanizzazione, Polizia")
    page.get_by_label("Descrizione breve").fill("Segnala una buca o un danno alla strada.")
    _select(page, "Livello di accesso *", "anonymous")
    page.get_by_role("button", name="Avanti").click()
    # Step 2: Scheda
    expect(page.locator(".steppers-header li.active")).to_contain_text("Scheda")
    page.get_by_label("A chi è rivolto").fill("A chiunque noti un danno sulle strade comunali.")
    page.get_by_label("Come fare").fill("Compila il modulo indicando **dove** si trova la buca.")
    page.get_by_label("Ufficio responsabile").fill("Ufficio tecnico")
    page.get_by_role("button", name="Avanti").click()
    # Step 3: Dati del form
    expect(page.locator(".steppers-header li.active")).to_contain_text("Dati del form")
    page.get_by_role("link", name="Aggiungi un campo", exact=True).click()
    page.get_by_label("Nome tecnico").fill("luogo")
    page.get_by_label("Etichetta (italiano)").fill("Dove si trova la buca?")
    page.locator("label[for=id_required]").click()  # Bootstrap Italia styles the label, not the box
    page.get_by_role("button", name="Salva il campo").click()
    expect(page.locator(".alert-success")).to_contain_text("versione 1")
    page.get_by_role("button", name="Avanti").click()
    # Step 4: Notifiche (not bound to App IO: nothing to fill)
    expect(page.locator(".steppers-header li.active")).to_contain_text("Notifiche")
    page.get_by_role("button", name="Avanti").click()
    # Step 5: Pagamento (none for this service)
    expect(page.locator(".steppers-header li.active")).to_contain_text("Pagamento")
    page.get_by_role("button", name="Fine").click()
    expect(page.locator("h1")).to_have_text("Servizi")
    expect(page.locator("tbody")).to_contain_text("Bozza")

    service = Service.objects.get(slug="segnalazione-buche")
    public_url = f"{MORI}/servizi/segnalazione-buche/"
    citizen = browser.new_context(base_url=live_server.url).new_page()
    assert citizen.goto(public_url).status == 404  # a draft is not public

    # Preview privately: Privato is reachable by its link but not listed
    page.get_by_role("link", name="Segnalazione buche stradali").first.click()
    _select(page, "Stato *", "private")
    page.get_by_role("button", name="Avanti").click()
    assert citizen.goto(public_url).status == 200
    expect(citizen.locator("[data-element=service-title]")).to_have_text("Segnalazione buche stradali")
    expect(citizen.locator("meta[name=robots]")).to_have_attribute("content", "noindex, nofollow")
    citizen.goto(f"{MORI}/servizi/")
    expect(citizen.locator("[data-element=service-link]")).to_have_count(0)
    # The citizen can already try it through the direct link: the form is validated by the server
    citizen.goto(public_url)
    citizen.locator("[data-element=service-online-access]").click()
    citizen.get_by_role("button", name="Avanti").click()
    expect(citizen.locator(".invalid-feedback")).to_contain_text("Questo campo è obbligatorio")
    citizen.get_by_label("Dove si trova la buca?").fill("Via Roma 12, davanti alla scuola")
    citizen.get_by_role("button", name="Avanti").click()
    expect(citizen.locator("h1")).to_have_text("Riepilogo")
    expect(citizen.locator("main dl")).to_contain_text("Via Roma 12, davanti alla scuola")

    # Publish
    page.goto(f"{MORI}/operatori/servizi/{service.pk}/")
    _select(page, "Stato *", "published")
    page.get_by_role("button", name="Avanti").click()
    citizen.goto(f"{MORI}/servizi/")
    expect(citizen.locator("[data-element=service-link]")).to_have_text(["Segnalazione buche stradali"])
    citizen.locator("[data-element=service-link]").click()
    expect(citizen.locator("[data-element=service-how-to] strong")).to_have_text("dove")
    citizen.screenshot(path=str(live_server_screenshot("service-page-it.png")), full_page=True)
    citizen.context.close()


def live_server_screenshot(name: str):
    from django.conf import settings

    folder = settings.PROJECT_DIR / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name
