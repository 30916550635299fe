from django.conf import settings

from sportello.accounts.models import PrivacyConsent, User
from sportello.identity.demo_idp.idp import DEMO_CITIZENS, DEMO_IDPS

from .saml_helpers import LOGIN, saml_login

AREA = "/comune-di-mori/it/area-personale/"
CONSENT = AREA + "privacy/"
MARIO = DEMO_CITIZENS[0]


def _login(client, **kwargs):
    response = saml_login(client, idp=DEMO_IDPS["spid"].entity_id(), citizen=MARIO["fiscalNumber"], **kwargs)
    assert response.status_code == 302
    return response


def test_anonymous_visitor_is_sent_to_the_login_and_back(client, mori):
    response = client.get(AREA)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Fcomune-di-mori%2Fit%2Farea-personale%2F"


def test_login_without_next_lands_in_the_personal_area_and_asks_consent_first(client, mori):
    action_response = _login(client, next_url="")
    assert action_response["Location"] == AREA
    response = client.get(AREA)
    assert response.status_code == 302 and response["Location"] == CONSENT
    page = client.get(CONSENT)
    assert page.status_code == 200
    assert "informativa" in page.content.decode()

    # The box must be ticked.
    response = client.post(CONSENT, {})
    assert response.status_code == 200 and not PrivacyConsent.objects.exists()
    response = client.post(CONSENT, {"accept": "on"})
    assert response.status_code == 302 and response["Location"] == AREA
    consent = PrivacyConsent.objects.get()
    assert (
        consent.version == settings.PRIVACY_TERMS_VERSION
        and consent.accepted_at
        and consent.municipality == mori
    )

    html = client.get(AREA).content.decode()
    assert "RSSMRA80A01H501U" in html and "Mario" in html and "Rossi" in html
    assert "mario.rossi@example.org" in html
    # The header shows the citizen's name and menu instead of "Accedi".
    assert 'id="citizen-menu"' in html and "Mario Rossi" in html and 'id="citizen-login"' not in html


def test_contacts_are_editable_identity_is_not(client, mori):
    _login(client)
    client.post(CONSENT, {"accept": "on"})
    response = client.post(
        AREA,
        {
            "email": "Nuova@Example.org",
            "phone": "+39 340 0000000",
            "first_name": "Hacker",
            "fiscal_code": "BNCGLI85M41L378W",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(fiscal_code="RSSMRA80A01H501U")
    assert user.email == "nuova@example.org" and user.phone == "+39 340 0000000"
    assert user.first_name == "Mario"
    # Invalid input is refused with the form's errors.
    response = client.post(AREA, {"email": "not-an-email", "phone": "abc"})
    assert response.status_code == 200
    assert 'id="form-errors"' in response.content.decode()
    # A later login keeps the contacts the citizen chose.
    client.post("/comune-di-mori/it/esci/")
    _login(client)
    user.refresh_from_db()
    assert user.email == "nuova@example.org"


def test_consent_is_per_municipality(client, mori, trento):
    _login(client)
    client.post(CONSENT, {"accept": "on"})
    assert client.get(AREA).status_code == 200
    # The same citizen in another municipality accepts that municipality's terms first.
    response = client.get("/comune-di-trento/it/area-personale/")
    assert (
        response.status_code == 302 and response["Location"] == "/comune-di-trento/it/area-personale/privacy/"
    )


def test_staff_password_login_is_not_a_citizen_login(client, mori, mori_operator):
    client.force_login(mori_operator)
    response = client.get(AREA)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_header_shows_accedi_with_next_for_anonymous_visitors(client, mori):
    html = client.get("/comune-di-mori/it/").content.decode()
    assert 'id="citizen-login"' in html
    assert (
        f'href="{LOGIN}?next=/comune-di-mori/it/"' in html
        or f'href="{LOGIN}?next=%2Fcomune-di-mori%2Fit%2F"' in html
    )


def test_logout_without_slo_support_is_local(client, mori, monkeypatch):
    _login(client)
    from sportello.identity import views

    monkeypatch.setattr(views, "logout_request_build", lambda **kwargs: None)
    response = client.post("/comune-di-mori/it/esci/")
    assert response.status_code == 302 and response["Location"] == "/comune-di-mori/it/"
    assert "_auth_user_id" not in client.session
    assert client.get(AREA).status_code == 302


def test_personal_area_shows_names_not_codes(client, mori):
    """Place of birth as the municipality's name, the identity provider by its name, levels in words."""
    from bs4 import BeautifulSoup

    _login(client)
    client.post(CONSENT, {"accept": "on"})
    page = BeautifulSoup(client.get(AREA).content, "html.parser")
    identity = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
        for dt in page.select("dl dt")
    }
    assert identity["Luogo di nascita"] == "Roma (RM)"
    idp = DEMO_IDPS["spid"]
    access = page.select_one("#access-title").find_parent("section")
    assert idp.entity_id() not in access.get_text()
    cells = [td.get_text(strip=True) for td in access.select("tbody tr:first-child td")]
    assert cells[1] == str(idp.name) and cells[2] == "SPID livello 2"


def test_privacy_notice_is_asked_at_first_access_before_anything_is_submitted(
    client, mori, settings, tmp_path
):
    """A citizen coming to start a service accepts the notice first, then lands where they were going."""
    from bs4 import BeautifulSoup

    from sportello.applications.models import Application
    from sportello.catalog.constants import AccessLevel
    from sportello.catalog.services import service_form_save
    from sportello.catalog.tests.factories import SIMPLE_DEFINITION, ServiceFactory

    settings.MEDIA_ROOT = tmp_path
    service = ServiceFactory(municipality=mori, slug="contributo", access_level=AccessLevel.SPID1)
    service_form_save(service=service, definition=SIMPLE_DEFINITION)
    start = "/comune-di-mori/it/servizi/contributo/accedi/"
    response = _login(client, next_url=start, level="spid1")
    assert response["Location"] == start
    for url in (start, "/comune-di-mori/it/pratiche/", AREA):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(CONSENT), url
    assert not Application.objects.exists() and not PrivacyConsent.objects.exists()

    consent_url = client.get(start)["Location"]
    page = client.get(consent_url)  # a SPID level 1 session is enough to read and accept the notice
    assert page.status_code == 200
    checkbox = BeautifulSoup(page.content, "html.parser").select_one("input[name=accept]").find_parent("div")
    assert checkbox.find("a", href="/comune-di-mori/it/privacy/")
    response = client.post(consent_url, {"accept": "on"})
    assert response.status_code == 302 and response["Location"] == start
    assert PrivacyConsent.objects.get().version == settings.PRIVACY_TERMS_VERSION
    assert client.get(start).status_code == 200  # now the form itself (no draft until the first POST)
    assert not Application.objects.exists()


def test_consent_page_never_sends_elsewhere(client, mori):
    _login(client)
    response = client.post(CONSENT + "?next=https://evil.example.org/", {"accept": "on"})
    assert response.status_code == 302 and response["Location"] == AREA
