"""The citizen's side of an application: messages, documents (review fixes of issue 14)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sportello.applications import services as s
from sportello.applications.models import Message
from sportello.applications.states import State
from sportello.applications.tests.factories import submitted_application
from sportello.catalog.tests.factories import ServiceFactory
from sportello.portal.applications import SESSION_KEY

BASE = "/comune-di-mori/it"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def anonymous_application(client, mori):
    application = submitted_application(
        municipality=mori, applicant=None, service=ServiceFactory(municipality=mori)
    )
    session = client.session
    session[SESSION_KEY] = [application.pk]
    session.save()
    return application


def test_anonymous_applicant_message_is_refused_with_a_clear_message(client, anonymous_application):
    url = f"{BASE}/pratiche/{anonymous_application.pk}/messaggi"
    response = client.post(url, {"body": "Una domanda"}, follow=True)
    assert response.status_code == 200
    assert "senza accedere" in response.content.decode()
    assert not Message.objects.filter(application=anonymous_application).exists()


def test_message_service_refuses_an_anonymous_author(anonymous_application):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        s.application_message_post(application=anonymous_application, user=None, body="Ciao")
    assert not Message.objects.exists()


def test_integration_attachment_is_in_the_citizens_documents(client, mori, mori_operator, citizen):
    from bs4 import BeautifulSoup

    service = ServiceFactory(municipality=mori)
    service.operators.set([mori_operator])
    application = submitted_application(municipality=mori, applicant=citizen, service=service)
    s.application_take_charge(application=application, user=mori_operator)
    s.application_request_integration(application=application, user=mori_operator, body="Manca l'ISEE.")
    s.application_message_post(
        application=application,
        user=mori_operator,
        body="Nota",
        internal=True,
        files=[SimpleUploadedFile("interno.pdf", PDF, "application/pdf")],
    )
    client.force_login(citizen)
    response = client.post(
        f"{BASE}/pratiche/{application.pk}/messaggi",
        {"body": "Ecco l'ISEE.", "files": [SimpleUploadedFile("isee.pdf", PDF, "application/pdf")]},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.INTEGRATION_RECEIVED
    page = BeautifulSoup(client.get(f"{BASE}/pratiche/{application.pk}/").content, "html.parser")
    documents = [a.get_text(strip=True) for a in page.select("#docs-title + ul a")]
    assert "isee.pdf" in documents
    assert "interno.pdf" not in page.get_text()
    link = page.select_one("#docs-title + ul a")["href"]
    assert client.get(link).status_code == 200


def test_every_privacy_checkbox_links_the_notice(client, mori):
    from bs4 import BeautifulSoup

    from sportello.applications.services import application_start
    from sportello.catalog.services import service_form_save
    from sportello.demo.catalog import privacy

    service = ServiceFactory(municipality=mori)
    service_form_save(service=service, definition={"pages": [{"fields": [privacy()]}]})
    service.refresh_from_db()
    application = application_start(service=service)
    session = client.session
    session[SESSION_KEY] = [application.pk]
    session.save()
    page = BeautifulSoup(client.get(f"{BASE}/pratiche/{application.pk}/compila/").content, "html.parser")
    box = page.select_one("input[name=privacy]").find_parent("div")
    assert (
        box.find("a", href=f"{BASE}/privacy/")
        .get_text(" ", strip=True)
        .startswith("Leggi l'informativa privacy")
    )
