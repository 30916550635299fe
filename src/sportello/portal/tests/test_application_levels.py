"""Every citizen view of an application needs the SPID level of its service, as starting it does."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sportello.accounts.tests.factories import UserFactory, give_privacy_consent
from sportello.applications import services as applications
from sportello.applications.models import Message
from sportello.applications.tests.factories import submitted_application
from sportello.catalog.constants import AccessLevel
from sportello.catalog.services import service_form_save
from sportello.catalog.tests.factories import SIMPLE_DEFINITION, ServiceFactory

BASE = "/comune-di-mori/it"
SESSION_LEVELS = [None, "spid1", "spid2", "spid3", "cie"]
SERVICE_LEVELS = [AccessLevel.SPID1, AccessLevel.SPID2, AccessLevel.CIE]
RANK = {None: 0, "spid1": 1, "spid2": 2, "spid3": 3, "cie": 3}
# (name, method, url of the submitted application | of the draft)
URLS = [
    ("detail", "get", "{base}/pratiche/{pk}/"),
    ("receipt", "get", "{base}/pratiche/{pk}/ricevuta.pdf"),
    ("document", "get", "{base}/pratiche/{pk}/documenti/{doc}"),
    ("submitted", "get", "{base}/pratiche/{pk}/inviata/"),
    ("message", "post", "{base}/pratiche/{pk}/messaggi"),
    ("withdraw", "post", "{base}/pratiche/{pk}/ritira"),
    ("fill", "get", "{base}/pratiche/{draft}/compila/"),
    ("fill-post", "post", "{base}/pratiche/{draft}/compila/"),
    ("summary", "get", "{base}/pratiche/{draft}/riepilogo/"),
    ("summary-post", "post", "{base}/pratiche/{draft}/riepilogo/"),
]


@pytest.fixture
def setup(mori, mori_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def make(service_level):
        citizen = UserFactory(fiscal_code="RSSMRA85T10A562S")
        service = ServiceFactory(municipality=mori, slug="servizio", access_level=service_level)
        service_form_save(service=service, definition=SIMPLE_DEFINITION)
        application = submitted_application(municipality=mori, applicant=citizen, service=service)
        applications.application_message_post(
            application=application,
            user=mori_admin,
            body="Lettera",
            files=[SimpleUploadedFile("lettera.pdf", b"%PDF-1.4 lettera")],
        )
        draft = applications.application_start(service=service, applicant=citizen)
        return citizen, application, draft

    return make


def _login(client, citizen, level):
    give_privacy_consent(citizen)  # the notice comes before anything else (portal.middleware)
    client.force_login(citizen)
    if level is not None:
        session = client.session
        session["citizen_auth"] = {"level": level, "idp": "https://idp.example/", "name_id": "x"}
        session.save()


@pytest.mark.parametrize("service_level", SERVICE_LEVELS)
@pytest.mark.parametrize("session_level", SESSION_LEVELS)
def test_citizen_application_urls_need_the_service_level(client, setup, service_level, session_level):
    citizen, application, draft = setup(service_level)
    _login(client, citizen, session_level)
    allowed = RANK[session_level] >= RANK[str(service_level)]
    document = application.attachments.get(name="lettera.pdf")
    for name, method, template in URLS:
        url = template.format(base=BASE, pk=application.pk, draft=draft.pk, doc=document.pk)
        data = {"body": "Dall'attaccante", "nome": "X", "note": "Y"} if method == "post" else None
        response = getattr(client, method)(url, data)
        login_redirect = response.status_code == 302 and response["Location"].startswith(f"{BASE}/login/")
        if allowed:
            assert not login_redirect and response.status_code in (200, 302), (name, response.status_code)
        else:
            assert login_redirect, (name, response.status_code)
            # the step-up asks for the service's level and brings the citizen back here
            assert f"livello={service_level}" in response["Location"] or service_level == AccessLevel.SPID2
            assert "next=" in response["Location"]
    if not allowed:
        application.refresh_from_db()
        draft.refresh_from_db()
        assert not Message.objects.filter(body="Dall'attaccante").exists()
        assert application.state == "registered" and draft.state == "draft" and draft.data == {}
