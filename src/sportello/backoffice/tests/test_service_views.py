import json

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile

from sportello.catalog.constants import Status
from sportello.catalog.models import Service
from sportello.catalog.services import service_form_save
from sportello.catalog.tests.factories import SIMPLE_DEFINITION, ServiceFactory

BASE = "/comune-di-mori/it/operatori/servizi"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def field_errors(response) -> str:
    return " ".join(
        e.get_text(" ", strip=True) for e in soup(response).select(".invalid-feedback, .alert-danger")
    )


GENERAL = {
    "name": "Richiesta contributo asili nido",
    "slug": "contributo-nido",
    "category": "educazione-e-formazione",
    "topics": "Istruzione, assistenza  sociale, istruzione",
    "short_description": "Contributo per le rette del nido.",
    "kind": "application",
    "access_level": "spid2",
    "status": "draft",
    "max_response_days": "30",
    "allow_withdrawal": "on",
}


@pytest.fixture
def admin_client(client, mori_admin):
    client.force_login(mori_admin)
    return client


def test_admin_creates_a_service_through_the_steps(admin_client, mori, mori_operator):
    response = admin_client.post(f"{BASE}/nuovo/", {**GENERAL, "operators": [mori_operator.pk]})
    service = Service.objects.get(slug="contributo-nido")
    assert response["Location"] == f"{BASE}/{service.pk}/scheda/"
    assert service.municipality == mori and service.status == Status.DRAFT
    assert service.topics == ["Istruzione", "Assistenza sociale"]  # the vocabulary's spelling, once each
    assert list(service.operators.all()) == [mori_operator]
    card = admin_client.get(f"{BASE}/{service.pk}/scheda/")
    steps = [li.get_text(strip=True) for li in soup(card).select(".steppers-header li")]
    assert steps == ["1. Dati generali", "2. Scheda", "3. Dati del form", "4. Pagamento"]
    assert soup(card).find("a", string="Indietro")["href"] == f"{BASE}/{service.pk}/"
    response = admin_client.post(
        f"{BASE}/{service.pk}/scheda/",
        {
            "how_to": "Compila la domanda online.",
            "office_name": "Ufficio scuola",
            "office_email": "scuola@example.org",
            "scadenze-TOTAL_FORMS": "2",
            "scadenze-INITIAL_FORMS": "0",
            "scadenze-0-date": "2027-03-31",
            "scadenze-0-label": "Termine per le domande",
            "scadenze-1-date": "",
            "scadenze-1-label": "",
        },
    )
    assert response["Location"] == f"{BASE}/{service.pk}/modulo/"
    service.refresh_from_db()
    assert service.how_to == "Compila la domanda online."
    assert [d.label for d in service.deadlines.all()] == ["Termine per le domande"]


def test_general_step_errors_are_shown_at_the_field_in_italian_and_nothing_is_saved(admin_client, mori):
    response = admin_client.post(
        f"{BASE}/nuovo/", {**GENERAL, "name": "", "slug": "Non valido!", "status": "scheduled"}
    )
    assert response.status_code == 200
    errors = field_errors(response)
    assert "Questo campo è obbligatorio" in errors
    assert "Per un servizio programmato indica da quando è pubblicato" in errors
    assert soup(response).select_one("#id_name")["aria-invalid"] == "true"
    assert not Service.objects.exists()


def test_duplicate_slug_is_reported_at_the_field(admin_client, mori):
    ServiceFactory(municipality=mori, slug="contributo-nido")
    response = admin_client.post(f"{BASE}/nuovo/", GENERAL)
    assert response.status_code == 200
    assert Service.objects.count() == 1


def test_card_refuses_a_fake_pdf_and_half_deadlines(admin_client, mori):
    service = ServiceFactory(municipality=mori)
    data = {
        "scadenze-TOTAL_FORMS": "1",
        "scadenze-INITIAL_FORMS": "0",
        "scadenze-0-date": "2027-03-31",
        "scadenze-0-label": "",
        "conditions_file": SimpleUploadedFile("c.pdf", b"MZ not a pdf"),
    }
    response = admin_client.post(f"{BASE}/{service.pk}/scheda/", data)
    assert response.status_code == 200
    errors = field_errors(response)
    assert "Il documento deve essere un PDF" in errors
    assert "Indica sia la data sia la descrizione" in response.content.decode()
    service.refresh_from_db()
    assert not service.conditions_file and not service.deadlines.exists()


