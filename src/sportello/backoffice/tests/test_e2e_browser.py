"""End-to-end journeys through the staff area, driven by headless Chromium (Playwright, sync API).

They run against pytest-django's ``live_server`` with real commits (``transactional_db``). Debian's
``chromium`` is the browser: without it the tests skip locally and fail under ``CI=true``.
Screenshots for humans are written to ``var/screenshots/``.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from sportello.accounts.models import Role
from sportello.accounts.services import staff_create
from sportello.accounts.tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

SCREENSHOT_DIR = settings.PROJECT_DIR / "var" / "screenshots"
MORI = "/comune-di-mori"
TRENTO = "/comune-di-trento"
# The shape of sportello.accounts.passwords.temporary_password_generate(), e.g. Kx7p-Qm3R-t9Zw-B2nd.
TEMPORARY_PASSWORD = re.compile(r"\b[A-Za-z2-9]{4}(?:-[A-Za-z2-9]{4}){3}\b")
NEW_PASSWORD = "Mori-Nuova-Chiave-2026"


def _expect():
    from playwright.sync_api import expect

    return expect


def _login(page, username: str, password: str):
    """Fill the staff login form on the current page and submit it; returns the POST's response."""
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_response(
        lambda response: response.request.method == "POST" and response.url.endswith("/operatori/login")
    ) as response_info:
        page.get_by_role("button", name="Accedi").click()
    page.wait_for_load_state()
    return response_info.value


def _path(page) -> str:
    return urlsplit(page.url).path


