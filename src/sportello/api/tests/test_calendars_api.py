"""Calendars (public) and appointments (staff and integrations) in the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sportello.integrations.tests.factories import token_for
from sportello.scheduling.models import Appointment, Reservation
from sportello.scheduling.selectors import calendar_slots

from .conftest import first_free_slot

BASE = "/api/v1/comune-di-mori"


def test_public_calendars_list_and_detail(client, mori_calendar, mori):
    from sportello.scheduling.tests.factories import CalendarFactory

    CalendarFactory(municipality=mori, title="Ufficio senza servizi pubblici")  # not listed
    rows = client.get(f"{BASE}/calendars").json()["results"]
    assert [(r["id"], r["services"]) for r in rows] == [(mori_calendar.pk, ["appuntamento-anagrafe"])]
    detail = client.get(f"{BASE}/calendars/{mori_calendar.pk}")
    assert detail.status_code == 200 and detail.json()["office"] == mori_calendar.office_name
    assert detail["Cache-Control"] == "public, max-age=60"
    mori_calendar.services.update(status="draft")
    assert client.get(f"{BASE}/calendars/{mori_calendar.pk}").status_code == 404
    assert client.get(f"{BASE}/calendars").json()["results"] == []


def test_availability_and_feed_are_in_the_schema(client, db):
    paths = client.get("/api/v1/schema/?format=json").json()["paths"]
    availability = paths["/{municipality_slug}/calendars/{calendar_id}/availability"]["get"]
    assert {p["name"] for p in availability["parameters"]} >= {"from", "to"}
    # The ICS feed's secret address is a credential in a URL, which the guidelines forbid: not in the schema.
    assert not [p for p in paths if "feed" in p]
    for path in ("/{municipality_slug}/appointments", "/{municipality_slug}/payments"):
        assert path in paths
    assert "post" in paths["/{municipality_slug}/appointments"]
    assert "post" in paths["/{municipality_slug}/applications/{application_id}/messages"]


def test_the_feed_is_icalendar_at_its_secret_address_only(client, mori_appointment, mori_calendar):
    response = client.get(f"{BASE}/calendars/feed/{mori_calendar.feed_secret}.ics", headers={"Accept": "*/*"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "private, no-store"
    assert b"BEGIN:VCALENDAR" in response.content and b"Rossi Maria" in response.content
    assert client.get(f"{BASE}/calendars/feed/{mori_calendar.feed_secret}x.ics").status_code == 404
    response = client.get(f"/api/v1/comune-di-trento/calendars/feed/{mori_calendar.feed_secret}.ics")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"


@pytest.fixture
def booker(api, mori, mori_admin):
    return api(token_for(mori, mori_admin, scopes=["calendars", "appointments:write"]))


def test_list_filters_and_detail(booker, mori_appointment, mori_calendar):
    rows = booker.get(f"{BASE}/appointments").json()["results"]
    assert [r["id"] for r in rows] == [mori_appointment.pk]
    assert rows[0]["state"] == "approved" and rows[0]["last_name"] == "Rossi"
    assert rows[0]["service"]["slug"] == "appuntamento-anagrafe"
    day = mori_appointment.start.astimezone(timezone.get_current_timezone()).date()
    assert (
        len(booker.get(f"{BASE}/appointments", {"start_from": day, "start_to": day}).json()["results"]) == 1
    )
    later = day + timedelta(days=1)
    assert booker.get(f"{BASE}/appointments", {"start_from": later}).json()["results"] == []
    assert booker.get(f"{BASE}/appointments", {"state": "cancelled"}).json()["results"] == []
    response = booker.get(f"{BASE}/appointments", {"state": "held", "start_from": "9999-12-31"})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"state", "start_from"}
    detail = booker.get(f"{BASE}/appointments/{mori_appointment.pk}").json()
    assert [e["transition"] for e in detail["events"]] == ["confirm"]


def test_holds_are_not_listed(booker, mori_calendar, citizen):
    from sportello.scheduling import services as scheduling

    held = scheduling.appointment_hold(calendar=mori_calendar, start=first_free_slot(mori_calendar).start)
    assert booker.get(f"{BASE}/appointments").json()["results"] == []
    assert booker.get(f"{BASE}/appointments/{held.pk}").status_code == 404


def test_booking_takes_a_place_and_the_full_slot_is_a_409(booker, mori_calendar):
    slot = first_free_slot(mori_calendar)
    body = {
        "calendar": mori_calendar.pk,
        "start": slot.start.isoformat(),
        "first_name": "Ada",
        "last_name": "Neri",
    }
    first = booker.post(f"{BASE}/appointments", body)
    assert first.status_code == 201, first.content
    assert first.json()["state"] == "approved" and first.json()["service"]["slug"] == "appuntamento-anagrafe"
    assert booker.post(f"{BASE}/appointments", body).status_code == 201  # capacity 2
    full = booker.post(f"{BASE}/appointments", body)
    assert full.status_code == 409 and full["Content-Type"] == "application/problem+json"
    assert full.json()["detail"].startswith("Questo orario non è più disponibile")
    assert Reservation.objects.filter(calendar=mori_calendar, start=slot.start).count() == 2
    assert Appointment.objects.filter(calendar=mori_calendar).count() == 2


@pytest.mark.parametrize(
    "change, field",
    [
        ({"last_name": ""}, "last_name"),
        ({"calendar": 999999}, "calendar"),
        ({"service": "non-esiste"}, "service"),
        ({"start": "domani"}, "start"),
        ({"email": "non-una-mail"}, "email"),
    ],
)
def test_bad_bookings_are_400_and_change_nothing(booker, mori_calendar, change, field):
    slot = first_free_slot(mori_calendar)
    body = {
        "calendar": mori_calendar.pk,
        "start": slot.start.isoformat(),
        "first_name": "Ada",
        "last_name": "Neri",
    }
    response = booker.post(f"{BASE}/appointments", {**body, **change})
    assert response.status_code == 400 and field in response.json()["errors"], response.content
    assert not Appointment.objects.exists() and not Reservation.objects.exists()


def test_a_time_that_is_not_a_published_slot_is_refused(booker, mori_calendar):
    slot = first_free_slot(mori_calendar)
    body = {"calendar": mori_calendar.pk, "first_name": "Ada", "last_name": "Neri"}
    for start in (slot.start + timedelta(minutes=7), timezone.now() - timedelta(days=1)):
        response = booker.post(f"{BASE}/appointments", {**body, "start": start.isoformat()})
        assert response.status_code == 409, start
    assert not Appointment.objects.exists()


def test_transitions_cancel_reschedule_done(booker, mori_appointment, mori_calendar):
    url = f"{BASE}/appointments/{mori_appointment.pk}/transitions"
    assert [t["name"] for t in booker.get(url).json()["items"]] == ["cancel", "reschedule", "done", "missed"]
    response = booker.post(url, {"name": "missed"})
    assert response.status_code == 409 and "non è ancora iniziato" in response.json()["detail"]
    assert booker.post(url, {"name": "reschedule"}).status_code == 400
    old = mori_appointment.start
    day = old.astimezone(timezone.get_current_timezone()).date() + timedelta(days=2)
    new = calendar_slots(mori_calendar, date_from=day, date_to=day + timedelta(days=5))[0].start
    moved = booker.post(url, {"name": "reschedule", "start": new.isoformat()})
    assert moved.status_code == 201, moved.content
    assert moved.json()["start"] == timezone.localtime(new).isoformat()
    assert list(Reservation.objects.filter(appointment=mori_appointment).values_list("start", flat=True)) == [
        new
    ]
    cancelled = booker.post(url, {"name": "cancel", "motivation": "Ufficio chiuso"})
    assert cancelled.status_code == 201 and cancelled.json()["state"] == "cancelled"
    assert not Reservation.objects.filter(appointment=mori_appointment).exists()
    assert booker.post(url, {"name": "done"}).status_code == 409


def test_coordinators_see_only_their_calendars(client, mori_operator, mori_appointment, mori_calendar):
    client.force_login(mori_operator)
    assert client.get(f"{BASE}/appointments").json()["results"] == []
    assert client.get(f"{BASE}/appointments/{mori_appointment.pk}").status_code == 404
    mori_calendar.coordinators.add(mori_operator)
    assert [r["id"] for r in client.get(f"{BASE}/appointments").json()["results"]] == [mori_appointment.pk]


def test_reading_needs_calendars_and_writing_appointments_write(api, mori, mori_admin, mori_appointment):
    reader = api(token_for(mori, mori_admin, scopes=["calendars"]))
    assert reader.get(f"{BASE}/appointments").status_code == 200
    response = reader.post(f"{BASE}/appointments/{mori_appointment.pk}/transitions", {"name": "cancel"})
    assert response.status_code == 403 and "appointments:write" in response.json()["detail"]
    mori_appointment.refresh_from_db()
    assert mori_appointment.state == "approved"
