from io import BytesIO

from bs4 import BeautifulSoup
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sportello.accounts.models import Membership, Role, User

BASE = "/comune-di-mori/it/operatori"


def test_admin_invites_an_operator_who_receives_the_credentials(client, mori, mori_admin, run_tasks):
    client.force_login(mori_admin)
    response = client.post(
        f"{BASE}/personale/nuovo/",
        {
            "first_name": "Lucia",
            "last_name": "Bianchi",
            "username": "lucia-bianchi",
            "email": "lucia@example.org",
            "role": "operator",
            "language": "it",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="lucia-bianchi")
    assert membership.municipality == mori and membership.role == Role.OPERATOR
    assert membership.created_by == mori_admin
    listing = client.get(f"{BASE}/personale/").content.decode()
    assert "In attesa del primo accesso" in listing
    run_tasks()
    assert mail.outbox[0].to == ["lucia@example.org"]


def test_invite_with_bad_input_shows_italian_errors_and_creates_nothing(client, mori, mori_admin):
    client.force_login(mori_admin)
    response = client.post(
        f"{BASE}/personale/nuovo/",
        {
            "first_name": "",
            "last_name": "Bianchi",
            "username": "Lucia Bianchi!",
            "email": "x",
            "role": "capo",
        },
    )
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("#form-errors")
    errors = " ".join(e.get_text() for e in page.select(".invalid-feedback"))
    assert "Questo campo è obbligatorio" in errors
    assert "indirizzo email valido" in errors
    assert page.select_one("#id_username")["aria-invalid"] == "true"
    assert not User.objects.filter(last_name="Bianchi").exists()


def test_invite_with_a_taken_username_shows_the_error_at_the_field(client, mori, mori_admin, trento_admin):
    client.force_login(mori_admin)
    response = client.post(
        f"{BASE}/personale/nuovo/",
        {
            "first_name": "A",
            "last_name": "B",
            "username": "admin-trento",
            "email": "a@example.org",
            "role": "operator",
            "language": "it",
        },
    )
    assert response.status_code == 200
    assert "già in uso" in response.content.decode()


def test_admin_changes_role_deactivates_reactivates_and_resets(client, mori, mori_admin, mori_operator):
    client.force_login(mori_admin)
    membership = mori_operator.memberships.get()
    url = f"{BASE}/personale/{membership.pk}/"
    assert client.post(url, {"role": "admin"}).status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN
    client.post(f"{url}disattiva")
    membership.refresh_from_db()
    assert not membership.is_active
    assert client.get(f"{url}").status_code == 200
    client.post(f"{url}riattiva")
    membership.refresh_from_db()
    assert membership.is_active
    client.post(f"{url}reimposta-password")
    mori_operator.refresh_from_db()
    assert mori_operator.must_change_password


def test_refused_actions_show_the_reason(client, mori, mori_admin):
    client.force_login(mori_admin)
    membership = mori_admin.memberships.get()
    response = client.post(f"{BASE}/personale/{membership.pk}/disattiva", follow=True)
    assert "Non puoi disattivare il tuo stesso account" in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_active


def test_a_deactivated_operator_loses_access_at_once(client, mori, mori_admin, mori_operator):
    client.force_login(mori_operator)
    assert client.get(f"{BASE}/").status_code == 200
    membership = mori_operator.memberships.get()
    membership.is_active = False
    membership.save()
    assert client.get(f"{BASE}/").status_code == 403


def test_staff_list_search(client, mori, mori_admin, mori_operator):
    client.force_login(mori_admin)
    page = BeautifulSoup(client.get(f"{BASE}/personale/", {"q": "operatore"}).content, "html.parser")
    assert [td.get_text() for td in page.select("tbody tr td:nth-of-type(2)")] == ["operatore-mori"]


def _png(size=(64, 64)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _settings_data(mori, **overrides):
    data = {
        "name": mori.name,
        "fiscal_code": mori.fiscal_code,
        "ipa_code": mori.ipa_code,
        "email": mori.email,
        "pec": mori.pec,
        "phone": "0464 123456",
        "address": mori.address,
        "site_url": "",
        "languages": ["it", "de"],
        "privacy_url": "",
        "legal_notes_url": "",
        "accessibility_url": "https://form.agid.gov.it/view/xyz",
    }
    data.update(overrides)
    return data


def test_admin_edits_the_municipality_data_and_logo(client, mori, mori_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(mori_admin)
    data = _settings_data(mori, logo=SimpleUploadedFile("stemma.png", _png(), content_type="image/png"))
    response = client.post(f"{BASE}/ente/", data)
    assert response.status_code == 302
    mori.refresh_from_db()
    assert mori.phone == "0464 123456"
    assert mori.languages == ["it", "de"]
    assert mori.logo.name.startswith("municipalities/comune-di-mori/")
    assert client.get("/comune-di-mori/it/stemma").status_code == 200
    assert client.get("/comune-di-mori/en/").status_code == 404


def test_bad_municipality_data_and_bad_logos_are_refused_and_change_nothing(
    client, mori, mori_admin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(mori_admin)
    cases = [
        (_settings_data(mori, fiscal_code="00125390220"), "cifra di controllo"),
        (
            _settings_data(mori, logo=SimpleUploadedFile("stemma.png", b"<script>alert(1)</script>")),
            "immagine",
        ),
        (_settings_data(mori, logo=SimpleUploadedFile("stemma.svg", b"<svg></svg>")), "immagine"),
        (
            _settings_data(
                mori, logo=SimpleUploadedFile("grande.png", _png((3000, 3000)) + b"\0" * 1024 * 1024)
            ),
            "1 MB",
        ),
    ]
    for data, message in cases:
        response = client.post(f"{BASE}/ente/", data)
        assert response.status_code == 200
        assert message in response.content.decode(), message
    mori.refresh_from_db()
    assert mori.phone != "0464 123456"
    assert not mori.logo


def test_municipality_settings_link_the_current_logo_and_name_languages_in_one_language(
    client, mori, mori_admin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(mori_admin)
    data = _settings_data(mori, logo=SimpleUploadedFile("stemma.png", _png(), content_type="image/png"))
    assert client.post(f"{BASE}/ente/", data).status_code == 302
    page = BeautifulSoup(client.get(f"{BASE}/ente/").content, "html.parser")
    current = page.select_one("input[name=logo]").find_parent().find("a")
    assert current is not None
    logo = client.get(current["href"])
    assert logo.status_code == 200 and logo["Content-Type"].startswith("image/")
    labels = [label.get_text(strip=True) for label in page.select("input[name=languages] + label")]
    assert labels == ["Italiano", "Inglese", "Tedesco"]
    page_en = BeautifulSoup(client.get("/comune-di-mori/de/operatori/ente/").content, "html.parser")
    assert [lb.get_text(strip=True) for lb in page_en.select("input[name=languages] + label")] == [
        "Italienisch",
        "Englisch",
        "Deutsch",
    ]
