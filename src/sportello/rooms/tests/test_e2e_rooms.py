"""In the browser, on the demo data: a citizen (demo SPID) requests the moderated "Sala consiliare"; the room's
coordinator approves it; the citizen pays fee and deposit in the pagoPA sandbox; the booking is confirmed and
another citizen sees the range as taken, without any personal data. The room page has no sideways scroll at
375 px."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from sportello.demo.data import DEMO_PASSWORD
from sportello.payments.models import Status
from sportello.rooms.models import RoomBooking
from sportello.rooms.services import is_holiday
from sportello.rooms.states import State

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

MORI = "/comune-di-mori/it"
ROOM = f"{MORI}/spazi/sala-consiliare/"


def _a_free_tuesday():
    day = timezone.localdate() + timedelta(days=14)
    while day.weekday() != 1 or is_holiday(day):
        day += timedelta(days=1)
    return day


def _pay_in_sandbox(page, name):
    from playwright.sync_api import expect

    expect(page.get_by_role("button", name=name)).to_be_visible()
    page.get_by_role("button", name=name).click()
    expect(page.locator("h1")).to_have_text("Pagamento di prova (sandbox pagoPA)")
    page.get_by_role("button", name="Paga (prova)").click()


def test_request_approve_pay_confirm_and_others_see_it_taken_without_personal_data(
    new_page, browser, live_server, sp_at_live_server, demo_spid_login
):
    from playwright.sync_api import expect

    call_command("load_demo", verbosity=0)
    day = _a_free_tuesday()
    citizen, operator = new_page(), new_page()

    # 1. The citizen chooses date and range on the room's page, logs in with SPID, then fills in the request.
    citizen.goto(f"{ROOM}?giorno={day.isoformat()}")
    expect(citizen.locator("[data-element=room-tariffs]")).to_contain_text("Cittadino residente")
    citizen.get_by_role("button", name="Avanti").click()
    demo_spid_login(citizen, "Giulia Bianchi", first_access=False)  # back to the room's page (public)
    citizen.get_by_label("Giorno").fill(day.isoformat())
    citizen.get_by_label("Ora di inizio").select_option("18:00")
    citizen.get_by_label("Ora di fine").select_option("21:00")
    citizen.get_by_label("Chi chiede la sala").select_option("resident")
    citizen.get_by_role("button", name="Avanti").click()
    # The range is held; the privacy notice comes first (first access), then the request's details.
    expect(citizen.get_by_role("heading", level=1)).to_have_text(
        "Informativa sul trattamento dei dati personali"
    )
    citizen.locator("label[for='id_accept']").click()
    citizen.get_by_role("button", name="Continua").click()
    expect(citizen.locator("h1")).to_have_text("Dettagli della richiesta")
    expect(citizen.locator("main")).to_contain_text("riservata per te fino alle")
    citizen.get_by_label("Finalità dell'uso").fill("Presentazione di un libro")
    citizen.get_by_label("Partecipanti previsti").fill("40")
    citizen.locator("label", has_text="Proiettore").click()
    for text in ("capienza", "non si fuma", "manifesti", "assicurazione", "SIAE"):
        citizen.locator("label", has_text=text).click()
    citizen.locator("label", has_text="Persona fisica").click()
    citizen.get_by_role("button", name="Avanti").click()
    # The summary explains the price: 3 hours x the winter or ordinary resident rate, and the deposit apart.
    price = citizen.locator("[data-element=room-price]")
    expect(price).to_contain_text("3 ore ×")
    expect(citizen.get_by_test_id("room-deposit")).to_have_text("100,00 €")
    citizen.get_by_role("button", name="Invia la richiesta").click()
    expect(citizen.locator("h1")).to_have_text("Richiesta inviata")
    booking = RoomBooking.objects.get(citizen__fiscal_code="BNCGLI85M41L378W")
    assert booking.state == State.REQUESTED

    # 2. The room's coordinator approves it.
    operator.goto(f"{MORI}/operatori/login")
    operator.get_by_label("Nome utente").fill("operatore-mori")
    operator.get_by_label("Password").fill(DEMO_PASSWORD)
    operator.get_by_role("button", name="Accedi").click()
    operator.goto(f"{MORI}/operatori/sale/richieste/")
    operator.get_by_test_id("room-request").get_by_role("link", name="Apri").click()
    expect(operator.locator("main")).to_contain_text("Presentazione di un libro")
    operator.get_by_role("button", name="Approva").click()
    expect(operator.get_by_test_id("office-booking-state")).to_have_text("Approvata, in attesa di pagamento")

    # 3. The citizen pays the fee and the deposit in the sandbox.
    citizen.reload()
    expect(citizen.get_by_test_id("room-booking-state")).to_have_attribute("data-state", "approved")
    _pay_in_sandbox(citizen, re.compile("Paga online.*Tariffa"))
    expect(citizen.locator("[data-purpose='room:fee']")).to_have_attribute("data-status", "paid")
    expect(citizen.get_by_test_id("room-booking-state")).to_have_attribute("data-state", "approved")
    _pay_in_sandbox(citizen, re.compile("Paga online.*Cauzione"))
    # 4. Confirmed when paid.
    expect(citizen.get_by_test_id("room-booking-state")).to_have_attribute("data-state", "confirmed")
    booking.refresh_from_db()
    assert booking.state == State.CONFIRMED
    assert booking.fee_payment.status == booking.deposit_payment.status == Status.PAID
    citizen.goto(f"{MORI}/area-personale/spazi/")
    expect(citizen.get_by_test_id("my-room-booking")).to_contain_text("Confermata")

    # Another citizen sees the range as taken, with no personal data; no sideways scroll at 375 px.
    other = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800}).new_page()
    other.goto(f"{ROOM}?settimana={day.isoformat()}")
    week = other.locator("[data-element=room-week]")
    expect(week.locator(f"[data-day='{day.isoformat()}']")).to_contain_text("18:00–21:00 Occupato")
    html = other.content()
    for personal in ("Giulia", "Bianchi", "BNCGLI85M41L378W", "giulia.bianchi", "Presentazione di un libro"):
        assert personal not in html, personal
    assert other.evaluate("document.documentElement.scrollWidth") <= 375
    other.context.close()
