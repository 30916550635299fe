from bs4 import BeautifulSoup

from sportello.catalog.models import Rating
from sportello.catalog.tests.factories import ServiceFactory
from sportello.municipalities.models import FaqEntry

BASE = "/comune-di-mori/it/operatori"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_admin_adds_edits_and_deletes_faq_entries(client, mori, mori_admin):
    client.force_login(mori_admin)
    response = client.post(
        f"{BASE}/faq/", {"question": "Come pago?", "answer": "Con **pagoPA**.", "position": 2}
    )
    assert response.status_code == 302
    entry = FaqEntry.objects.get(municipality=mori)
    response = client.post(
        f"{BASE}/faq/{entry.pk}/", {"question": "Come si paga?", "answer": "pagoPA", "position": 1}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.question, entry.position) == ("Come si paga?", 1)
    public = soup(client.get("/comune-di-mori/it/domande-frequenti/"))
    assert public.select_one("details summary").get_text(strip=True) == "Come si paga?"
    client.post(f"{BASE}/faq/{entry.pk}/elimina")
    assert not FaqEntry.objects.exists()


def test_a_faq_entry_without_an_answer_is_refused(client, mori, mori_admin):
    client.force_login(mori_admin)
    response = client.post(f"{BASE}/faq/", {"question": "Come pago?", "answer": "", "position": 1})
    assert response.status_code == 200
    assert soup(response).select_one(".invalid-feedback")
    assert not FaqEntry.objects.exists()


def test_staff_see_the_ratings_per_service(client, mori, trento, mori_operator):
    cie = ServiceFactory(municipality=mori, name="Carta d'identità")
    Rating.objects.create(municipality=mori, service=cie, page="service", stars=5, answer="clear")
    Rating.objects.create(municipality=mori, service=cie, page="service", stars=2, answer="technical")
    Rating.objects.create(
        municipality=trento, service=ServiceFactory(municipality=trento), page="service", stars=1
    )
    client.force_login(mori_operator)
    rows = soup(client.get(f"{BASE}/statistiche/valutazioni/")).select("tbody tr")
    assert len(rows) == 1
    cells = [td.get_text(" ", strip=True) for td in rows[0].select("td")]
    assert cells[:4] == ["Carta d'identità", "Scheda del servizio", "2", "3,5"]
    assert "Le indicazioni erano chiare (1)" in cells[4] and "Ho avuto problemi tecnici (1)" in cells[4]
