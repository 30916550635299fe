"""Content-Security-Policy with nonces, no caching of personal data, and a clean `check --deploy`."""

import re
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile

from sportello.accounts.tests.factories import UserFactory
from sportello.applications import services as applications
from sportello.applications.tests.factories import submitted_application
from sportello.catalog.constants import AccessLevel
from sportello.catalog.services import service_form_save
from sportello.catalog.tests.factories import SIMPLE_DEFINITION, ServiceFactory
from sportello.identity.demo_idp.idp import DEMO_IDPS

from .test_health_and_settings import GOOD_PRODUCTION, SRC, environment_with

BASE = "/comune-di-mori/it"


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def _assert_csp(response):
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    scripts = policy["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    nonces = [s for s in scripts if s.startswith("'nonce-")]
    html = BeautifulSoup(response.content, "html.parser")
    inline = [s for s in html.find_all("script") if not s.get("src")]
    for script in inline:
        assert nonces and f"'nonce-{script.get('nonce')}'" == nonces[0], script
    for element in html.find_all(True):
        handlers = [name for name in element.attrs if name.lower().startswith("on")]
        assert not handlers, element.name  # inline event handlers cannot carry a nonce
        assert not str(element.get("href", "")).startswith("javascript:")
    return nonces


@pytest.fixture
def pages(mori, mori_admin):
    ServiceFactory(municipality=mori, slug="pubblico", access_level=AccessLevel.ANONYMOUS)
    return [
        f"{BASE}/",
        f"{BASE}/servizi/",
        f"{BASE}/servizi/pubblico/",
        f"{BASE}/operatori/login",
        f"{BASE}/login/",
        f"{BASE}/login/avvia/?idp={DEMO_IDPS['spid'].entity_id()}",  # the auto-submitting SAML form
    ]


def test_every_page_has_a_csp_with_a_fresh_nonce_on_its_inline_scripts(client, pages, mori_admin):
    seen = set()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        seen.update(_assert_csp(response))
    client.force_login(mori_admin)
    for url in [f"{BASE}/operatori/", f"{BASE}/operatori/servizi/", f"{BASE}/operatori/pratiche/"]:
        seen.update(_assert_csp(client.get(url)))
    assert len(seen) >= 2  # one per response, never reused


def _assert_private(response, url):
    cache = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= cache, (url, response.get("Cache-Control"))
    assert "public" not in cache and not any(p.startswith("max-age=") and p != "max-age=0" for p in cache), (
        url
    )


@pytest.fixture
def citizen_application(mori, mori_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    citizen = UserFactory(fiscal_code="RSSMRA85T10A562S")
    application = submitted_application(municipality=mori, applicant=citizen)
    applications.application_message_post(
        application=application,
        user=mori_admin,
        body="Lettera",
        files=[SimpleUploadedFile("lettera.pdf", b"%PDF-1.4 lettera")],
    )
    return citizen, application, application.attachments.get(name="lettera.pdf")


def test_every_authenticated_response_is_private_and_not_stored(client, mori_admin, citizen_application):
    citizen, application, document = citizen_application
    client.force_login(citizen)
    for url in [
        f"{BASE}/",
        f"{BASE}/servizi/",
        f"{BASE}/area-personale/",
        f"{BASE}/pratiche/",
        f"{BASE}/pratiche/{application.pk}/",
        f"{BASE}/pratiche/{application.pk}/ricevuta.pdf",
        f"{BASE}/pratiche/{application.pk}/documenti/{document.pk}",
    ]:
        response = client.get(url)
        assert response.status_code in (200, 302), url
        _assert_private(response, url)
    client.force_login(mori_admin)
    for url in [
        f"{BASE}/operatori/",
        f"{BASE}/operatori/pratiche/",
        f"{BASE}/operatori/pratiche/?stato=registered",
        f"{BASE}/operatori/pratiche/esporta/",
        f"{BASE}/operatori/pratiche/{application.pk}/",
        f"{BASE}/operatori/pratiche/{application.pk}/allegati/{document.pk}",
        f"{BASE}/operatori/statistiche/",
        f"{BASE}/operatori/personale/",
        f"{BASE}/operatori/servizi/",
        f"{BASE}/stemma",
    ]:
        response = client.get(url)
        assert response.status_code in (200, 302, 404), url
        _assert_private(response, url)


def test_an_anonymous_applicants_pages_are_not_stored_either(client, mori):
    service = ServiceFactory(municipality=mori, slug="anonimo", access_level=AccessLevel.ANONYMOUS)
    service_form_save(service=service, definition=SIMPLE_DEFINITION)
    summary = client.post(f"{BASE}/servizi/anonimo/accedi/", {"nome": "Anna"})["Location"]
    done = client.post(summary)["Location"]
    for url in [summary, done, done.replace("/inviata/", "/ricevuta.pdf")]:
        _assert_private(client.get(url), url)


def test_public_pages_for_visitors_stay_cacheable(client, mori):
    assert "no-store" not in client.get(f"{BASE}/servizi/").get("Cache-Control", "")


@pytest.mark.parametrize(
    "hsts", [{}, {"SECURE_HSTS_INCLUDE_SUBDOMAINS": "false", "SECURE_HSTS_PRELOAD": "false"}]
)
def test_check_deploy_reports_nothing_in_production(tmp_path, hsts):
    result = subprocess.run(
        [sys.executable, str(SRC.parent / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=environment_with(**GOOD_PRODUCTION, SPORTELLO_VAR_DIR=str(tmp_path), **hsts),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"System check identified no issues", result.stdout + result.stderr)
