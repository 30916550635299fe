from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from sportello.accounts.tests.factories import UserFactory
from sportello.applications.states import State
from sportello.catalog.constants import AccessLevel, Kind, Status
from sportello.catalog.services import service_form_save
from sportello.catalog.tests.factories import SIMPLE_DEFINITION, ServiceFactory
from sportello.formschema.tests import files

BASE = "/comune-di-mori/it"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def listed_slugs(client):
    return {
        a["href"].rstrip("/").rsplit("/", 1)[-1]
        for a in soup(client.get(f"{BASE}/servizi/")).select("[data-element=service-link]")
    }


VIEWERS = ["anonymous", "citizen", "operator", "admin"]
# status -> (listed, direct URL visible per viewer)
MATRIX = {
    Status.DRAFT: (False, {"anonymous": False, "citizen": False, "operator": False, "admin": True}),
    Status.PRIVATE: (False, dict.fromkeys(VIEWERS, True)),
    Status.PUBLISHED: (True, dict.fromkeys(VIEWERS, True)),
    Status.SUSPENDED: (True, dict.fromkeys(VIEWERS, True)),
    "scheduled-now": (True, dict.fromkeys(VIEWERS, True)),
    "scheduled-future": (False, {"anonymous": False, "citizen": False, "operator": False, "admin": True}),
    "scheduled-past": (False, {"anonymous": False, "citizen": False, "operator": False, "admin": True}),
}


def make_service(mori, case):
    now = timezone.now()
    windows = {
        "scheduled-now": (now - timedelta(days=1), now + timedelta(days=1)),
        "scheduled-future": (now + timedelta(days=1), None),
        "scheduled-past": (now - timedelta(days=3), now - timedelta(days=1)),
    }
    if case in windows:
        start, end = windows[case]
        return ServiceFactory(
            municipality=mori, slug=case, status=Status.SCHEDULED, publish_from=start, publish_until=end
        )
    return ServiceFactory(municipality=mori, slug=str(case), status=case)


@pytest.mark.parametrize("case", list(MATRIX))
@pytest.mark.parametrize("viewer", VIEWERS)
def test_visibility_matrix(client, mori, mori_admin, mori_operator, citizen, case, viewer):
    service = make_service(mori, case)
    if viewer != "anonymous":
        client.force_login({"citizen": citizen, "operator": mori_operator, "admin": mori_admin}[viewer])
    listed, direct = MATRIX[case]
    assert (service.slug in listed_slugs(client)) is listed
    response = client.get(f"{BASE}/servizi/{service.slug}/")
    assert response.status_code == (200 if direct[viewer] else 404)
    if response.status_code == 200:
        robots = soup(response).select_one("meta[name=robots]")["content"]
        assert ("noindex" in robots) is (not listed)


def test_other_municipalities_services_are_never_shown(client, mori, trento):
    ServiceFactory(municipality=trento, slug="solo-trento")
    assert "solo-trento" not in listed_slugs(client)
    assert client.get(f"{BASE}/servizi/solo-trento/").status_code == 404


def test_list_search_and_category_filter(client, mori):
    ServiceFactory(
        municipality=mori, slug="nido", name="Iscrizione al nido", category="educazione-e-formazione"
    )
    ServiceFactory(municipality=mori, slug="cie", name="Carta d'identità", category="anagrafe-e-stato-civile")
    assert {"nido"} == {
        a["href"].rstrip("/").rsplit("/", 1)[-1]
        for a in soup(client.get(f"{BASE}/servizi/", {"q": "nido"})).select("[data-element=service-link]")
    }
    page = soup(client.get(f"{BASE}/servizi/", {"categoria": "anagrafe-e-stato-civile"}))
    assert [a.get_text(strip=True) for a in page.select("[data-element=service-link]")] == [
        "Carta d'identità"
    ]
    assert page.select_one("[data-element=appointment-booking]")


def test_menu_has_all_services_and_booking_markers_on_every_page(client, mori):
    service = ServiceFactory(municipality=mori, slug="cie")
    for url in [f"{BASE}/", f"{BASE}/servizi/", f"{BASE}/servizi/cie/", f"{BASE}/prenota-appuntamento/"]:
        page = soup(client.get(url))
        assert page.select_one("nav [data-element=all-services]")["href"] == f"{BASE}/servizi/", url
        assert page.select("[data-element=appointment-booking]"), url
    assert service


