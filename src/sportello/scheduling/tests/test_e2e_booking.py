"""In the browser: a demo SPID citizen books a CIE appointment in the five steps and finds it in "I miei
appuntamenti"; the operator sees it in the calendar's agenda and marks it done."""

import re

import pytest
from django.core.management import call_command

from sportello.demo.data import DEMO_PASSWORD
from sportello.scheduling.availability import ROME
from sportello.scheduling.models import Appointment
from sportello.scheduling.states import State

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

MORI = "/comune-di-mori/it"


def test_citizen_books_a_cie_appointment_and_the_operator_marks_it_done(
    new_page, sp_at_live_server, demo_spid_login
):
    from playwright.sync_api import expect

    call_command("load_demo", verbosity=0)
    citizen, operator = new_page(), new_page()

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
    citizen.get_by_role("button", name="Conferma").click()
    expect(citizen.locator("h1")).to_have_text("Appuntamento confermato")
    expect(citizen.get_by_role("link", name="Aggiungi al tuo calendario")).to_be_visible()
    appointment = Appointment.objects.get(citizen__fiscal_code="RSSMRA80A01H501U")
    assert appointment.state == State.APPROVED and appointment.application.state == "registered"

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
