"""Browser journey: "Accedi" -> demo IdP -> back to the page, logged in (real SAML exchange, Chromium)."""

import re

import pytest

from sportello.accounts.models import LoginEvent

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def test_accedi_demo_idp_and_back_logged_in(page, mori, sp_at_live_server):
    from playwright.sync_api import expect

    page.goto("/comune-di-mori/it/privacy/")
    page.locator("#citizen-login").click()
    expect(page).to_have_url(re.compile(r"/comune-di-mori/it/login/\?next=/comune-di-mori/it/privacy/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Accedi")

    page.get_by_text("Entra con SPID").click()
    page.get_by_role("link", name="SPID di prova (demo)").click()

    # The demo IdP, clearly labelled, after the signed AuthnRequest was posted to it.
    expect(page).to_have_url(re.compile(r"/demo-idp/spid/sso/$"))
    expect(page.get_by_role("note")).to_contain_text("AMBIENTE DI PROVA")
    page.get_by_label(re.compile(r"Giulia Bianchi")).check()
    page.get_by_role("button", name="Accedi come questo cittadino").click()

    # Back where the citizen was going, logged in: the header shows their name and menu.
    expect(page).to_have_url(re.compile(r"/comune-di-mori/it/privacy/$"))
    expect(page.locator("#citizen-menu")).to_contain_text("Giulia Bianchi")
    expect(page.locator("#citizen-login")).to_have_count(0)
    assert LoginEvent.objects.get().level == "spid2"

    # The personal area: privacy consent first, then the citizen's data.
    page.locator("#citizen-menu").click()
    page.locator(".dropdown-menu[aria-labelledby='citizen-menu']").get_by_role(
        "link", name="Area personale"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Informativa sul trattamento dei dati personali"
    )
    page.locator("label[for='id_accept']").click()  # Bootstrap Italia draws the box on the label
    page.get_by_role("button", name="Continua").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Area personale")
    expect(page.get_by_test_id("fiscal-code")).to_have_text("BNCGLI85M41L378W")
