"""In the browser, with the real worker: an operator requests integrations on an application of an IO-bound
service; the citizen logs in with SPID (demo IdP) and finds the message in the "App IO (demo)" inbox.
And the payment journey: the operator requests a deferred payment, the citizen sees the IO message with the
amount, pays it from the message at the pagoPA sandbox, the payment is paid for the operator and the application,
which waited for it, is back in handling with "Pagamento ricevuto" in its history.
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
        SandboxIOMessage.objects.filter(fiscal_code="BNCGLI85M41L378W").count() == 3
    )  # the receipt (it follows the preference too), take in charge, integration
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


def test_deferred_payment_is_paid_from_the_app_io_message(
    browser,
    live_server,
    sp_at_live_server,
    demo_spid_login,
    mori,
    mori_operator,
    run_tasks,
    settings,
    tmp_path,
):
    from playwright.sync_api import expect

    from sportello.applications.services import application_submit
    from sportello.payments.models import Payment, Status, When
    from sportello.payments.tasks import payments_poll
    from sportello.payments.tests.factories import cie_service, filled_application, payment_settings

    settings.MEDIA_ROOT = tmp_path
    payment_settings(mori)
    service = cie_service(mori, when=When.DEFERRED)
    IOBindingFactory(service=service, service__io_service_id="01IOCIE")
    service.io_service_id = "01IOCIE"
    service.save(update_fields=["io_service_id"])
    service.operators.set([mori_operator])
    giulia = UserFactory(
        username="giulia", first_name="Giulia", last_name="Bianchi", fiscal_code="BNCGLI85M41L378W"
    )
    application = application_submit(application=filled_application(service, giulia), user=giulia)
    run_tasks()  # the submission's notices

    operator = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    ).new_page()
    operator.goto(f"{MORI}/operatori/login")
    operator.get_by_label("Nome utente").fill("operatore-mori")
    operator.get_by_label("Password").fill(TEST_PASSWORD)
    operator.get_by_role("button", name="Accedi").click()
    operator.goto(f"{MORI}/operatori/pratiche/{application.pk}/")
    box = operator.locator("[data-element=application-payment]")
    box.get_by_role("button", name="Richiedi pagamento").click()
    expect(operator.locator(".sportello-messages")).to_contain_text("Pagamento richiesto")
    expect(operator.get_by_test_id("application-state")).to_have_text("In attesa del pagamento richiesto")

    run_tasks()  # payment_publish: the position is payable, which queues the payment request ...
    run_tasks()  # ... whose IO message the worker then delivers to the IO sandbox
    payment = Payment.objects.get(application=application)
    message = IOMessage.objects.get(event_key=f"payment-request:{payment.pk}")
    run_tasks()
    message.refresh_from_db()
    assert message.status == IOMessage.Status.ACCEPTED, (message.status, message.error)

    citizen = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800}).new_page()
    citizen.goto(f"{MORI}/area-personale/")
    demo_spid_login(citizen, "Giulia Bianchi")
    citizen.get_by_role("link", name=re.compile("App IO \\(demo\\)")).click()
    newest = citizen.get_by_test_id("io-demo-inbox").locator(".io-demo-message").first
    expect(newest).to_contain_text("Pagamento richiesto: 22,21 €")
    payment_box = newest.get_by_test_id("io-demo-payment")
    expect(payment_box).to_contain_text("€ 22,21")
    expect(payment_box).to_contain_text(payment.notice_number)
    expect(newest.get_by_role("link", name="Paga online")).to_have_attribute(
        "href", re.compile(f"/pratiche/{application.pk}/pagamento/$")
    )
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    payment_box.get_by_role("button", name="Paga").click()
    expect(citizen.locator("h1")).to_have_text("Pagamento di prova (sandbox pagoPA)")
    citizen.get_by_role("button", name="Paga (prova)").click()
    expect(citizen.locator("h1")).to_have_text("App IO (demo)")  # back in the app
    paid_box = (
        citizen.get_by_test_id("io-demo-inbox")
        .locator(".io-demo-message")
        .first.get_by_test_id("io-demo-payment")
    )
    expect(paid_box).to_have_attribute("data-status", "paid")
    expect(paid_box).to_contain_text("Pagato")

    # Sportello learns it from pagoPA as always: the scheduler's poll asks the position.
    payments_poll.enqueue()
    run_tasks()
    payment.refresh_from_db()
    assert payment.status == Status.PAID
    operator.reload()
    expect(box.get_by_test_id("payment-status")).to_have_text("Pagato")
    # The application moves on: back in the operator's handling, the payment in its history.
    expect(operator.get_by_test_id("application-state")).to_have_text("In carico")
    history = operator.get_by_test_id("application-history")
    expect(history.locator("tr", has_text="Pagamento ricevuto")).to_contain_text("22,21 € pagati")
    application.refresh_from_db()
    assert application.state == "in_progress" and application.assigned_to == mori_operator
    folder = settings.PROJECT_DIR / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    citizen.screenshot(path=str(folder / "citizen-io-demo-payment.png"), full_page=True)
    citizen.context.close()
    operator.context.close()
