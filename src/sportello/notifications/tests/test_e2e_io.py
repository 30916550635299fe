"""In the browser, with the real worker: an operator requests integrations on an application of an IO-bound
service; the citizen logs in with SPID (demo IdP) and finds the message in the "App IO (demo)" inbox.

The payment variant (deferred payment -> IO message with the amount -> "Paga" -> the application moves on) needs
the payments app, built in parallel: it is left for the integration of the two branches.
"""

import re

import pytest

from sportello.accounts.tests.factories import TEST_PASSWORD, UserFactory
from sportello.applications.tests.factories import submitted_application
from sportello.notifications.models import IOMessage, SandboxIOMessage
from sportello.notifications.tests.factories import IOBindingFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

MORI = "/comune-di-mori/it"


def test_integration_request_reaches_the_citizen_on_app_io(
    browser, live_server, sp_at_live_server, mori, mori_operator, run_tasks, settings, tmp_path
):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    binding = IOBindingFactory(service__municipality=mori, service__name="Iscrizione al nido d'infanzia")
    binding.service.operators.set([mori_operator])
    giulia = UserFactory(
        username="giulia", first_name="Giulia", last_name="Bianchi", fiscal_code="BNCGLI85M41L378W"
    )
    application = submitted_application(municipality=mori, applicant=giulia, service=binding.service)

    operator = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    ).new_page()
    operator.goto(f"{MORI}/operatori/login")
    operator.get_by_label("Nome utente").fill("operatore-mori")
    operator.get_by_label("Password").fill(TEST_PASSWORD)
    operator.get_by_role("button", name="Accedi").click()
    operator.goto(f"{MORI}/operatori/pratiche/{application.pk}/")
    operator.get_by_role("button", name="Prendi in carico").click()
    operator.locator("summary", has_text="Richiedi integrazioni").click()
    operator.locator("#id_integrazione-body").fill("Allega il certificato vaccinale del bambino.")
    operator.locator("form", has=operator.locator("#id_integrazione-body")).get_by_role(
        "button", name="Richiedi integrazioni"
    ).click()
    expect(operator.locator(".sportello-messages")).to_be_visible()

    run_tasks()  # application_notify queues the IO message ...
    run_tasks()  # ... and io_message_deliver sends it to the IO sandbox
    assert (
        SandboxIOMessage.objects.filter(fiscal_code="BNCGLI85M41L378W").count() == 2
    )  # take in charge + integration
    assert set(IOMessage.objects.values_list("status", flat=True)) == {IOMessage.Status.ACCEPTED}

    operator.reload()
    expect(operator.locator(".sportello-deliveries").last).to_contain_text("App IO: Consegnato ad App IO")

    citizen = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800}).new_page()
    citizen.goto(f"{MORI}/area-personale/")
    citizen.get_by_text("Entra con SPID").click()
    citizen.get_by_role("link", name="SPID di prova (demo)").click()
    citizen.get_by_label(re.compile(r"Giulia Bianchi")).check()
    citizen.get_by_role("button", name="Accedi come questo cittadino").click()
    citizen.locator("label[for=id_accept]").click()
    citizen.get_by_role("button", name="Continua").click()
    citizen.get_by_role("link", name=re.compile("App IO \\(demo\\)")).click()
    expect(citizen.locator("h1")).to_have_text("App IO (demo)")
    inbox = citizen.get_by_test_id("io-demo-inbox")
    newest = inbox.locator(".io-demo-message").first
    expect(newest).to_contain_text("Iscrizione al nido d'infanzia")
    expect(newest).to_contain_text(application.number)
    expect(newest).to_contain_text("Allega il certificato vaccinale del bambino.")
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    folder = settings.PROJECT_DIR / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    citizen.screenshot(path=str(folder / "citizen-io-demo-inbox.png"), full_page=True)
    citizen.context.close()
    operator.context.close()
