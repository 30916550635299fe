"""Citizen pages and back office through the test client: the public calendar without personal data, the
request in three steps, cancel, ICS and the signed link; the office's approval, reserved periods, tariffs, CSV
exports and statistics, and who may see what."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from sportello.accounts.tests.factories import UserFactory
from sportello.identity.session import SESSION_KEY
from sportello.rooms import services
from sportello.rooms.models import RoomBooking, RoomOccupancy, RoomTariff
from sportello.rooms.pricing import ROME
from sportello.rooms.states import State
from sportello.rooms.tokens import manage_token

from .conftest import DETAILS

MORI = "/comune-di-mori/it"


@pytest.fixture(autouse=True)
def _consent(monkeypatch):
    monkeypatch.setattr("sportello.portal.middleware.privacy_consent_given", lambda **kwargs: True)


def _citizen_login(client, user):
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = {"level": "spid2", "idp": "demo", "at": "", "name_id": "x", "session_index": None}
    session.save()


def _day():
    day = timezone.localdate() + timedelta(days=10)
    while day.weekday() not in (1, 2) or services.is_holiday(day):
        day += timedelta(days=1)
    return day


def _at(day, hour):
    return datetime.combine(day, time(hour), ROME)


def _choose(client, room, day, start="18:00", end="21:00", **extra):
    return client.post(
        f"{MORI}/spazi/{room.slug}/",
        {"day": day.isoformat(), "start": start, "end": end, "category": "resident", **extra},
    )


def test_public_room_page_shows_tariffs_and_taken_times_without_personal_data(client, room, citizen):
    day = _day()
    booking = services.room_booking_hold(
        room=room, citizen=citizen, ranges=[(_at(day, 18), _at(day, 20))], category="resident"
    )
    booking.purpose = "Festa privata di Mario"
    booking.save()
    response = client.get(f"{MORI}/spazi/{room.slug}/?settimana={day.isoformat()}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "18:00–20:00 Occupato" in html
    assert "20,00 €" in html  # resident tariff
    for personal in (citizen.username, citizen.fiscal_code, "Festa privata", citizen.last_name):
        assert personal not in html


def test_anonymous_choice_goes_to_spid_login(client, room):
    response = _choose(client, room, _day())
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not RoomBooking.objects.exists()


def test_citizen_requests_in_three_steps_then_cancels_and_downloads_ics(client, room, citizen):
    _citizen_login(client, citizen)
    day = _day()
    response = _choose(client, room, day)
    booking = RoomBooking.objects.get()
    assert response["Location"] == f"{MORI}/spazi/prenotazioni/{booking.uid}/dettagli/"
    response = client.post(
        response["Location"],
        {**{k: v for k, v in DETAILS.items() if k != "equipment"}, "equipment": ["Proiettore"]},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    summary = client.get(response["Location"]).content.decode()
    assert "3 ore × 20,00 €" in summary and "50,00 €" in summary  # deposit
    response = client.post(f"{MORI}/spazi/prenotazioni/{booking.uid}/riepilogo/")
    booking.refresh_from_db()
    assert booking.state == State.REQUESTED
    page = client.get(f"{MORI}/spazi/prenotazioni/{booking.uid}/").content.decode()
    assert "Richiesta inviata" in page
    ics = client.get(f"{MORI}/spazi/prenotazioni/{booking.uid}/prenotazione.ics")
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content
    assert "Sala consiliare" in client.get(f"{MORI}/area-personale/spazi/").content.decode()
    client.post(f"{MORI}/spazi/prenotazioni/{booking.uid}/annulla")
    booking.refresh_from_db()
    assert booking.state == State.CANCELLED
    assert not RoomOccupancy.objects.filter(active=True).exists()


def test_recurring_choice_names_the_clashing_dates_and_books_nothing(client, room, citizen, mori_admin):
    _citizen_login(client, citizen)
    day = _day()
    clash = day + timedelta(weeks=2)
    services.reserved_period_add(
        room=room,
        start=_at(clash, 20),
        end=_at(clash, 22),
        reason="Consiglio comunale",
        user=mori_admin,
    )
    response = _choose(client, room, day, repeat_until=(day + timedelta(weeks=4)).isoformat())
    html = response.content.decode()
    assert response.status_code == 200
    assert clash.strftime("%d/%m/%Y") in html and "Non è stato prenotato nulla" in html
    assert not RoomBooking.objects.exists()


def test_another_citizen_cannot_open_a_booking_and_the_signed_link_cancels(client, room, citizen):
    day = _day()
    _citizen_login(client, citizen)
    _choose(client, room, day)
    booking = RoomBooking.objects.get()
    _citizen_login(client, UserFactory(fiscal_code="VRDLCU90C15F728X"))
    assert client.get(f"{MORI}/spazi/prenotazioni/{booking.uid}/").status_code == 404
    client.logout()
    token = manage_token(booking)
    assert client.post(f"{MORI}/spazi/gestisci/{token}/").status_code == 200
    booking.refresh_from_db()
    assert booking.state == State.CANCELLED
    assert client.get(f"{MORI}/spazi/gestisci/{token}/").status_code == 410  # the booking changed


def _submitted(room, citizen):
    day = _day()
    start = _at(day, 18)
    booking = services.room_booking_hold(
        room=room, citizen=citizen, ranges=[(start, start + timedelta(hours=3))], category="resident"
    )
    services.room_booking_details_save(booking=booking, citizen=citizen, values=DETAILS)
    return services.room_booking_submit(booking=booking, citizen=citizen)


def test_coordinator_approves_with_payments_others_do_not_see_the_room(
    client, room, citizen, mori, mori_operator, mori_payments
):
    booking = _submitted(room, citizen)
    client.force_login(mori_operator)
    assert (
        client.get(f"{MORI}/operatori/sale/prenotazioni/{booking.pk}/").status_code == 404
    )  # not coordinator
    room.coordinators.add(mori_operator)
    assert "Assemblea dei soci" in client.get(f"{MORI}/operatori/sale/richieste/").content.decode()
    client.post(f"{MORI}/operatori/sale/prenotazioni/{booking.pk}/azione", {"action": "approve"})
    booking.refresh_from_db()
    assert booking.state == State.APPROVED and booking.fee_payment.amount_cents == 6000
    _citizen_login(client, citizen)
    page = client.get(f"{MORI}/spazi/prenotazioni/{booking.uid}/").content.decode()
    assert page.count("Paga online") == 2, page
    client.force_login(mori_operator)
    assert client.get(f"{MORI}/operatori/sale/nuova/").status_code == 403  # rooms CRUD: administrators


def test_refuse_requires_motivation_in_the_office(client, room, citizen, mori_admin):
    booking = _submitted(room, citizen)
    client.force_login(mori_admin)
    client.post(
        f"{MORI}/operatori/sale/prenotazioni/{booking.pk}/azione", {"action": "refuse", "motivation": ""}
    )
    booking.refresh_from_db()
    assert booking.state == State.REQUESTED
    client.post(
        f"{MORI}/operatori/sale/prenotazioni/{booking.pk}/azione",
        {"action": "refuse", "motivation": "Sala occupata"},
    )
    booking.refresh_from_db()
    assert booking.state == State.REFUSED


def test_admin_creates_room_sets_tariffs_reserves_exports_and_sees_stats(
    client, mori, mori_admin, trento_admin
):
    client.force_login(mori_admin)
    response = client.post(
        f"{MORI}/operatori/sale/nuova/",
        {
            "name": "Auditorium",
            "slug": "auditorium",
            "place": "Centro",
            "address": "Via Roma 2",
            "capacity": 200,
            "published": "on",
            "weekdays": ["0", "1", "2", "3", "4"],
            "opens_at": "09:00",
            "closes_at": "23:00",
            "holidays_closed": "on",
            "unit": "half_day",
            "min_units": 1,
            "max_units": 3,
            "min_notice_days": 5,
            "max_notice_days": 120,
            "moderated": "on",
            "hold_minutes": 30,
            "payment_grace_hours": 48,
            "reminder_hours": 24,
            "full_refund_days": 3,
            "late_refund_percent": 50,
            "weekend_surcharge_percent": 10,
            "minimum_charge_cents": 0,
            "deposit_cents": 20000,
            "fee_capitolo": "3100",
            "fee_taxonomy_code": "9/0110100TS/",
            "deposit_capitolo": "6200",
            "deposit_taxonomy_code": "9/0114104AP/",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    room = mori.rooms.get(slug="auditorium")
    client.post(
        f"{MORI}/operatori/sale/{room.pk}/tariffe/",
        {"action": "rates", "rate-resident-base": "80", "rate-company-base": "150,50"},
    )
    assert dict(RoomTariff.objects.filter(room=room).values_list("category", "rate_cents")) == {
        "resident": 8000,
        "company": 15050,
    }
    day = _day()
    client.post(
        f"{MORI}/operatori/sale/{room.pk}/calendario/",
        {"day": day.isoformat(), "start": "20:00", "end": "23:00", "reason": "Consiglio comunale"},
    )
    assert RoomOccupancy.objects.filter(room=room, booking=None, reason="Consiglio comunale").exists()
    calendar = client.get(f"{MORI}/operatori/sale/{room.pk}/calendario/?settimana={day.isoformat()}")
    assert "Consiglio comunale" in calendar.content.decode()
    export = client.get(f"{MORI}/operatori/sale/export.csv?dal={day.isoformat()}&al={day.isoformat()}")
    assert (
        "Auditorium;" in export.content.decode("utf-8-sig")
        and "Consiglio comunale" in export.content.decode()
    )
    stats = client.get(f"{MORI}/operatori/sale/statistiche/?dal={day.isoformat()}&al={day.isoformat()}")
    assert "3,0 ore di uso del Comune" in stats.content.decode()
    client.force_login(trento_admin)
    assert client.get(f"{MORI}/operatori/sale/{room.pk}/tariffe/").status_code == 403
