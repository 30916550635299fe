"""Service content in English and German, with Italian as the marked fallback (issue 15)."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from sportello.catalog.services import service_update_translations
from sportello.catalog.tests.factories import ServiceFactory

FORM = {
    "pages": [
        {
            "title": {"it": "Dati del richiedente", "en": "Applicant"},
            "fields": [
                {"key": "nome", "type": "text", "label": {"it": "Nome", "en": "First name", "de": "Vorname"}},
                {"key": "note", "type": "textarea", "label": {"it": "Note"}, "help": {"it": "Facoltative"}},
            ],
        },
        {"title": {"it": "Altro"}, "fields": [{"key": "x", "type": "text", "label": {"it": "Altro"}}]},
    ]
}


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def service(mori):
    service = ServiceFactory(
        municipality=mori, slug="nido", name="Iscrizione al nido", short_description="Domanda per il nido."
    )
    service_update_translations(
        service=service,
        translations={
            "en": {"name": "Nursery enrolment", "description": "An **English** description.", "cost": " "},
            "de": {"name": "Anmeldung zur Kinderkrippe"},
            "fr": {"name": "ignored"},
        },
    )
    return service


def test_translations_are_cleaned_and_their_html_stored(service):
    service.refresh_from_db()
    assert service.translations == {
        "en": {"name": "Nursery enrolment", "description": "An **English** description."},
        "de": {"name": "Anmeldung zur Kinderkrippe"},
    }
    assert service.card_html["en"] == {"description": "<p>An <strong>English</strong> description.</p>"}
    assert service.card_html["it"]["description"] == "<p>Descrizione <strong>estesa</strong>.</p>"


def test_too_long_translations_are_refused_and_nothing_changes(service):
    with pytest.raises(ValidationError) as error:
        service_update_translations(service=service, translations={"en": {"name": "x" * 201}})
    assert "en_name" in error.value.message_dict
    service.refresh_from_db()
    assert service.translations["en"]["name"] == "Nursery enrolment"


def test_the_english_page_shows_english_content_and_marks_italian_fallbacks(client, service):
    page = soup(client.get("/comune-di-mori/en/servizi/nido/"))
    assert page.html["lang"] == "en"
    title = page.select_one('[data-element="service-title"]')
    assert (title.get_text(), title["lang"]) == ("Nursery enrolment", "en")
    summary = page.select_one('[data-element="service-description"]')
    assert (summary.get_text(), summary["lang"]) == ("Domanda per il nido.", "it")
    description = page.select_one("#descrizione div")
    assert description["lang"] == "en" and "English" in description.get_text()
    how_to = page.select_one('[data-element="service-how-to"]')
    assert how_to["lang"] == "it" and "Compila il modulo online." in how_to.get_text()
    card = soup(client.get("/comune-di-mori/en/servizi/")).select_one('[data-element="service-link"]').parent
    assert (card.get_text(strip=True), card["lang"]) == ("Nursery enrolment", "en")


def test_the_german_and_italian_pages(client, service):
    german = soup(client.get("/comune-di-mori/de/servizi/nido/"))
    assert german.select_one("h1").get_text() == "Anmeldung zur Kinderkrippe"
    assert german.select_one("#descrizione div")["lang"] == "it"
    italian = soup(client.get("/comune-di-mori/it/servizi/nido/"))
    assert italian.select_one("h1").get_text() == "Iscrizione al nido"
    assert italian.select_one("#descrizione div")["lang"] == "it"


def test_form_labels_in_english_with_the_italian_ones_marked(client, mori, service):
    from sportello.catalog.services import service_form_save

    service_form_save(service=service, definition=FORM)
    page = soup(client.get("/comune-di-mori/en/servizi/nido/accedi/"))
    labels = {label["for"]: label for label in page.select("main label[for]")}
    assert labels["id_nome"].get_text(strip=True).startswith("First name")
    assert not labels["id_nome"].has_attr("lang")
    assert labels["id_note"]["lang"] == "it" and labels["id_note"].get_text(strip=True) == "Note"
    assert page.select_one("#id_note-help")["lang"] == "it"
    assert "Applicant" in page.get_text()
    italian = soup(client.get("/comune-di-mori/it/servizi/nido/accedi/"))
    assert not italian.select_one('label[for="id_note"]').has_attr("lang")


def test_administrators_edit_the_translations_in_the_back_office(
    client, mori, mori_admin, mori_operator, service
):
    url = f"/comune-di-mori/it/operatori/servizi/{service.pk}/traduzioni/"
    client.force_login(mori_operator)
    assert client.get(url).status_code == 403
    client.force_login(mori_admin)
    form = soup(client.get(url))
    assert form.select_one("#id_en_name")["value"] == "Nursery enrolment"
    assert form.select_one("#id_de_name")["lang"] == "de"
    response = client.post(
        url, {"en_name": "Nursery places", "de_name": "", "en_how_to": "Fill in the form."}
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.translations == {"en": {"name": "Nursery places", "how_to": "Fill in the form."}}
    english = soup(client.get("/comune-di-mori/en/servizi/nido/"))
    assert english.select_one('[data-element="service-how-to"]')["lang"] == "en"
    too_long = client.post(url, {"en_name": "x" * 201})
    assert too_long.status_code == 200
    service.refresh_from_db()
    assert service.translations["en"]["name"] == "Nursery places"