def test_renaming_an_io_service_asks_for_confirmation_in_the_form(admin_client, mori):
    service = ServiceFactory(municipality=mori, name="CIE", slug="cie", io_service_id="01EXAMPLE")
    data = {**GENERAL, "name": "Carta d'identità", "slug": "cie", "io_service_id": "01EXAMPLE"}
    response = admin_client.post(f"{BASE}/{service.pk}/", data)
    assert response.status_code == 200
    assert "App IO" in field_errors(response)
    service.refresh_from_db()
    assert service.name == "CIE"
    response = admin_client.post(f"{BASE}/{service.pk}/", {**data, "confirm_name_change": "on"})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.name == "Carta d'identità"


def test_form_editor_add_edit_move_delete_fields_and_pages_each_make_a_version(admin_client, mori):
    service = ServiceFactory(municipality=mori)
    add = f"{BASE}/{service.pk}/modulo/campo/"
    response = admin_client.post(
        add,
        {
            "type": "text",
            "key": "cognome",
            "page": "0",
            "label_it": "Cognome",
            "label_en": "Surname",
            "required": "on",
            "prefill": "family_name",
        },
    )
    assert response["Location"] == f"{BASE}/{service.pk}/modulo/"
    admin_client.post(
        add,
        {
            "type": "select",
            "key": "scuola",
            "page": "0",
            "label_it": "Scuola",
            "options": "a | Scuola A\nb | Scuola B",
        },
    )
    service.refresh_from_db()
    fields = service.form_version.definition["pages"][0]["fields"]
    assert [f["key"] for f in fields] == ["cognome", "scuola"]
    assert fields[0] == {
        "key": "cognome",
        "type": "text",
        "label": {"it": "Cognome", "en": "Surname"},
        "required": True,
        "prefill": "family_name",
    }
    assert fields[1]["options"] == [
        {"value": "a", "label": {"it": "Scuola A"}},
        {"value": "b", "label": {"it": "Scuola B"}},
    ]
    admin_client.post(f"{BASE}/{service.pk}/modulo/campo/scuola/azione", {"azione": "su"})
    admin_client.post(f"{BASE}/{service.pk}/modulo/pagine", {"azione": "aggiungi", "titolo": "Allegati"})
    admin_client.post(
        f"{BASE}/{service.pk}/modulo/campo/cognome/",
        {"type": "text", "key": "cognome", "page": "1", "label_it": "Cognome del genitore"},
    )
    admin_client.post(f"{BASE}/{service.pk}/modulo/campo/scuola/azione", {"azione": "elimina"})
    service.refresh_from_db()
    definition = service.form_version.definition
    assert [p.get("title") for p in definition["pages"]] == [None, {"it": "Allegati"}]
    assert definition["pages"][0]["fields"] == []
    assert definition["pages"][1]["fields"][0]["label"] == {"it": "Cognome del genitore"}
    assert service.form_version.number == 6
    assert [v.number for v in service.form_versions.all()] == [6, 5, 4, 3, 2, 1]
    page = soup(admin_client.get(f"{BASE}/{service.pk}/modulo/"))
    assert "Cognome del genitore" in page.get_text()


def test_form_editor_refuses_bad_fields_with_clear_messages(admin_client, mori):
    service = ServiceFactory(municipality=mori)
    service_form_save(service=service, definition=SIMPLE_DEFINITION)
    add = f"{BASE}/{service.pk}/modulo/campo/"
    cases = [
        ({"type": "text", "key": "Nome Bad", "page": "0", "label_it": "X"}, "Usa solo lettere minuscole"),
        (
            {"type": "text", "key": "nome", "page": "0", "label_it": "Doppio"},
            "Un altro campo usa già questo nome tecnico",
        ),
        ({"type": "select", "key": "scelta", "page": "0", "label_it": "Scelta"}, "Indica almeno un'opzione"),
        (
            {"type": "file", "key": "allegato", "page": "0", "label_it": "Allegato"},
            "Indica almeno un tipo di file",
        ),
    ]
    for data, message in cases:
        response = admin_client.post(add, data)
        assert response.status_code == 200
        assert message in field_errors(response), message
    response = admin_client.post(
        add, {"type": "text", "key": "cf", "page": "0", "label_it": "CF", "pattern": "(unclosed"}, follow=True
    )
    assert "cf" in response.content.decode()
    service.refresh_from_db()
    assert service.form_version.number == 1


def test_a_page_with_fields_cannot_be_deleted(admin_client, mori):
    service = ServiceFactory(municipality=mori)
    service_form_save(service=service, definition={"pages": [SIMPLE_DEFINITION["pages"][0], {"fields": []}]})
    response = admin_client.post(
        f"{BASE}/{service.pk}/modulo/pagine", {"azione": "elimina", "pagina": "0"}, follow=True
    )
    assert "Puoi eliminare solo una pagina vuota" in response.content.decode()
    admin_client.post(f"{BASE}/{service.pk}/modulo/pagine", {"azione": "elimina", "pagina": "1"})
    service.refresh_from_db()
    assert len(service.form_version.definition["pages"]) == 1


