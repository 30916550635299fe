"""The citizen's booking steps through the test client (no JavaScript involved)."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone

from sportello.accounts.tests.factories import UserFactory
from sportello.catalog.constants import AccessLevel, Kind
from sportello.catalog.services import service_form_save
from sportello.catalog.tests.factories import SIMPLE_DEFINITION, ServiceFactory
from sportello.scheduling import services as scheduling
from sportello.scheduling.availability import ROME
from sportello.scheduling.models import Appointment, Reservation
from sportello.scheduling.selectors import calendar_slots
from sportello.scheduling.states import State
from sportello.scheduling.tests.factories import CalendarFactory, OpeningRuleFactory
from sportello.scheduling.tokens import manage_token

BASE = "/comune-di-mori/it"
pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def office(mori):
    calendar = CalendarFactory(municipality=mori, what_to_bring="Documento d'identità e fototessera")
    OpeningRuleFactory(calendar=calendar, weekdays=list(range(7)), capacity=1, start="08:00", end="18:00")
    calendar.patron_month = None
    return calendar


@pytest.fixture
def service(mori, office):
    service = ServiceFactory(
        municipality=mori, slug="cie", kind=Kind.APPOINTMENT, access_level=AccessLevel.SPID2
    )
    office.services.add(service)
    return service


@pytest.fixture
def spid_citizen(client, mori, settings):
    from sportello.accounts.services import privacy_consent_give

    citizen = UserFactory(fiscal_code="RSSMRA85T10A562S", first_name="Mario", last_name="Rossi")
    privacy_consent_give(user=citizen, municipality=mori, version=settings.PRIVACY_TERMS_VERSION)
    client.force_login(citizen)
    session = client.session
    session["citizen_auth"] = {"level": "spid2", "idp": "demo"}
    session.save()
    return citizen


def later_slot(calendar, days=3, index=0):
    today = timezone.localdate()
    return calendar_slots(
        calendar, date_from=today + timedelta(days=days), date_to=today + timedelta(days=days + 7)
    )[index]


def test_booking_steps_for_a_spid_citizen_end_with_an_approved_appointment(
    client, service, office, spid_citizen
):
    response = client.get(f"{BASE}/servizi/cie/accedi/")
    assert response["Location"] == f"{BASE}/prenota-appuntamento/cie/"
    page = soup(client.get(response["Location"]))
    assert office.address in page.text and page.select("[aria-current=step]")[0].text.strip().startswith("1")
    response = client.get(f"{BASE}/prenota-appuntamento/cie/", {"calendario": office.pk})
    time_url = response["Location"]
    slot = later_slot(office)
    page = soup(client.get(time_url, {"giorno": slot.start.date().isoformat()}))
    assert page.select_one("table caption")
    radios = [r["value"] for r in page.select("input[name=start]")]
    assert slot.start.isoformat() in radios
    response = client.post(time_url, {"start": slot.start.isoformat()})
    appointment = Appointment.objects.get()
    assert appointment.state == State.HELD and response["Location"].endswith(
        f"/appuntamenti/{appointment.uid}/dettagli/"
    )
    page = soup(client.get(response["Location"]))
    assert "riservato per te fino alle" in page.text
    response = client.post(response["Location"], {"reason": "Primo rilascio", "details": ""})
    assert response["Location"].endswith("/richiedente/")
    page = soup(client.get(response["Location"]))
    assert "RSSMRA85T10A562S" in page.text and not page.select(
        "input[name=first_name]"
    )  # read-only from SPID
    response = client.post(response["Location"])
    summary_url = response["Location"]
    assert summary_url.endswith("/riepilogo/")
    assert soup(client.post(summary_url, {})).select_one("#form-errors a[href='#id_privacy']")
    assert Appointment.objects.get().state == State.HELD  # privacy not accepted: nothing confirmed
    response = client.post(summary_url, {"privacy": "on"})
    page = soup(client.get(response["Location"]))
    assert page.h1.text.strip() == "Appuntamento confermato"
    assert "fototessera" in page.text
    appointment.refresh_from_db()
    assert appointment.state == State.APPROVED and appointment.reason == "Primo rilascio"
    ics = client.get(f"{BASE}/appuntamenti/{appointment.uid}/appuntamento.ics")
    body = ics.content.decode()
    assert ics["Content-Type"].startswith("text/calendar")
    assert f"UID:{appointment.uid}@sportello" in body and "SEQUENCE:" in body
    listing = soup(client.get(f"{BASE}/appuntamenti/"))
    assert listing.find("a", href=f"{BASE}/appuntamenti/{appointment.uid}/")


def test_moderated_calendar_confirmation_says_request_sent(client, service, office, spid_citizen):
    office.moderated = True
    office.save()
    slot = later_slot(office)
    appointment = scheduling.appointment_hold(
        calendar=office, start=slot.start, service=service, citizen=spid_citizen
    )
    client.post(f"{BASE}/appuntamenti/{appointment.uid}/riepilogo/", {"privacy": "on"})
    page = soup(client.get(f"{BASE}/appuntamenti/{appointment.uid}/"))
    assert page.h1.text.strip() == "Richiesta inviata"
    assert "Appuntamento confermato" not in page.text


def test_a_slot_taken_meanwhile_shows_the_message_and_the_free_times_again(
    client, service, office, spid_citizen
):
    slot = later_slot(office)
    scheduling.appointment_hold(calendar=office, start=slot.start, service=service, citizen=UserFactory())
    response = client.post(f"{BASE}/prenota-appuntamento/cie/{office.pk}/", {"start": slot.start.isoformat()})
    page = soup(response)
    assert response.status_code == 200
    assert "Questo orario non è più disponibile" in page.text
    radios = [r["value"] for r in page.select("input[name=start]")]
    assert radios and slot.start.isoformat() not in radios
    assert Appointment.objects.count() == 1


def test_a_tampered_start_is_refused(client, service, office, spid_citizen):
    slot = later_slot(office)
    for value in [
        (slot.start + timedelta(minutes=7)).isoformat(),
        "2020-01-01T09:00:00+01:00",
        "nonsense",
        "",
    ]:
        response = client.post(f"{BASE}/prenota-appuntamento/cie/{office.pk}/", {"start": value})
        assert "Questo orario non è più disponibile" in soup(response).text, value
    assert not Reservation.objects.exists()


def test_an_expired_hold_sends_the_citizen_back_to_the_times(client, service, office, spid_citizen):
    slot = later_slot(office)
    appointment = scheduling.appointment_hold(
        calendar=office, start=slot.start, service=service, citizen=spid_citizen
    )
    Appointment.objects.filter(pk=appointment.pk).update(hold_until=timezone.now() - timedelta(seconds=1))
    response = client.get(f"{BASE}/appuntamenti/{appointment.uid}/riepilogo/")
    assert response["Location"] == f"{BASE}/prenota-appuntamento/cie/{office.pk}/"


def test_another_citizen_cannot_see_or_continue_an_appointment(client, service, office, spid_citizen):
    other = UserFactory()
    appointment = scheduling.appointment_hold(
        calendar=office, start=later_slot(office).start, service=service, citizen=other
    )
    for suffix in ("", "dettagli/", "riepilogo/", "appuntamento.ics"):
        assert client.get(f"{BASE}/appuntamenti/{appointment.uid}/{suffix}").status_code == 404


def test_the_service_form_is_the_details_step_and_is_submitted_with_the_booking(
    client, service, office, spid_citizen
):
    service_form_save(service=service, definition=SIMPLE_DEFINITION)
    service.refresh_from_db()
    slot = later_slot(office)
    client.post(f"{BASE}/prenota-appuntamento/cie/{office.pk}/", {"start": slot.start.isoformat()})
    appointment = Appointment.objects.get()
    details = f"{BASE}/appuntamenti/{appointment.uid}/dettagli/"
    assert soup(client.get(details)).select_one("#id_nome")["value"] == "Mario"
    assert client.post(details, {"nome": ""}).status_code == 200  # server-side validation
    client.post(details, {"nome": "Mario", "note": "Rinnovo"})
    client.post(f"{BASE}/appuntamenti/{appointment.uid}/riepilogo/", {"privacy": "on"})
    appointment.refresh_from_db()
    assert appointment.state == State.APPROVED
    assert appointment.application.state == "registered" and appointment.application.data["note"] == "Rinnovo"


def test_booking_without_spid_asks_name_surname_email(client, mori, office):
    service = ServiceFactory(
        municipality=mori, slug="libero", kind=Kind.APPOINTMENT, access_level=AccessLevel.ANONYMOUS
    )
    office.services.add(service)
    slot = later_slot(office)
    client.post(f"{BASE}/prenota-appuntamento/libero/{office.pk}/", {"start": slot.start.isoformat()})
    appointment = Appointment.objects.get()
    assert appointment.citizen is None
    client.post(f"{BASE}/appuntamenti/{appointment.uid}/dettagli/", {"reason": "Certificato"})
    response = client.post(f"{BASE}/appuntamenti/{appointment.uid}/richiedente/", {"first_name": "Anna"})
    assert soup(response).select_one("#form-errors")
    client.post(
        f"{BASE}/appuntamenti/{appointment.uid}/richiedente/",
        {"first_name": "Anna", "last_name": "Verdi", "email": "anna@example.org"},
    )
    client.post(f"{BASE}/appuntamenti/{appointment.uid}/riepilogo/", {"privacy": "on"})
    appointment.refresh_from_db()
    assert appointment.state == State.APPROVED and appointment.email == "anna@example.org"
    client.cookies.clear()  # another browser
    assert client.get(f"{BASE}/appuntamenti/{appointment.uid}/").status_code == 404


def test_signed_link_cancels_or_moves_until_the_deadline_and_dies_when_the_appointment_changes(
    client, service, office, spid_citizen, django_capture_on_commit_callbacks
):
    slot, other = later_slot(office), later_slot(office, index=1)
    appointment = scheduling.appointment_hold(
        calendar=office, start=slot.start, service=service, citizen=spid_citizen
    )
    appointment = scheduling.appointment_confirm(appointment=appointment, user=spid_citizen)
    client.logout()
    token = manage_token(appointment)
    url = f"{BASE}/appuntamenti/gestisci/{token}/"
    assert client.get(url).status_code == 200
    assert client.get(f"{BASE}/appuntamenti/gestisci/{token[:-2]}xx/").status_code == 410  # tampered
    response = client.post(url, {"start": other.start.isoformat()})
    appointment.refresh_from_db()
    assert appointment.start == other.start and appointment.sequence == 2
    assert client.get(url).status_code == 410  # the appointment changed: the old link is dead
    fresh = response["Location"]
    client.post(fresh, {"action": "cancel"})
    appointment.refresh_from_db()
    assert appointment.state == State.CANCELLED
    assert client.get(fresh).status_code == 410


def test_signed_link_stops_after_the_cancellation_deadline(client, service, office, spid_citizen):
    slot = later_slot(office)
    appointment = scheduling.appointment_hold(
        calendar=office, start=slot.start, service=service, citizen=spid_citizen
    )
    appointment = scheduling.appointment_confirm(appointment=appointment, user=spid_citizen)
    office.cancel_until_hours = 24 * 30
    office.save()
    assert client.get(f"{BASE}/appuntamenti/gestisci/{manage_token(appointment)}/").status_code == 410


def test_confirmation_e_mail_carries_the_ics(client, service, office, spid_citizen, run_tasks):
    slot = later_slot(office)
    appointment = scheduling.appointment_hold(
        calendar=office, start=slot.start, service=service, citizen=spid_citizen
    )
    appointment = scheduling.appointment_confirm(appointment=appointment, user=spid_citizen)
    mail.outbox.clear()
    run_tasks()
    message = next(m for m in mail.outbox if "Appuntamento confermato" in m.subject)
    name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar" and f"UID:{appointment.uid}@sportello" in content
    link = next(line for line in message.body.splitlines() if "/appuntamenti/gestisci/" in line)
    assert client.get(urlsplit(link.strip()).path).status_code == 200  # the signed manage link works


def test_waiting_list_join_and_the_one_click_move_page(client, service, office, spid_citizen):
    from sportello.scheduling.tokens import offer_token

    early, late = later_slot(office), later_slot(office, index=3)
    other = UserFactory()
    leaving = scheduling.appointment_confirm(
        appointment=scheduling.appointment_hold(
            calendar=office, start=early.start, service=service, citizen=other
        ),
        user=other,
    )
    mine = scheduling.appointment_confirm(
        appointment=scheduling.appointment_hold(
            calendar=office, start=late.start, service=service, citizen=spid_citizen
        ),
        user=spid_citizen,
    )
    client.post(f"{BASE}/appuntamenti/{mine.uid}/lista-attesa", {"azione": "entra"})
    assert "Sei in lista d'attesa" in soup(client.get(f"{BASE}/appuntamenti/{mine.uid}/")).text
    scheduling.appointment_cancel(appointment=leaving, user=other)
    entry = scheduling.waiting_offer_make(calendar=office, start=early.start)
    url = f"{BASE}/appuntamenti/posto-libero/{offer_token(entry)}/"
    assert "Si è liberato un posto" in soup(client.get(url)).text
    assert client.get(f"{BASE}/appuntamenti/posto-libero/x{offer_token(entry)}/").status_code == 410
    client.post(url)
    mine.refresh_from_db()
    assert mine.start == early.start
    assert client.get(url).status_code == 410  # used: the entry is gone


@pytest.fixture
def paid_service(mori, office):
    """The CIE as in the demo: the reason form, then the 22,21 € fee paid before the appointment is confirmed."""
    from sportello.payments.tests.factories import cie_service, payment_settings

    payment_settings(mori)
    service = cie_service(mori)
    service.slug, service.kind = "cie-pagata", Kind.APPOINTMENT
    service.save()
    office.services.add(service)
    return service


def _book_to_payment(client, office, citizen):
    slot = later_slot(office)
    client.post(f"{BASE}/prenota-appuntamento/cie-pagata/{office.pk}/", {"start": slot.start.isoformat()})
    appointment = Appointment.objects.get()
    client.post(f"{BASE}/appuntamenti/{appointment.uid}/dettagli/", {"motivo": "primo_rilascio"})
    summary = f"{BASE}/appuntamenti/{appointment.uid}/riepilogo/"
    page = soup(client.get(summary))
    assert "22,21 euro" in page.text
    assert page.find("button", string="Conferma e vai al pagamento")
    response = client.post(summary, {"privacy": "on"})
    appointment.refresh_from_db()
    return appointment, response


def test_a_paid_booking_goes_to_payment_and_is_confirmed_once_paid(
    client, paid_service, office, spid_citizen
):
    from sportello.payments.models import Payment

    appointment, response = _book_to_payment(client, office, spid_citizen)
    application = appointment.application
    choose = f"{BASE}/pratiche/{application.pk}/pagamento/"
    assert response["Location"] == choose
    assert appointment.state == State.HELD  # not confirmed before the payment
    page = soup(client.get(choose))
    box = page.select_one("[data-testid=payment-appointment]")
    assert box["data-state"] == "held" and "Appuntamento in attesa del pagamento" in box.text
    assert "Paga online" in page.text and "Paga più tardi" in page.text
    # the steps and the appointment page lead to the payment while it is pending
    for url in (
        f"{BASE}/appuntamenti/{appointment.uid}/",
        f"{BASE}/appuntamenti/{appointment.uid}/riepilogo/",
    ):
        assert client.get(url)["Location"] == choose
    listing = soup(client.get(f"{BASE}/appuntamenti/"))
    assert "In attesa di pagamento" in listing.select("table")[0].text
    checkout = client.post(f"{BASE}/pratiche/{application.pk}/pagamento/online")["Location"]
    back = client.post(checkout, {"outcome": "paid"})["Location"]
    page = soup(client.get(back))
    box = page.select_one("[data-testid=payment-appointment]")
    assert box["data-state"] == "approved" and "Appuntamento confermato" in box.text
    assert box.find("a", href=f"{BASE}/appuntamenti/{appointment.uid}/")
    assert (
        soup(client.get(f"{BASE}/appuntamenti/{appointment.uid}/")).h1.text.strip()
        == "Appuntamento confermato"
    )
    assert Payment.objects.get().status == "paid"


def test_a_failed_payment_frees_the_place_and_offers_a_new_booking_not_a_retry(
    client, paid_service, office, spid_citizen
):
    from sportello.payments.models import Payment

    appointment, _response = _book_to_payment(client, office, spid_citizen)
    application = appointment.application
    checkout = client.post(f"{BASE}/pratiche/{application.pk}/pagamento/online")["Location"]
    page = soup(client.get(client.post(checkout, {"outcome": "failed"})["Location"]))
    assert "Pagamento non riuscito" in page.text
    box = page.select_one("[data-testid=payment-appointment]")
    assert box["data-state"] == "cancelled" and box.find("a", href=f"{BASE}/prenota-appuntamento/cie-pagata/")
    assert not page.find("button", string="Riprova il pagamento")
    appointment.refresh_from_db()
    assert appointment.state == State.CANCELLED and not Reservation.objects.exists()
    client.post(f"{BASE}/pratiche/{application.pk}/pagamento/riprova")
    assert Payment.objects.count() == 1  # no new payment for a place that is gone


def test_the_move_page_offers_the_whole_booking_horizon(client, service, office, spid_citizen):
    """Not only the next 14 days: every day with free places up to the calendar's horizon, a day's times at a time."""
    office.horizon_days = 60
    office.save()
    slot = later_slot(office)
    appointment = scheduling.appointment_hold(
        calendar=office, start=slot.start, service=service, citizen=spid_citizen
    )
    appointment = scheduling.appointment_confirm(appointment=appointment, user=spid_citizen)
    url = f"{BASE}/appuntamenti/gestisci/{manage_token(appointment)}/"
    page = soup(client.get(url))
    days = [a["href"].split("=")[1] for a in page.select(".sportello-free-days a")]
    today = timezone.localdate()
    assert days[-1] >= (today + timedelta(days=55)).isoformat()  # beyond two weeks, to the horizon
    assert days[-1] <= (today + timedelta(days=60)).isoformat()
    far = (today + timedelta(days=50)).isoformat()
    assert far in days
    page = soup(client.get(url, {"giorno": far}))
    times = [radio["value"] for radio in page.select("input[name=start]")]
    assert times and all(t.startswith(far) for t in times)
    client.post(url, {"start": times[0]})
    appointment.refresh_from_db()
    assert appointment.start.astimezone(ROME).date().isoformat() == far


def test_the_booking_confirmation_has_the_rating_component(client, service, office, spid_citizen):
    from sportello.catalog.models import Rating

    slot = later_slot(office)
    appointment = scheduling.appointment_hold(
        calendar=office, start=slot.start, service=service, citizen=spid_citizen
    )
    scheduling.appointment_confirm(appointment=appointment, user=spid_citizen)
    detail = f"{BASE}/appuntamenti/{appointment.uid}/"
    page = soup(client.get(detail))
    widget = page.select_one("[data-element=feedback]")
    assert widget is not None and widget.select_one("input[name=page]")["value"] == "booking"
    assert widget.select_one("input[name=service]")["value"] == "cie"
    response = client.post(
        f"{BASE}/valutazione",
        {"page": "booking", "service": "cie", "stars": "5", "next": detail, "skip": "1"},
    )
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.page, rating.service, rating.stars) == ("booking", service, 5)
