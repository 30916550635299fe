"""Anonymous applications: a GET creates nothing, submissions are limited per address and service, abandoned
drafts are purged."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.module_loading import import_string

from sportello.accounts.tests.factories import UserFactory, give_privacy_consent
from sportello.applications import services as applications
from sportello.applications.models import Application
from sportello.applications.states import State
from sportello.applications.tasks import anonymous_drafts_purge
from sportello.catalog.constants import AccessLevel
from sportello.catalog.services import service_form_save
from sportello.catalog.tests.factories import SIMPLE_DEFINITION, ServiceFactory

BASE = "/comune-di-mori/it"
ATTACHMENT = {
    "key": "allegato",
    "type": "file",
    "label": {"it": "Allegato"},
    "file": {"types": ["pdf"], "max_size_mb": 1},
}


@pytest.fixture
def service(mori):
    service = ServiceFactory(municipality=mori, slug="segnalazione", access_level=AccessLevel.ANONYMOUS)
    service_form_save(service=service, definition=SIMPLE_DEFINITION)
    return service


def _submit(client, slug="segnalazione", address="203.0.113.5"):
    """One anonymous application from ``address``: first page, then the summary's submit."""
    response = client.post(f"{BASE}/servizi/{slug}/accedi/", {"nome": "Anna"}, REMOTE_ADDR=address)
    if response.status_code != 302:
        return response
    return client.post(response["Location"], REMOTE_ADDR=address)


def test_getting_the_start_url_creates_nothing(client, service):
    for _ in range(5):
        response = client.get(f"{BASE}/servizi/segnalazione/accedi/")
        assert response.status_code == 200
        assert 'name="nome"' in response.content.decode()  # the first page of the form
    assert Application.objects.count() == 0


def test_a_citizen_get_creates_nothing_and_resumes_an_existing_draft(client, mori):
    service = ServiceFactory(municipality=mori, slug="spid", access_level=AccessLevel.SPID1)
    service_form_save(service=service, definition=SIMPLE_DEFINITION)
    citizen = UserFactory()
    give_privacy_consent(citizen)
    client.force_login(citizen)
    session = client.session
    session["citizen_auth"] = {"level": "spid2", "idp": "x", "name_id": "y"}
    session.save()
    assert client.get(f"{BASE}/servizi/spid/accedi/").status_code == 200
    assert Application.objects.count() == 0
    first = client.post(f"{BASE}/servizi/spid/accedi/", {"nome": "Mario"})
    draft = Application.objects.get()
    assert first["Location"] == f"{BASE}/pratiche/{draft.pk}/riepilogo/"
    assert draft.applicant == citizen and draft.data["nome"] == "Mario" and draft.pages_done == [0]
    assert client.get(f"{BASE}/servizi/spid/accedi/")["Location"] == f"{BASE}/pratiche/{draft.pk}/compila/"


def test_anonymous_submissions_are_limited_per_address_and_service(settings, mori, service):
    settings.ANONYMOUS_SUBMISSIONS_PER_HOUR = 2
    other = ServiceFactory(municipality=mori, slug="altro", access_level=AccessLevel.ANONYMOUS)
    service_form_save(service=other, definition=SIMPLE_DEFINITION)
    attacker = Client()
    for _ in range(2):
        assert _submit(attacker)["Location"].endswith("/inviata/")
    refused = _submit(attacker)
    assert refused.status_code == 429
    assert "Troppe domande da questa rete per questo servizio" in refused.content.decode()
    # no protocol number spent on the refused one
    assert Application.objects.exclude(state=State.DRAFT).count() == 2
    assert (
        max(Application.objects.values_list("protocol_number", flat=True).exclude(protocol_number=None)) == 2
    )
    # another address, or another service, is not affected
    assert _submit(Client(), address="198.51.100.9")["Location"].endswith("/inviata/")
    assert _submit(attacker, slug="altro")["Location"].endswith("/inviata/")


def test_anonymous_drafts_are_limited_per_address_and_service(settings, service):
    settings.ANONYMOUS_DRAFTS_PER_HOUR = 3
    client = Client()
    statuses = [
        client.post(
            f"{BASE}/servizi/segnalazione/accedi/", {"nome": "X"}, REMOTE_ADDR="203.0.113.5"
        ).status_code
        for _ in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert Application.objects.count() == 3


def test_abandoned_anonymous_drafts_are_purged_with_their_files(
    settings, tmp_path, mori, service, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with_file = {"pages": [{"fields": SIMPLE_DEFINITION["pages"][0]["fields"] + [ATTACHMENT]}]}
    service_form_save(service=service, definition=with_file)
    service.refresh_from_db()
    path, interval = django_settings.PERIODIC_TASKS["applications.anonymous_drafts_purge"]
    assert import_string(path) is anonymous_drafts_purge and interval > 0

    def draft(applicant=None, *, hours_ago):
        application = applications.application_start(service=service, applicant=applicant, origin="o")
        applications.application_save_page(
            application=application,
            user=applicant,
            page=0,
            cleaned_data={"nome": "X", "allegato": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")},
            serialized={"nome": "X"},
        )
        Application.objects.filter(pk=application.pk).update(
            updated_at=timezone.now() - timedelta(hours=hours_ago)
        )
        return application

    old = draft(hours_ago=25)
    recent = draft(hours_ago=2)
    citizen_draft = draft(UserFactory(), hours_ago=300)
    submitted = applications.application_submit(application=draft(hours_ago=0), user=None)
    Application.objects.filter(pk=submitted.pk).update(updated_at=timezone.now() - timedelta(days=30))
    old_files = [a.file.path for a in old.attachments.all()]

    with django_capture_on_commit_callbacks(execute=True):
        assert anonymous_drafts_purge.call() == 1
    assert set(Application.objects.values_list("pk", flat=True)) == {
        recent.pk,
        citizen_draft.pk,
        submitted.pk,
    }
    assert anonymous_drafts_purge.call() == 0  # idempotent
    import os

    assert old_files and not any(os.path.exists(p) for p in old_files)
