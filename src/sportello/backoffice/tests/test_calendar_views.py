from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from sportello.catalog.constants import Kind
from sportello.catalog.tests.factories import ServiceFactory
from sportello.scheduling import services as scheduling
from sportello.scheduling.models import Appointment, Calendar
from sportello.scheduling.selectors import calendar_slots
from sportello.scheduling.states import State
from sportello.scheduling.tests.factories import CalendarFactory, OpeningRuleFactory

BASE = "/comune-di-mori/it/operatori/calendari"
pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def calendar(mori):
    calendar = CalendarFactory(municipality=mori, title="Anagrafe centrale", moderated=True)
    OpeningRuleFactory(calendar=calendar, weekdays=list(range(7)), capacity=1)
    return calendar


def next_slot(calendar, index=0):
    today = timezone.localdate()
    return calendar_slots(calendar, date_from=today + timedelta(days=2), date_to=today + timedelta(days=9))[
        index
    ]


def test_admin_creates_a_calendar_with_coordinators_and_hours(client, mori_admin, mori_operator):
    client.force_login(mori_admin)
    response = client.post(
        f"{BASE}/nuovo/",
        {
            "title": "Ufficio Anagrafe",
            "owner": mori_admin.pk,
            "office_name": "Anagrafe",
            "address": "Via Roma 1",
            "contact_email": "anagrafe@example.org",
            "min_notice_hours": 24,
            "horizon_days": 60,
            "cancel_until_hours": 24,
            "hold_minutes": 15,
            "reminder_hours": 24,
            "patron_month": 6,
            "patron_day": 26,
            "coordinators": [mori_operator.pk],
        },
    )
    calendar = Calendar.objects.get()
    assert response["Location"] == f"{BASE}/{calendar.pk}/orari/"
    assert list(calendar.coordinators.all()) == [mori_operator] and calendar.policy().patron == (6, 26)
    rule = {
        "azione": "aggiungi-orario",
        "valid_from": "2026-01-01",
        "weekdays": ["0", "2"],
        "start": "09:00",
        "end": "12:00",
        "slot_minutes": 15,
        "pause_minutes": 0,
        "capacity": 2,
    }
    assert client.post(f"{BASE}/{calendar.pk}/orari/", rule).status_code == 302
    overlapping = client.post(f"{BASE}/{calendar.pk}/orari/", rule | {"start": "11:00", "end": "13:00"})
    assert "si sovrappone" in soup(overlapping).text and calendar.rules.count() == 1
    client.post(
        f"{BASE}/{calendar.pk}/orari/",
        {"azione": "aggiungi-chiusura", "start": "2026-08-10", "end": "2026-08-20", "reason": "Ferie"},
    )
    assert calendar.closures.get().reason == "Ferie"


def test_the_list_has_the_columns_and_search(client, mori_admin, calendar):
    client.force_login(mori_admin)
    page = soup(client.get(f"{BASE}/"))
    assert [th.text for th in page.select("thead th")] == ["Titolo", "Proprietario", "Moderazione", "Azioni"]
    assert "Anagrafe centrale" in page.text
    assert "Anagrafe centrale" not in soup(client.get(f"{BASE}/", {"q": "tributi"})).select_one("tbody").text


def test_coordinators_see_only_their_calendars_and_cannot_assign_coordinators(
    client, mori, mori_operator, calendar
):
    other = CalendarFactory(municipality=mori, title="Altro ufficio")
    calendar.coordinators.add(mori_operator)
    client.force_login(mori_operator)
    text = soup(client.get(f"{BASE}/")).text
    assert "Anagrafe centrale" in text and "Altro ufficio" not in text
    assert client.get(f"{BASE}/{other.pk}/").status_code == 404
    page = soup(client.get(f"{BASE}/{calendar.pk}/"))
    assert not page.select("[name=coordinators]") and not page.select("[name=owner]")
    assert client.get(f"{BASE}/nuovo/").status_code == 403


def test_agenda_approve_refuse_and_done(client, mori_admin, calendar, citizen):
    first = scheduling.appointment_hold(calendar=calendar, start=next_slot(calendar).start, citizen=citizen)
    first = scheduling.appointment_confirm(appointment=first, user=citizen)
    second = scheduling.appointment_hold(
        calendar=calendar, start=next_slot(calendar, 1).start, citizen=citizen
    )
    second = scheduling.appointment_confirm(appointment=second, user=citizen)
    client.force_login(mori_admin)
    day = first.start.astimezone(timezone.get_current_timezone()).date().isoformat()
    page = soup(client.get(f"{BASE}/{calendar.pk}/agenda/", {"giorno": day}))
    assert page.select_one("table caption") and citizen.last_name in page.text
    action = f"{BASE}/{calendar.pk}/agenda/azione"
    client.post(action, {"appuntamento": first.pk, "azione": "approve"})
    refused = client.post(
        action, {"appuntamento": second.pk, "azione": "refuse", "motivazione": ""}, follow=True
    )
    assert "Indica la motivazione" in refused.content.decode()
    client.post(action, {"appuntamento": second.pk, "azione": "refuse", "motivazione": "Documenti mancanti"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (State.APPROVED, State.REFUSED)
    assert client.post(action, {"appuntamento": first.pk, "azione": "hack"}).status_code == 400


def test_book_on_behalf_of_a_citizen(client, mori_admin, calendar):
    client.force_login(mori_admin)
    slot = next_slot(calendar)
    response = client.post(
        f"{BASE}/{calendar.pk}/prenota/",
        {
            "start": slot.start.isoformat(),
            "first_name": "Anna",
            "last_name": "Bianchi",
            "email": "",
            "reason": "Tel.",
        },
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.state == State.APPROVED and appointment.last_name == "Bianchi"
    again = client.post(
        f"{BASE}/{calendar.pk}/prenota/",
        {"start": slot.start.isoformat(), "first_name": "Luca", "last_name": "Neri"},
    )
    assert "non è più disponibile" in again.content.decode()


def test_private_feed_and_its_regeneration(client, mori_admin, calendar, citizen):
    appointment = scheduling.appointment_confirm(
        appointment=scheduling.appointment_hold(
            calendar=calendar, start=next_slot(calendar).start, citizen=citizen
        ),
        user=citizen,
    )
    feed = f"/api/v1/comune-di-mori/calendars/feed/{calendar.feed_secret}.ics"
    response = client.get(feed)
    assert response.status_code == 200 and f"UID:{appointment.uid}@sportello" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert (
        client.get(f"/api/v1/comune-di-trento/calendars/feed/{calendar.feed_secret}.ics").status_code == 404
    )
    client.force_login(mori_admin)
    client.post(f"{BASE}/{calendar.pk}/feed/rigenera")
    assert client.get(feed).status_code == 404


def test_service_editor_step_names_the_calendars(client, mori, mori_admin, calendar):
    service = ServiceFactory(municipality=mori, kind=Kind.APPOINTMENT)
    application_service = ServiceFactory(municipality=mori)
    client.force_login(mori_admin)
    url = f"/comune-di-mori/it/operatori/servizi/{service.pk}/calendari/"
    assert "Calendari" in soup(client.get(url)).select_one(".steppers").text
    client.post(url, {"calendari": [calendar.pk]})
    assert list(service.calendars.all()) == [calendar]
    assert (
        client.get(f"/comune-di-mori/it/operatori/servizi/{application_service.pk}/calendari/").status_code
        == 404
    )
