"""In the browser: a parent (Mario Rossi, demo SPID) enrols his daughter through the service's form, naming the
other parent; the other parent (Giulia Bianchi) finds the subscription in "Le mie iscrizioni", pays the first
instalment in the pagoPA sandbox; the operator's matrix shows it paid. At 375 px nothing scrolls sideways."""

import re

import pytest

from sportello.accounts.tests.factories import TEST_PASSWORD
from sportello.payments.models import Status
from sportello.payments.tests.factories import payment_settings
from sportello.subscriptions.models import Subscription

from .conftest import GIULIA
from .factories import canteen, child_code

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]
MORI = "/comune-di-mori/it"


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_parent_enrols_other_parent_pays_operator_sees_it_paid(
    browser, live_server, sp_at_live_server, demo_spid_login, mori, mori_operator, settings, tmp_path
):
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)  # the shared test machine can be slow
    settings.MEDIA_ROOT = tmp_path
    payment_settings(mori)
    subscription_service = canteen(mori)
    subscription_service.service.operators.set([mori_operator])
    slug = subscription_service.service.slug

    def context(width=1280):
        page = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 900}
        ).new_page()
        page.context.set_default_timeout(30_000)
        return page

    mario = context()
    mario.goto(f"{MORI}/servizi/{slug}/")
    mario.locator("[data-element=service-online-access]").click()
    demo_spid_login(mario, "Mario Rossi")
    mario.get_by_role("textbox", name="Nome del bambino", exact=True).fill("Sofia")
    mario.get_by_role("textbox", name="Cognome del bambino").fill("Rossi")
    mario.locator("#id_iscritto_codice_fiscale").fill(child_code(7).lower())
    mario.locator("#id_condivisione_codice_fiscale").fill(GIULIA)
    mario.get_by_role("button", name="Avanti").click()
    mario.get_by_role("button", name="Invia la domanda").click()
    mario.wait_for_url(re.compile(r"/inviata/"))
    subscription = Subscription.objects.get(subscriber_fiscal_code=child_code(7))
    assert subscription.holder.fiscal_code == "RSSMRA80A01H501U"

    giulia = context(width=375)
    giulia.goto(f"{MORI}/area-personale/iscrizioni/")
    demo_spid_login(giulia, "Giulia Bianchi")
    shared = giulia.get_by_test_id("shared-subscriptions")
    expect(shared).to_contain_text("Rossi Sofia")
    assert no_sideways_scroll(giulia)
    shared.get_by_role("link", name="Mensa scolastica 2026/27").click()
    first = giulia.locator("[data-testid=charge][data-item=rata-1]")
    expect(first.get_by_test_id("charge-status")).to_have_text("Da pagare")
    assert no_sideways_scroll(giulia)
    first.get_by_role("button", name=re.compile("Paga online")).click()
    expect(giulia.locator("h1")).to_have_text("Pagamento di prova (sandbox pagoPA)")
    giulia.get_by_role("button", name="Paga (prova)").click()
    expect(giulia.get_by_test_id("payment-outcome")).to_have_attribute("data-status", "paid")
    charge = subscription.charges.get(item__code="rata-1")
    assert charge.payment.status == Status.PAID and charge.payment.debtor_fiscal_code == "RSSMRA80A01H501U"

    operator = context()
    operator.goto(f"{MORI}/operatori/login")
    operator.get_by_label("Nome utente").fill("operatore-mori")
    operator.get_by_label("Password").fill(TEST_PASSWORD)
    operator.get_by_role("button", name="Accedi").click()
    operator.locator(".sportello-sidebar").get_by_role("link", name="Servizi a sottoscrizione").click()
    operator.get_by_role("link", name="Mensa scolastica 2026/27").click()
    row = operator.locator(f"[data-testid=matrix-row][data-fiscal-code={child_code(7)}]")
    expect(row.locator("td[data-item=rata-1]")).to_have_attribute("data-status", "paid")
    expect(row.locator("td[data-item=iscrizione]")).to_have_attribute("data-status", "open")
    totals = operator.get_by_test_id("matrix-totals").locator("td[data-item=rata-1]")
    expect(totals.get_by_test_id("paid-count")).to_have_text("1 pagato")
    for page in (mario, giulia, operator):
        page.context.close()
