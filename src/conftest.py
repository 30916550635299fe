import pytest
from django.utils import translation

from sportello.accounts.models import Role
from sportello.accounts.tests.factories import MembershipFactory, UserFactory
from sportello.municipalities.tests.factories import MunicipalityFactory


@pytest.fixture(autouse=True)
def _italian_by_default():
    """Each test starts in Italian: a request in another language leaves it active in the test's thread."""
    translation.activate("it")
    yield
    translation.activate("it")


@pytest.fixture
def mori(db):
    return MunicipalityFactory(name="Comune di Mori", slug="comune-di-mori", ipa_code="c_f728")


@pytest.fixture
def trento(db):
    return MunicipalityFactory(name="Comune di Trento", slug="comune-di-trento", ipa_code="c_l378")


@pytest.fixture
def mori_admin(mori):
    return MembershipFactory(municipality=mori, role=Role.ADMIN, user__username="admin-mori").user


@pytest.fixture
def mori_operator(mori):
    return MembershipFactory(municipality=mori, role=Role.OPERATOR, user__username="operatore-mori").user


@pytest.fixture
def trento_admin(trento):
    return MembershipFactory(municipality=trento, role=Role.ADMIN, user__username="admin-trento").user


@pytest.fixture
def citizen(db):
    return UserFactory(username="cittadino", fiscal_code="RSSMRA80A01H501U")


@pytest.fixture
def run_tasks(transactional_db):
    """Run the queued tasks with the real database worker (it manages connections, hence transactional_db)."""
    from django.core.management import call_command

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    return run


# --- Browser (end-to-end) fixtures: Playwright driving Debian's chromium against the live server. ---

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


def _chromium_path() -> str:
    import os
    import shutil

    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium not installed: apt-get install chromium")
        pytest.skip("chromium not installed: apt-get install chromium")
    return path


@pytest.fixture(scope="session")
def browser():
    import os

    executable = _chromium_path()
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
    # itself (factories, services) would otherwise be refused as "called from an async context".
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def new_page(browser, live_server):
    """A factory of browser pages at the live server, each with its own cookies (one per person)."""
    contexts = []

    def make():
        context = browser.new_context(
            base_url=live_server.url, locale="it-IT", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def sp_at_live_server(settings, live_server):
    """The SAML SP's URLs (entityID, ACS, demo IdP endpoints) follow the live server's random port."""
    base = live_server.url.rstrip("/")
    settings.SPID_SP_BASE_URL = base
    settings.SPID_SP_ENTITY_ID = f"{base}/spid/metadata/"
    return base


@pytest.fixture
def demo_spid_login():
    """Log a page in through the demo SPID IdP as the citizen whose name matches, from the login choice."""
    import re

    def login(page, citizen: str, *, first_access: bool = True) -> None:
        from playwright.sync_api import expect

        page.get_by_text("Entra con SPID").click()
        page.get_by_role("link", name="SPID di prova (demo)").click()
        page.get_by_label(re.compile(citizen)).check()
        page.get_by_role("button", name="Accedi come questo cittadino").click()
        if first_access:  # the privacy notice comes first, then the page the citizen was going to
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Informativa sul trattamento dei dati personali"
            )
            page.locator("label[for='id_accept']").click()  # Bootstrap Italia draws the box on the label
            page.get_by_role("button", name="Continua").click()

    return login
