"""In the browser, the whole CIE journey of issues 8 and 9 on the demo data: a demo SPID citizen books a CIE
appointment in the five steps, pays the fee in the pagoPA sandbox, and sees the appointment confirmed and in "I miei
appuntamenti"; the operator sees it in the calendar's agenda and marks it done; the administrator's accounting
export has the three budget-line rows of that payment, and a reporting flow (FdR) from the sandbox reconciles
them."""

import re

import pytest
from django.core.management import call_command

from sportello.demo.data import DEMO_PASSWORD
from sportello.payments.models import Payment, PaymentLine, ReportingFlow
from sportello.scheduling.availability import ROME
from sportello.scheduling.models import Appointment
from sportello.scheduling.states import State

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

MORI = "/comune-di-mori/it"


def test_citizen_books_and_pays_a_cie_appointment_operator_marks_it_done_accounting_and_reconciliation(
    new_page, sp_at_live_server, demo_spid_login, settings, tmp_path
):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    citizen, operator, administrator = new_page(), new_page(), new_page()

    citizen.goto(f"{MORI}/servizi/carta-identita-elettronica/")
    citizen.locator("[data-element=service-booking-access]").first.click()
    demo_spid_login(citizen, "Mario Rossi")

    # 1. Luogo
    expect(citizen.locator("[aria-current=step]")).to_contain_text("Luogo")
    expect(citizen.locator("main")).to_contain_text("Ufficio Anagrafe")
    citizen.get_by_role("button", name="Avanti").click()
    # 2. Data e orario: a day with free places in the month view, then a time
    days = citizen.locator("table.sportello-month a")
    if days.count() == 0:
        citizen.get_by_role("link", name="Mese successivo").click()
    citizen.locator("table.sportello-month a").first.click()
    citizen.locator(
        "label[for=slot-1]"
    ).click()  # (the anchor scroll makes the radio "unstable" for a moment)
    expect(citizen.locator("#slot-1")).to_be_checked()
    citizen.get_by_role("button", name="Avanti").click()
    # 3. Dettagli: the CIE form (reason, then the applicant's page prefilled from SPID)
    expect(citizen.locator("main")).to_contain_text("riservato per te fino alle")
    citizen.locator(
        "label", has_text="Primo rilascio"
    ).click()  # Bootstrap Italia draws the radio on its label
    citizen.get_by_role("button", name="Avanti").click()
    expect(citizen.locator("#id_nome")).to_have_value("Mario")
    citizen.locator("label[for=id_privacy]").click()
    citizen.get_by_role("button", name="Avanti").click()
    # 4. Richiedente (read-only from SPID), 5. Riepilogo
    expect(citizen.locator("main")).to_contain_text("RSSMRA80A01H501U")
    citizen.get_by_role("button", name="Avanti").click()
    expect(citizen.locator("main")).to_contain_text("22,21 euro")
    citizen.locator("label[for=id_privacy]").click()
    expect(citizen.locator("#id_privacy")).to_be_checked()
    citizen.get_by_role("button", name="Conferma e vai al pagamento").click()
    # the fee before the confirmation: the place is held meanwhile
    expect(citizen.get_by_test_id("payment-total")).to_have_text("22,21 €")
    expect(citizen.get_by_test_id("payment-appointment")).to_have_attribute("data-state", "held")
    appointment = Appointment.objects.get(citizen__fiscal_code="RSSMRA80A01H501U")
    assert appointment.state == State.HELD and appointment.application.state == "payment_pending"
    citizen.get_by_role("button", name="Paga online").click()
    expect(citizen.locator("h1")).to_have_text("Pagamento di prova (sandbox pagoPA)")
    citizen.get_by_role("button", name="Paga (prova)").click()
    expect(citizen.get_by_test_id("payment-outcome")).to_have_attribute("data-status", "paid")
    confirmed = citizen.get_by_test_id("payment-appointment")
    expect(confirmed).to_have_attribute("data-state", "approved")
    expect(confirmed).to_contain_text("Appuntamento confermato")
    confirmed.get_by_role("link", name="Vedi l'appuntamento").click()
    expect(citizen.locator("h1")).to_have_text("Appuntamento confermato")
    expect(citizen.get_by_role("link", name="Aggiungi al tuo calendario")).to_be_visible()
    appointment.refresh_from_db()
    assert appointment.state == State.APPROVED and appointment.application.state == "registered"
    payment = Payment.objects.get(application=appointment.application)
    assert payment.status == "paid" and payment.amount_cents == 2221

    citizen.goto(f"{MORI}/appuntamenti/")
    expect(citizen.locator("main")).to_contain_text("Ufficio Anagrafe")
    expect(citizen.locator("main table").first).to_contain_text("Confermato")

    # Operator: Calendari -> agenda of the day -> done
    operator.goto(f"{MORI}/operatori/login")
    operator.get_by_label("Nome utente").fill("operatore-mori")
    operator.get_by_label("Password").fill(DEMO_PASSWORD)
    operator.get_by_role("button", name="Accedi").click()
    operator.locator(".sportello-sidebar").get_by_role("link", name="Calendari").click()
    operator.locator("tr", has_text="Ufficio Anagrafe").get_by_role(
        "link", name=re.compile("^Agenda")
    ).click()
    local_day = appointment.start.astimezone(ROME).date().isoformat()
    operator.get_by_label("Giorno").fill(local_day)
    operator.get_by_role("button", name="Mostra").click()
    row = operator.locator("tr", has_text="Rossi Mario")
    expect(row).to_contain_text("Confermato")
    row.get_by_role("button", name="Svolto").click()
    expect(operator.locator(".sportello-messages")).to_contain_text("Appuntamento aggiornato")
    expect(operator.locator("tr", has_text="Rossi Mario")).to_contain_text("Svolto")
    appointment.refresh_from_db()
    assert appointment.state == State.DONE

    # Administrator (the accounting pages are administrators'): the export has the payment's three budget lines
    administrator.goto(f"{MORI}/operatori/login")
    administrator.get_by_label("Nome utente").fill("admin-mori")
    administrator.get_by_label("Password").fill(DEMO_PASSWORD)
    administrator.get_by_role("button", name="Accedi").click()
    administrator.goto(f"{MORI}/operatori/pratiche/{appointment.application_id}/")
    box = administrator.locator("[data-element=application-payment]")
    expect(box.get_by_test_id("payment-amount")).to_have_text("22,21 €")
    expect(box.get_by_test_id("payment-status")).to_have_text("Pagato")
    expect(box.get_by_test_id("payment-iuv")).to_have_text(payment.iuv)
    administrator.locator(".sportello-sidebar").get_by_role("link", name="Export contabile").click()
    paid_day = payment.paid_at.astimezone(ROME).date().isoformat()
    administrator.get_by_label("Pagati dal").fill(paid_day)
    administrator.get_by_label("Pagati fino al").fill(paid_day)
    administrator.get_by_label("Formato").select_option("csv")
    with administrator.expect_download() as download:
        administrator.get_by_role("button", name="Scarica").click()
    header, *rows = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    columns = header.split(";")
    ours = [dict(zip(columns, row.split(";"), strict=True)) for row in rows]
    ours = [row for row in ours if row["iuv"] == payment.iuv]
    assert [(row["capitolo"], row["importo"]) for row in ours] == [
        ("9100", "16.79"),
        ("3050", "5.16"),
        ("3060", "0.26"),
    ]
    assert {row["numero_pratica"] for row in ours} == {appointment.application.number}

    # Reconciliation: the sandbox's reporting flow covers what was paid (the demo's payments too) and matches all
    administrator.locator(".sportello-sidebar").get_by_role("link", name="Rendicontazione").click()
    administrator.get_by_role("button", name=re.compile("Ricevi un flusso dalla sandbox")).click()
    expect(administrator.get_by_test_id("flow-reconciled")).to_be_visible()
    expect(administrator.locator("main")).to_contain_text("Nessuna anomalia")
    flow = ReportingFlow.objects.get()
    lines = PaymentLine.objects.filter(payment=payment)
    assert [line.reconciled_flow_id for line in lines] == [flow.pk] * 3
    assert (
        flow.report["conteggi"]["riconciliati"]
        == flow.total_count
        == PaymentLine.objects.filter(reconciled_flow=flow).count()
    )
