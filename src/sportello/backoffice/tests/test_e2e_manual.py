"""The staff manual's screenshots, taken in the browser on the pages the manual describes.

Every run takes them and checks that each one the manual shows is produced here. With
``SPORTELLO_MANUAL_SCREENSHOTS=1`` (``make manual``) they are written into ``backoffice/static/backoffice/manual/``,
so the manual stays current with the interface."""

import os
from pathlib import Path

import pytest

from sportello.accounts.tests.factories import TEST_PASSWORD, UserFactory
from sportello.applications.tests.factories import submitted_application
from sportello.backoffice import manual
from sportello.catalog.tests.factories import ServiceFactory
from sportello.scheduling.tests.factories import CalendarFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

MORI = "/comune-di-mori/it/operatori"


def test_the_manuals_screenshots_are_taken_from_the_live_pages(page, live_server, mori, mori_admin, tmp_path):
    from playwright.sync_api import expect

    nursery = ServiceFactory(municipality=mori, name="Iscrizione al nido d'infanzia", slug="nido")
    ServiceFactory(municipality=mori, name="Contributo per le spese scolastiche", slug="contributo")
    CalendarFactory(municipality=mori, title="Sportello anagrafe")
    citizen = UserFactory(username="cittadina", first_name="Giulia", last_name="Bianchi")
    submitted_application(municipality=mori, applicant=citizen, service=nursery)
    target = manual.SCREENSHOTS_DIR if os.environ.get("SPORTELLO_MANUAL_SCREENSHOTS") == "1" else tmp_path
    taken = set()

    def shot(name: str, heading: str):
        expect(page.locator("h1").first).to_contain_text(heading)
        page.screenshot(path=str(Path(target) / name), full_page=False)
        taken.add(name)

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{MORI}/login")
    shot("login.png", "Accesso")
    page.get_by_label("Nome utente").fill("admin-mori")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    shot("dashboard.png", "Cruscotto")
    page.goto(f"{MORI}/servizi/")
    shot("services.png", "Servizi")
    page.goto(f"{MORI}/servizi/{nursery.pk}/scheda/")
    shot("service_card.png", "Iscrizione al nido")
    page.goto(f"{MORI}/calendari/")
    shot("calendars.png", "Calendari")
    page.goto(f"{MORI}/pratiche/")
    shot("applications.png", "pratiche")
    page.goto(f"{MORI}/pagamenti/")
    shot("payments.png", "Pagamenti")
    page.goto(f"{MORI}/aiuto/manuale/")
    expect(page.get_by_role("link", name="Servizi e pubblicazione")).to_be_visible()
    wanted = {file for chapter in manual.chapters() for file in chapter.screenshots}
    assert wanted == taken, f"the manual shows {sorted(wanted - taken)} that no test takes"
    for name in taken:
        assert (Path(target) / name).stat().st_size > 5000
