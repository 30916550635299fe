import pytest

from sportello.integrations.tests.factories import token_for


@pytest.fixture
def mori_service(mori):
    from sportello.catalog.services import service_form_save
    from sportello.catalog.tests.factories import SIMPLE_DEFINITION, ServiceFactory

    service = ServiceFactory(municipality=mori, slug="carta-identita", status="published")
    service_form_save(service=service, definition=SIMPLE_DEFINITION)
    return service


@pytest.fixture
def mori_application(mori, mori_service, settings, tmp_path):
    from django.core.files.base import ContentFile

    from sportello.accounts.tests.factories import UserFactory
    from sportello.applications.models import Attachment
    from sportello.applications.tests.factories import submitted_application

    settings.MEDIA_ROOT = tmp_path
    application = submitted_application(
        municipality=mori, applicant=UserFactory(last_name="Rossi", first_name="Maria"), service=mori_service
    )
    attachment = Attachment(application=application, kind="form", name="a.pdf", size=8, sha256="0" * 64)
    attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    return application


@pytest.fixture
def mori_token(mori, mori_admin):
    return token_for(mori, mori_admin)


@pytest.fixture
def api(client):
    """``api(token).get(url)``: the test client with a Bearer token."""

    class Api:
        def __init__(self, token):
            self.headers = {"Authorization": f"Bearer {token}"} if token else {}

        def get(self, url, params=None, **kwargs):
            return client.get(url, params, headers=self.headers, **kwargs)

        def post(self, url, data=None, **kwargs):
            return client.post(
                url, data or {}, content_type="application/json", headers=self.headers, **kwargs
            )

    return Api
