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
    application = submitted_application(municipality=mori, applicant=None, service=ServiceFactory(municipality=mori))
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
