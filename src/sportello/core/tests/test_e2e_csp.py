"""In a real browser the Content-Security-Policy blocks nothing Sportello needs (and Bootstrap Italia works)."""

import pytest

from sportello.accounts.tests.factories import TEST_PASSWORD
from sportello.catalog.tests.factories import ServiceFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def test_pages_run_under_the_csp_without_violations(page, mori, mori_admin, sp_at_live_server):
    ServiceFactory(municipality=mori, slug="servizio")
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    for path in ["/comune-di-mori/it/", "/comune-di-mori/it/servizi/", "/comune-di-mori/it/operatori/login"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert page.evaluate("document.fonts.check('16px \"Titillium Web\"')")  # loadFonts ran
    page.get_by_label("Nome utente").fill("admin-mori")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.goto("/comune-di-mori/it/operatori/servizi/")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("button", name="Copia URL").first.is_visible()  # the static script ran
    assert violations == []
