"""In the browser, without JavaScript-only paths: an operator finds an application, takes it, writes, accepts it."""

import pytest

from sportello.accounts.tests.factories import TEST_PASSWORD, UserFactory
from sportello.applications.models import Application
from sportello.applications.states import State
from sportello.applications.tests.factories import submitted_application
from sportello.catalog.tests.factories import ServiceFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

MORI = "/comune-di-mori/it"


def test_operator_handles_an_application(page, mori, mori_operator, settings, tmp_path):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    service = ServiceFactory(municipality=mori, name="Asilo nido", slug="nido")
    service.operators.set([mori_operator])
    applicant = UserFactory(
        username="anna", first_name="Anna", last_name="Bianchi", fiscal_code="BNCNNA80A41L378X"
    )
    application = submitted_application(municipality=mori, applicant=applicant, service=service)

    page.goto(f"{MORI}/operatori/login")
    page.get_by_label("Nome utente").fill("operatore-mori")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.locator(".sportello-sidebar").get_by_role("link", name="Elenco pratiche").click()
    expect(page.locator("h1")).to_have_text("Elenco pratiche")
    page.get_by_label("Cerca").fill("bianchi")
    page.get_by_role("button", name="Filtra").click()
    page.get_by_role("link", name=application.number).click()
    expect(page.locator("h1")).to_contain_text(application.number)

    page.get_by_role("button", name="Prendi in carico").click()
    expect(page.locator(".sportello-messages")).to_contain_text("Hai preso in carico la pratica.")
    page.get_by_label("Testo").fill("Nota per i colleghi.")
    page.get_by_role("button", name="Nota interna").click()
    expect(page.locator(".sportello-internal-note")).to_contain_text("Nota per i colleghi.")
    page.locator("summary", has_text="Accetta").click()
    page.locator("#id_accetta-motivation").fill("Requisiti verificati.")
    page.get_by_role("button", name="Accetta la pratica").click()
    expect(page.locator(".sportello-messages")).to_contain_text("Pratica accettata.")
    application.refresh_from_db()
    assert application.state == State.ACCEPTED and application.assigned_to == mori_operator
    assert Application.objects.get(pk=application.pk).messages.get().internal