def test_staff_login_change_password_link_and_logout(page, mori_operator):
    expect = _expect()
    page.goto(f"{MORI}/it/")
    page.get_by_role("contentinfo").get_by_role("link", name="Accesso operatori").click()
    expect(page).to_have_url(re.compile(r"/comune-di-mori/it/operatori/login$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Accesso operatori")

    response = _login(page, "operatore-mori", TEST_PASSWORD)
    assert response.status == 302
    expect(page).to_have_url(re.compile(r"/comune-di-mori/it/operatori/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cruscotto")

    # The user's menu in the header (Bootstrap dropdown) leads to the password change page.
    page.locator("#user-menu").click()
    menu = page.locator(".dropdown-menu[aria-labelledby='user-menu']")
    expect(menu).to_be_visible()
    menu.get_by_role("link", name="Cambio password").click()
    expect(page).to_have_url(re.compile(r"/comune-di-mori/it/operatori/password$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cambio password")
    expect(page.get_by_label("Password attuale")).to_be_visible()

    # Log out from the sidebar.
    sidebar = page.get_by_role("navigation", name="Menu dell'area operatori")
    sidebar.get_by_role("button", name="Esci").click()
    expect(page).to_have_url(re.compile(r"/comune-di-mori/it/operatori/login$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Accesso operatori")
    expect(page.get_by_role("status")).to_contain_text("Sei uscito dall'area operatori.")
    expect(page.locator("#user-menu")).to_have_count(0)

    # The session is really gone: the dashboard asks for the login again.
    page.goto(f"{MORI}/it/operatori/")
    expect(page).to_have_url(re.compile(r"/comune-di-mori/it/operatori/login\?next="))


def test_first_access_forces_a_new_password(page, mori, mori_admin, mailoutbox):
    expect = _expect()
    staff_create(
        municipality=mori,
        username="nuovo-mori",
        email="nuovo-mori@example.org",
        role=Role.OPERATOR,
        first_name="Nadia",
        last_name="Nuovi",
        actor=mori_admin,
    )
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nuovo-mori@example.org"]
    found = TEMPORARY_PASSWORD.search(message.body)
    assert found, message.body
    temporary_password = found.group(0)

    page.goto(f"{MORI}/it/operatori/login")
    response = _login(page, "nuovo-mori", temporary_password)
    assert response.status == 302
    expect(page).to_have_url(re.compile(r"/comune-di-mori/it/operatori/password$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cambio password")
    expect(page.get_by_role("alert")).to_contain_text("password temporanea")

    # Whatever page they try, they are sent back to the password change form.
    for path in (f"{MORI}/it/operatori/personale/", f"{MORI}/it/operatori/", f"{MORI}/it/"):
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/comune-di-mori/it/operatori/password$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Cambio password")

    old_password = page.get_by_label("Password temporanea")
    new_password = page.get_by_label(re.compile(r"^Nuova password"))
    confirmation = page.get_by_label(re.compile(r"^Conferma nuova password"))
    save = page.get_by_role("button", name="Salva la nuova password")

    old_password.fill(temporary_password)
    new_password.fill("Corta-1")
    confirmation.fill("Corta-1")
    save.click()
    expect(page).to_have_url(re.compile(r"/comune-di-mori/it/operatori/password$"))
    expect(page.locator("#form-errors")).to_contain_text(
        "Questa password è troppo corta. Deve contenere almeno 12 caratteri."
    )

    page.get_by_label("Password temporanea").fill(temporary_password)
    page.get_by_label(re.compile(r"^Nuova password")).fill(NEW_PASSWORD)
    page.get_by_label(re.compile(r"^Conferma nuova password")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Salva la nuova password").click()
    expect(page).to_have_url(re.compile(r"/comune-di-mori/it/operatori/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cruscotto")
    expect(page.get_by_role("status")).to_contain_text("La password è stata cambiata.")

    # Free to move around now.
    page.goto(f"{MORI}/it/operatori/password")
    expect(page.get_by_label("Password attuale")).to_be_visible()


def test_staff_of_another_municipality_gets_403(page, mori, trento_admin):
    expect = _expect()
    page.goto(f"{TRENTO}/it/operatori/login")
    response = _login(page, "admin-trento", TEST_PASSWORD)
    assert response.status == 302
    expect(page).to_have_url(re.compile(r"/comune-di-trento/it/operatori/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cruscotto")

    response = page.goto(f"{MORI}/it/operatori/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Accesso non consentito")

    response = page.goto(f"{MORI}/it/operatori/personale/")
    assert response.status == 403


def test_lockout_after_five_wrong_passwords(page, mori_operator):
    expect = _expect()
    page.goto(f"{MORI}/it/operatori/login")
    statuses = []
    for attempt in range(5):
        response = _login(page, "operatore-mori", f"sbagliata-{attempt}")
        statuses.append(response.status)
        if attempt < 4:
            expect(page.locator("#form-errors")).to_contain_text("Nome utente o password non corretti.")
    # The fifth failure already locks the account (README: "Five wrong passwords ... lock it").
    assert statuses == [200, 200, 200, 200, 429]
    expect(page.get_by_role("alert").filter(has_text="Troppi tentativi")).to_be_visible()

    response = _login(page, "operatore-mori", TEST_PASSWORD)
    assert response.status == 429
    expect(page).to_have_url(re.compile(r"/comune-di-mori/it/operatori/login$"))
    expect(page.get_by_role("alert").filter(has_text="Troppi tentativi")).to_be_visible()
    expect(page.locator("#user-menu")).to_have_count(0)

    # Still locked: the dashboard is not reachable.
    page.goto(f"{MORI}/it/operatori/")
    expect(page).to_have_url(re.compile(r"/operatori/login\?next="))


def _visit(page, path: str, own_origin: str, failures: list[str], foreign: list[str]):
    """Open ``path`` and wait for the network to settle, recording foreign and failed requests."""

    def on_request(request):
        url = request.url
        if url.startswith("data:"):
            return
        if f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" != own_origin:
            foreign.append(url)

    def on_response(response):
        if response.status >= 400:
            failures.append(f"{response.status} {response.url}")

    def on_failed(request):
        failures.append(f"failed {request.url}: {request.failure}")

    page.on("request", on_request)
    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    try:
        response = page.goto(path, wait_until="networkidle")
    finally:
        page.remove_listener("request", on_request)
        page.remove_listener("response", on_response)
        page.remove_listener("requestfailed", on_failed)
    return response


def test_languages_and_screenshots(page, live_server, mori):
    expect = _expect()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    origin = live_server.url.rstrip("/")
    foreign: list[str] = []
    failures: list[str] = []

    for lang in ("it", "en", "de"):
        response = _visit(page, f"{MORI}/{lang}/", origin, failures, foreign)
        assert response.status == 200
        assert response.headers.get("content-language") == lang
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator(".it-brand-title").first).to_have_text("Comune di Mori")
        page.screenshot(path=str(SCREENSHOT_DIR / f"home-{lang}.png"), full_page=True)

        response = _visit(page, f"{MORI}/{lang}/operatori/login", origin, failures, foreign)
        assert response.status == 200
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.get_by_role("button")).not_to_have_count(0)
        page.screenshot(path=str(SCREENSHOT_DIR / f"login-{lang}.png"), full_page=True)

    # The language switcher in the header: the current language is not a link, the others are.
    page.goto(f"{MORI}/it/")
    languages = page.locator(".sportello-languages")
    expect(languages.locator("[aria-current='true']")).to_have_text("ITA")
    expect(languages.get_by_role("link", name="ITA")).to_have_count(0)
    languages.get_by_role("link", name="ENG").click()
    expect(page).to_have_url(re.compile(r"/comune-di-mori/en/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(languages.locator("[aria-current='true']")).to_have_text("ENG")

    languages.get_by_role("link", name="DEU").click()
    expect(page).to_have_url(re.compile(r"/comune-di-mori/de/$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")

    # The switcher keeps the page: from the German login page back to the Italian one.
    page.goto(f"{MORI}/de/operatori/login")
    languages.get_by_role("link", name="ITA").click()
    expect(page).to_have_url(re.compile(r"/comune-di-mori/it/operatori/login$"))
    expect(page.locator("html")).to_have_attribute("lang", "it")

    assert foreign == [], f"requests to other hosts: {foreign}"
    assert failures == [], f"failed requests: {failures}"
    for name in ("home", "login"):
        for lang in ("it", "en", "de"):
            assert Path(SCREENSHOT_DIR / f"{name}-{lang}.png").stat().st_size > 0
