"""Aiuto: the staff manual (pages and PDF) and the help desk's contacts."""

import pytest
from bs4 import BeautifulSoup

from sportello.backoffice import manual

BASE = "/comune-di-mori/it/operatori/aiuto"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize("who", ["admin", "operator"])
def test_every_staff_member_reads_the_manual_under_aiuto(client, mori_admin, mori_operator, who):
    client.force_login(mori_admin if who == "admin" else mori_operator)
    dashboard = soup(client.get("/comune-di-mori/it/operatori/"))
    sidebar = dashboard.select_one(".sportello-sidebar")
    assert sidebar.find("a", string="Manuale operativo")["href"] == f"{BASE}/manuale/"
    assert sidebar.find("a", string="Supporto")["href"] == f"{BASE}/supporto/"
    index = soup(client.get(f"{BASE}/manuale/"))
    titles = [a.get_text() for a in index.select(".sportello-manual-contents a")]
    assert titles == [
        "Primo accesso e cambio password",
        "Servizi e pubblicazione",
        "Calendari e appuntamenti",
        "Pratiche",
        "Pagamenti",
        "Collaudo prima della messa in linea",
    ]


def test_a_chapter_shows_its_sections_and_current_screenshots(client, mori_operator):
    client.force_login(mori_operator)
    page = soup(client.get(f"{BASE}/manuale/primo-accesso/"))
    assert page.select_one("article h1").get_text() == "1. Primo accesso e cambio password"
    assert page.select_one("article")["lang"] == "it"
    images = page.select("article figure img")
    assert [img["src"].rsplit("/", 1)[-1] for img in images] == ["login.png", "dashboard.png"]
    assert all(img["alt"] for img in images)
    assert "<strong>Accedi</strong>" in str(page.select_one("article"))
    assert page.find("a", string="Servizi e pubblicazione →")
    assert client.get(f"{BASE}/manuale/non-esiste/").status_code == 404


def test_every_screenshot_the_manual_shows_is_in_the_repository():
    wanted = {file for chapter in manual.chapters() for file in chapter.screenshots}
    assert wanted and all((manual.SCREENSHOTS_DIR / file).stat().st_size > 5000 for file in wanted)


def test_the_manual_is_also_one_pdf_with_its_screenshots(client, mori_admin):
    client.force_login(mori_admin)
    response = client.get(f"{BASE}/manuale/manuale-operativo.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response.content.count(b"/Subtype /Image") == 7
    assert len(response.content) > 100_000


def test_the_support_page_shows_the_contacts_the_platform_staff_configured(client, mori_operator, settings):
    settings.SUPPORT = {"name": "Consorzio dei Comuni", "email": "help@example.org", "phone": "0461 123456"}
    client.force_login(mori_operator)
    page = soup(client.get(f"{BASE}/supporto/"))
    card = page.select_one(".card-body")
    assert card.select_one("h2").get_text() == "Consorzio dei Comuni"
    assert card.find("a", href="mailto:help@example.org") and card.find("a", href="tel:0461123456")


def test_the_manual_is_for_staff_only(client, citizen, mori):
    assert client.get(f"{BASE}/manuale/").status_code == 302
    client.force_login(citizen)
    assert client.get(f"{BASE}/manuale/").status_code == 403
    assert client.get(f"{BASE}/supporto/").status_code == 403