MARKERS_IN_ORDER = [
    "breadcrumb",
    "service-category-link",
    "service-title",
    "service-status",
    "service-description",
    "service-topic",
    "page-index",
    "service-addressed",
    "service-how-to",
    "service-needed",
    "service-achieved",
    "service-calendar-text",
    "service-calendar-list",
    "service-online-access",
    "appointment-booking",
    "service-file",
    "service-area",
    # the model's rating component closes the page
    "feedback",
    "feedback-title",
    "feedback-rate-5",
    "feedback-rate-4",
    "feedback-rate-3",
    "feedback-rate-2",
    "feedback-rate-1",
    "feedback-rating-positive",
    "feedback-rating-question",
    "feedback-rating-answer",
    "feedback-rating-negative",
    "feedback-input-text",
]


def test_service_page_carries_the_modello_comuni_markers_in_order(client, mori, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    service = ServiceFactory(municipality=mori, slug="cie", topics=["Anagrafe", "Residenza"])
    service.conditions_file.save("c.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    service.deadlines.create(date="2027-01-31", label="Termine")
    page = soup(client.get(f"{BASE}/servizi/cie/"))
    main = page.select_one("main")
    found = []
    for element in main.select("[data-element]"):
        if element["data-element"] not in found:
            found.append(element["data-element"])
    assert found == MARKERS_IN_ORDER
    headings = [h.get_text(strip=True) for h in main.select("section.it-page-section > h2")]
    assert headings == [
        "A chi è rivolto",
        "Descrizione",
        "Come fare",
        "Cosa serve",
        "Cosa si ottiene",
        "Tempi e scadenze",
        "Quanto costa",
        "Accedi al servizio",
        "Ulteriori informazioni",
        "Condizioni di servizio",
        "Contatti",
    ]
    assert client.get(main.select_one("[data-element=service-file]")["href"]).status_code == 200
    # AgID's validator reads the index as the direct `li > a` of the page-index element.
    index = [a.get_text(strip=True) for a in main.select("[data-element=page-index] > li > a")]
    assert index == headings


def test_booking_services_use_the_booking_access_marker(client, mori):
    ServiceFactory(municipality=mori, slug="cie", kind=Kind.APPOINTMENT)
    page = soup(client.get(f"{BASE}/servizi/cie/"))
    assert page.select_one("[data-element=service-booking-access]")
    assert not page.select_one("[data-element=service-online-access]")
    booking = soup(client.get(f"{BASE}/prenota-appuntamento/"))
    assert (
        booking.select_one("[data-element=service-booking-access]")["href"] == f"{BASE}/servizi/cie/accedi/"
    )


def test_markdown_is_rendered_and_sanitised(client, mori):
    ServiceFactory(
        municipality=mori,
        slug="x",
        description="# Titolo\n\n**forte** <script>alert(1)</script> [link](javascript:alert(1)) <img src=x onerror=alert(1)>",
    )
    main = soup(client.get(f"{BASE}/servizi/x/")).select_one("#descrizione")
    assert main.select_one("h3").get_text() == "Titolo"
    assert main.select_one("strong").get_text() == "forte"
    assert not main.select("script, img, h1")
    assert "javascript:" not in str(main)


def test_suspended_service_page_says_so_and_cannot_be_started(client, mori):
    ServiceFactory(municipality=mori, slug="x", status=Status.SUSPENDED)
    page = soup(client.get(f"{BASE}/servizi/x/"))
    assert page.select_one("[data-element=service-status]").get_text(strip=True) == "Servizio non attivo"
    assert page.select_one("[data-element=service-generic-access]")
    assert client.get(f"{BASE}/servizi/x/accedi/").status_code == 409


def test_a_draft_cannot_be_started_even_by_its_admin(client, mori, mori_admin):
    ServiceFactory(municipality=mori, slug="x", status=Status.DRAFT)
    client.force_login(mori_admin)
    assert client.get(f"{BASE}/servizi/x/").status_code == 200
    assert client.get(f"{BASE}/servizi/x/accedi/").status_code == 409


def test_spid_services_send_unauthenticated_citizens_to_login_with_the_level(client, mori):
    service = ServiceFactory(municipality=mori, slug="x", access_level=AccessLevel.SPID2)
    service_form_save(service=service, definition=SIMPLE_DEFINITION)
    response = client.get(f"{BASE}/servizi/x/accedi/")
    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{BASE}/login/?next=%2Fcomune-di-mori%2Fit%2Fservizi%2Fx%2Faccedi%2F"  # SPID level 2 is the login default
    )


def test_a_citizen_authenticated_at_a_lower_level_is_asked_to_authenticate_again(client, mori, db):
    service = ServiceFactory(municipality=mori, slug="x", access_level=AccessLevel.SPID2)
    service_form_save(service=service, definition=SIMPLE_DEFINITION)
    from django.conf import settings

    from sportello.accounts.services import privacy_consent_give

    citizen = UserFactory(fiscal_code="RSSMRA85T10A562S")
    privacy_consent_give(user=citizen, municipality=mori, version=settings.PRIVACY_TERMS_VERSION)
    client.force_login(citizen)
    session = client.session
    session["citizen_auth"] = {"level": "spid1"}
    session.save()
    assert client.get(f"{BASE}/servizi/x/accedi/").status_code == 302
    session["citizen_auth"] = {"level": "spid2"}
    session.save()
    response = client.get(f"{BASE}/servizi/x/accedi/", follow=True)
    assert response.status_code == 200
    assert soup(response).select_one("#id_nome")["value"] == "Mario"  # prefilled from the identity


def test_filling_is_validated_on_the_server_page_by_page_then_submitted_with_a_receipt(
    client, mori, run_tasks
):
    definition = {
        "pages": [
            {
                "title": {"it": "Richiedente"},
                "fields": [
                    {"key": "nome", "type": "text", "label": {"it": "Nome"}, "required": True},
                    {"key": "email", "type": "email", "label": {"it": "E-mail"}, "required": True},
                ],
            },
            {
                "title": {"it": "Dettagli"},
                "fields": [
                    {
                        "key": "figli",
                        "type": "number",
                        "label": {"it": "Numero di figli"},
                        "validation": {"min": 0, "max": 20},
                    },
                    {"key": "info", "type": "static", "content": {"it": "Leggi con attenzione."}},
                ],
            },
        ]
    }
    service = ServiceFactory(municipality=mori, slug="x")
    service_form_save(service=service, definition=definition)
    start = f"{BASE}/servizi/x/accedi/"
    assert "Richiedente" in client.get(start).content.decode()  # the first page, at the start URL
    bad = client.post(start, {"nome": "", "email": "x"})
    assert bad.status_code == 200 and "Questo campo è obbligatorio" in bad.content.decode()
    from sportello.applications.models import Application

    assert not Application.objects.exists()  # nothing stored until the first page is valid
    page_two_url = client.post(start, {"nome": "<b>Anna</b>", "email": "anna@example.org"})["Location"]
    fill = page_two_url.removesuffix("?pagina=1")
    assert fill.endswith("/compila/") and page_two_url == f"{fill}?pagina=1"
    assert client.get(fill).status_code == 200
    page_two = client.get(f"{fill}?pagina=1").content.decode()
    assert "Leggi con attenzione." in page_two and "Dettagli" in page_two
    assert client.post(f"{fill}?pagina=1", {"figli": "99"}).status_code == 200
    summary_url = client.post(f"{fill}?pagina=1", {"figli": "2"})["Location"]
    summary = client.get(summary_url)
    text = soup(summary).select_one("main").get_text(" ", strip=True)
    assert "Nome <b>Anna</b>" in text  # shown escaped, as text
    assert "Numero di figli 2" in text
    assert "<b>Anna</b>" not in summary.content.decode()
    done = client.post(summary_url)
    assert done["Location"].endswith("/inviata/")
    confirmation = soup(client.get(done["Location"]))
    assert "Numero di protocollo" in confirmation.h1.get_text()
    receipt = client.get(confirmation.find("a", string="Scarica la ricevuta (PDF)")["href"])
    assert receipt["Content-Type"] == "application/pdf" and receipt.content.startswith(b"%PDF")
    run_tasks()
    from django.core import mail

    assert any(m.to == ["anna@example.org"] and m.attachments for m in mail.outbox)
    # another browser session cannot open this anonymous application
    from django.test import Client

    assert Client().get(done["Location"]).status_code == 404


def test_a_service_without_a_form_is_not_started(client, mori):
    ServiceFactory(municipality=mori, slug="x")
    response = client.get(f"{BASE}/servizi/x/accedi/")
    assert response.status_code == 409
    assert "non ha ancora preparato il modulo" in response.content.decode()


def test_home_shows_featured_services(client, mori):
    ServiceFactory(municipality=mori, slug="in-evidenza", name="In evidenza", featured=True)
    ServiceFactory(municipality=mori, slug="normale", name="Normale")
    ServiceFactory(municipality=mori, slug="bozza", name="Bozza", featured=True, status=Status.DRAFT)
    names = [
        a.get_text(strip=True) for a in soup(client.get(f"{BASE}/")).select("[data-element=service-link]")
    ]
    assert names == ["In evidenza"]


@pytest.mark.parametrize(
    "upload, message",
    [
        (("virus.exe", b"MZ\x90\x00"), "Il tipo di file non è ammesso"),
        (("finto.pdf", b"<html>not a pdf</html>"), "Il contenuto del file non corrisponde"),
        (("grande.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1)), "Il file è troppo grande"),
        (("script.pdf", files.JAVASCRIPT_PDF), "Il PDF contiene contenuti attivi"),
        (("nascosto.pdf", files.COMPRESSED_JAVASCRIPT_PDF), "Il PDF contiene contenuti attivi"),
        (("firmato.pdf.p7m", files.p7m(files.JAVASCRIPT_PDF)), "Il PDF contiene contenuti attivi"),
        (("falso.p7m", b"MIIBfalso"), "non è un documento firmato"),
    ],
)
def test_citizens_bad_attachments_are_refused_and_nothing_changes(client, mori, mori_admin, upload, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sportello.applications import services as applications
    from sportello.applications.tests.factories import submitted_application

    citizen = UserFactory(fiscal_code="RSSMRA85T10A562S")
    application = submitted_application(municipality=mori, applicant=citizen)
    applications.application_take_charge(application=application, user=mori_admin)
    applications.application_request_integration(
        application=application, user=mori_admin, body="Allega l'ISEE."
    )
    client.force_login(citizen)
    name, content = upload
    response = client.post(
        f"{BASE}/pratiche/{application.pk}/messaggi",
        {"body": "Ecco", "files": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert message in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.INTEGRATION_REQUESTED
    assert not application.attachments.exists()
    assert application.messages.count() == 1  # only the office's request


def test_citizens_download_their_documents_but_not_internal_ones(
    client, mori, mori_admin, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sportello.applications import services as applications
    from sportello.applications.tests.factories import submitted_application

    settings.MEDIA_ROOT = tmp_path
    citizen = UserFactory(fiscal_code="RSSMRA85T10A562S")
    application = submitted_application(municipality=mori, applicant=citizen)
    pdf = b"%PDF-1.4 office letter"
    applications.application_message_post(
        application=application,
        user=mori_admin,
        body="Lettera",
        files=[SimpleUploadedFile("lettera.pdf", pdf)],
    )
    applications.application_message_post(
        application=application,
        user=mori_admin,
        body="Nota",
        internal=True,
        files=[SimpleUploadedFile("n.pdf", pdf)],
    )
    public, internal = application.attachments.order_by("pk")
    client.force_login(citizen)
    response = client.get(f"{BASE}/pratiche/{application.pk}/documenti/{public.pk}")
    assert b"".join(response.streaming_content) == pdf
    assert (
        response["Content-Disposition"].startswith("attachment")
        and "lettera.pdf" in response["Content-Disposition"]
    )
    assert client.get(f"{BASE}/pratiche/{application.pk}/documenti/{internal.pk}").status_code == 404


def test_citizens_send_a_signed_p7m_document(client, mori, mori_admin, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sportello.applications.tests.factories import submitted_application

    settings.MEDIA_ROOT = tmp_path
    citizen = UserFactory(fiscal_code="RSSMRA85T10A562S")
    application = submitted_application(municipality=mori, applicant=citizen)
    client.force_login(citizen)
    signed = files.p7m(files.PLAIN_PDF)
    response = client.post(
        f"{BASE}/pratiche/{application.pk}/messaggi",
        {"body": "Delega firmata", "files": SimpleUploadedFile("delega.pdf.p7m", signed)},
        follow=True,
    )
    assert "Messaggio inviato all&#x27;ufficio." in response.content.decode()
    attachment = application.attachments.get(name="delega.pdf.p7m")
    assert attachment.file.read() == signed