def test_formio_import_with_report(admin_client, mori):
    service = ServiceFactory(municipality=mori)
    export = {
        "display": "form",
        "components": [
            {
                "type": "textfield",
                "key": "nome",
                "label": "Nome",
                "input": True,
                "validate": {"required": True},
            },
            {"type": "datagrid", "key": "figli", "label": "Figli", "input": True, "components": []},
            {"type": "button", "key": "submit", "label": "Invia", "input": True},
        ],
    }
    upload = SimpleUploadedFile("form.json", json.dumps(export).encode(), content_type="application/json")
    response = admin_client.post(f"{BASE}/{service.pk}/modulo/importa/", {"file": upload})
    assert response.status_code == 200
    report = soup(response).select_one(".alert-warning").get_text(" ", strip=True)
    assert "Figli" in report and "datagrid" in report
    service.refresh_from_db()
    assert [f["key"] for f in service.form_version.definition["pages"][0]["fields"]] == ["nome"]
    bad = admin_client.post(f"{BASE}/{service.pk}/modulo/importa/", {"json": "{not json"})
    assert "non è un JSON valido" in bad.content.decode()
    service.refresh_from_db()
    assert service.form_version.number == 1


def test_preview_validates_like_the_real_form(admin_client, mori):
    service = ServiceFactory(municipality=mori)
    service_form_save(service=service, definition=SIMPLE_DEFINITION)
    url = f"{BASE}/{service.pk}/modulo/anteprima/"
    assert soup(admin_client.get(url)).select_one("#id_nome")
    assert "Questo campo è obbligatorio" in field_errors(admin_client.post(url, {"nome": ""}))
    assert "I dati di questa pagina sono validi" in admin_client.post(url, {"nome": "Anna"}).content.decode()


def test_copy_and_list_with_filters_and_public_url(admin_client, mori):
    service = ServiceFactory(municipality=mori, slug="cie", name="Carta d'identità", status=Status.PUBLISHED)
    ServiceFactory(
        municipality=mori, slug="nido", name="Nido", status=Status.DRAFT, category="educazione-e-formazione"
    )
    response = admin_client.post(f"{BASE}/{service.pk}/copia")
    copy = Service.objects.get(slug="cie-copia")
    assert response["Location"] == f"{BASE}/{copy.pk}/"
    assert copy.status == Status.DRAFT
    listing = soup(admin_client.get(f"{BASE}/", {"stato": "draft"}))
    names = [a.get_text(strip=True) for a in listing.select("tbody td:first-child a")]
    assert names == ["Carta d'identità (copia)", "Nido"]
    listing = soup(admin_client.get(f"{BASE}/", {"q": "carta", "stato": "published"}))
    assert (
        listing.select_one("input.sportello-url")["value"]
        == "http://127.0.0.1:8000/comune-di-mori/it/servizi/cie/"
    )


def test_admin_previews_a_draft_and_publishes_it(admin_client, client, mori):
    service = ServiceFactory(municipality=mori, slug="nuovo", status=Status.DRAFT)
    assert "Anteprima riservata" in admin_client.get("/comune-di-mori/it/servizi/nuovo/").content.decode()
    admin_client.post(f"{BASE}/{service.pk}/", {**GENERAL, "slug": "nuovo", "status": "published"})
    admin_client.logout()
    assert client.get("/comune-di-mori/it/servizi/nuovo/").status_code == 200


def test_form_editor_offers_whole_numbers_only(admin_client, mori):
    service = ServiceFactory(municipality=mori)
    add = f"{BASE}/{service.pk}/modulo/campo/"
    data = {
        "type": "number",
        "key": "persone",
        "page": "0",
        "label_it": "Persone",
        "minimum": "1",
        "integer": "on",
    }
    assert admin_client.post(add, data).status_code == 302
    service.refresh_from_db()
    [field] = service.form_version.definition["pages"][0]["fields"]
    assert field["validation"] == {"min": 1, "integer": True}
    edit = admin_client.get(f"{BASE}/{service.pk}/modulo/campo/persone/")
    from bs4 import BeautifulSoup

    assert BeautifulSoup(edit.content, "html.parser").select_one("input[name=integer]").has_attr("checked")


def test_topics_outside_the_controlled_vocabulary_are_refused(admin_client, mori):
    response = admin_client.post(f"{BASE}/nuovo/", {**GENERAL, "topics": "Anagrafe, Famiglia, Infanzia"})
    assert response.status_code == 200
    assert "Non sono argomenti del vocabolario controllato: Famiglia, Infanzia" in field_errors(response)
    assert not Service.objects.filter(slug="contributo-nido").exists()
