"""Rooms in the API: the public list, card and availability (no personal data), and the office's room bookings
with their actions, through ``rooms.services``, seen as the back office sees them."""

import json
from datetime import timedelta

import pytest

from sportello.accounts.models import Membership, Role
from sportello.accounts.tests.factories import UserFactory
from sportello.integrations.tests.factories import token_for
from sportello.rooms import services as rooms
from sportello.rooms.models import RoomBooking
from sportello.rooms.pricing import ROME
from sportello.rooms.tests.conftest import DETAILS
from sportello.rooms.tests.factories import RoomFactory, tariff

from .conftest import at, booking_day, requested

BASE = "/api/v1/comune-di-mori"


def test_public_rooms_show_capacity_unit_tariffs_and_rules(api, mori, mori_room, trento):
    RoomFactory(municipality=mori, name="Magazzino", published=False)
    RoomFactory(municipality=trento, name="Sala di Trento")
    listed = api(None).get(f"{BASE}/rooms")
    assert listed.status_code == 200 and listed["Cache-Control"] == "public, max-age=60"
    assert [r["name"] for r in listed.json()["results"]] == ["Sala consiliare"]
    detail = api(None).get(f"{BASE}/rooms/{mori_room.pk}").json()
    assert detail["capacity"] == 80 and detail["unit"] == "hour" and detail["moderated"] is True
    assert detail["equipment"] == ["Proiettore", "Impianto audio"]
    assert detail["rules"]["deposit_cents"] == 5000 and detail["rules"]["min_notice_days"] == 2
    assert detail["rules"]["weekdays"] == [0, 1, 2, 3, 4, 5]
    assert sorted((t["category"], t["rate_cents"], t["season"]) for t in detail["tariffs"]) == [
        ("local_association", 0, None),
        ("resident", 2000, None),
    ]
    hidden = RoomFactory(municipality=mori, name="Riservata", published=False)
    assert api(None).get(f"{BASE}/rooms/{hidden.pk}").status_code == 404
    assert api(None).get(f"/api/v1/comune-di-trento/rooms/{mori_room.pk}").status_code == 404


def test_room_availability_gives_taken_and_free_ranges_without_personal_data(
    api, mori_room, mori_booking, mori_admin
):
    day = mori_booking.first_start.astimezone(ROME).date()
    rooms.reserved_period_add(
        room=mori_room, start=at(day, 9), end=at(day, 12), reason="Consiglio comunale", user=mori_admin
    )
    response = api(None).get(
        f"{BASE}/rooms/{mori_room.pk}/availability",
        {"from": day.isoformat(), "to": (day + timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=30"
    first = response.json()["days"][0]
    assert first["date"] == day.isoformat() and first["open"] is True
    assert [(t["start"][11:16], t["end"][11:16], t["label"], t["reserved"]) for t in first["taken"]] == [
        ("09:00", "12:00", "Consiglio comunale", True),
        ("18:00", "21:00", "Occupato", False),
    ]
    assert [(f["start"][11:16], f["end"][11:16]) for f in first["free"]] == [
        ("08:00", "09:00"),
        ("12:00", "18:00"),
        ("21:00", "23:00"),
    ]
    assert response.json()["days"][1]["free"] == [
        {
            "start": at(day + timedelta(days=1), 8).isoformat(),
            "end": at(day + timedelta(days=1), 23).isoformat(),
        }
    ]
    text = response.content.decode()
    for personal in ("Rossi", "RSSMRA80A01H501U", "Assemblea", "cittadino", str(mori_booking.uid)):
        assert personal not in text


@pytest.mark.parametrize(
    "params, detail",
    [
        ({}, "nel formato AAAA-MM-GG"),
        ({"from": "2027-01-10", "to": "2027-01-09"}, "non può precedere"),
        ({"from": "2027-01-01", "to": "2027-06-01"}, "al massimo di 92 giorni"),
        ({"from": "2027-02-30", "to": "2027-03-01"}, "nel formato AAAA-MM-GG"),
        ({"from": "0001-01-01", "to": "0001-01-02"}, "tra il 1900 e il 2100"),
    ],
)
def test_room_availability_refuses_a_bad_period_with_a_problem(api, mori_room, params, detail):
    response = api(None).get(f"{BASE}/rooms/{mori_room.pk}/availability", params)
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert detail in response.json()["detail"]


def test_room_bookings_list_filters_by_room_state_and_dates_with_a_cursor(
    api, mori, mori_admin, mori_room, mori_booking, citizen
):
    other_room = RoomFactory(municipality=mori, name="Sala riunioni")
    tariff(other_room, "resident", 1000)
    day = booking_day(14)
    later = requested(other_room, citizen, day)
    rooms.room_booking_hold(  # a hold being filled in is no request yet
        room=mori_room, citizen=citizen, ranges=[(at(day, 9), at(day, 10))], category="resident"
    )
    token = api(token_for(mori, mori_admin))
    everything = token.get(f"{BASE}/room-bookings").json()
    assert [b["id"] for b in everything["results"]] == [mori_booking.pk, later.pk]
    assert everything["results"][0]["applicant_name"] and everything["results"][0]["state"] == "requested"
    assert [
        b["id"] for b in token.get(f"{BASE}/room-bookings", {"room": other_room.pk}).json()["results"]
    ] == [later.pk]
    assert token.get(f"{BASE}/room-bookings", {"state": "confirmed"}).json()["results"] == []
    assert [
        b["id"] for b in token.get(f"{BASE}/room-bookings", {"date_from": day.isoformat()}).json()["results"]
    ] == [later.pk]
    first_day = mori_booking.first_start.astimezone(ROME).date().isoformat()
    assert [
        b["id"]
        for b in token.get(f"{BASE}/room-bookings", {"date_from": first_day, "date_to": first_day}).json()[
            "results"
        ]
    ] == [mori_booking.pk]
    page = token.get(f"{BASE}/room-bookings", {"limit": 1}).json()
    assert [b["id"] for b in page["results"]] == [mori_booking.pk] and page["next"]
    assert [b["id"] for b in token.get(page["next"]).json()["results"]] == [later.pk]
    bad = token.get(f"{BASE}/room-bookings", {"state": "held"})
    assert bad.status_code == 400 and "state" in bad.json()["errors"]


def test_room_booking_detail_has_ranges_price_lines_payments_and_history(api, mori, mori_admin, mori_booking):
    token = api(token_for(mori, mori_admin))
    approved = token.post(f"{BASE}/room-bookings/{mori_booking.pk}/transitions", {"name": "approve"})
    assert approved.status_code == 201, approved.content
    detail = token.get(f"{BASE}/room-bookings/{mori_booking.pk}").json()
    assert detail == approved.json()
    assert detail["state"] == "approved" and detail["fee_cents"] == 6000 and detail["deposit_cents"] == 5000
    assert [(r["start"], r["end"], r["active"]) for r in detail["ranges"]] == [
        (
            mori_booking.first_start.astimezone(ROME).isoformat(),
            (mori_booking.first_start + timedelta(hours=3)).astimezone(ROME).isoformat(),
            True,
        )
    ]
    assert [line["kind"] for line in detail["price_lines"]] == ["fee", "deposit"]
    assert sum(line["amount_cents"] for line in detail["price_lines"]) == 11000
    assert [(p["kind"], p["amount_cents"]) for p in detail["payments"]] == [("fee", 6000), ("deposit", 5000)]
    assert all(len(p["notice_number"]) == 18 for p in detail["payments"])
    assert [e["transition"] for e in detail["events"]] == ["hold", "request", "approve"]
    assert detail["events"][-1]["actor"]["id"] == mori_admin.pk
    assert detail["declarations"] == DETAILS["declarations"]


def test_office_actions_go_through_the_rooms_services(
    api, mori, mori_admin, mori_room, mori_booking, citizen
):
    token = api(token_for(mori, mori_admin))
    url = f"{BASE}/room-bookings/{mori_booking.pk}/transitions"
    allowed = token.get(url).json()["items"]
    assert [(t["name"], t["motivation_required"]) for t in allowed] == [
        ("approve", False),
        ("refuse", True),
        ("cancel", False),
    ]
    no_motivation = token.post(url, {"name": "refuse"})
    assert no_motivation.status_code == 400 and "motivation" in no_motivation.json()["errors"]
    mori_booking.refresh_from_db()
    assert mori_booking.state == "requested" and mori_booking.events.count() == 2

    patronage = token.post(url, {"name": "approve", "patronage": True})
    assert patronage.status_code == 201
    body = patronage.json()
    assert body["patronage"] is True and body["fee_cents"] == 0 and body["state"] == "approved"
    assert [p["kind"] for p in body["payments"]] == ["deposit"]  # the deposit stays

    again = token.post(url, {"name": "approve"})
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    assert "non consente" in again.json()["detail"]

    cancelled = token.post(url, {"name": "cancel", "motivation": "Sala inagibile"})
    assert cancelled.status_code == 201 and cancelled.json()["state"] == "cancelled"
    assert cancelled.json()["payments"][0]["status"] == "cancelled"
    assert not any(r["active"] for r in cancelled.json()["ranges"])

    other = requested(mori_room, citizen, booking_day(21))
    refused = token.post(
        f"{BASE}/room-bookings/{other.pk}/transitions", {"name": "refuse", "motivation": "Sala già promessa"}
    )
    assert refused.status_code == 201 and refused.json()["state"] == "refused"
    assert refused.json()["motivation"] == "Sala già promessa"


def test_approving_a_request_on_a_date_closed_meanwhile_is_refused_and_changes_nothing(
    api, mori, mori_admin, mori_room, mori_booking
):
    """The approval re-checks the regulation inside its transaction, as the back office's button does."""
    from sportello.rooms.models import RoomClosure

    day = mori_booking.first_start.astimezone(ROME).date()
    RoomClosure.objects.create(room=mori_room, start=day, end=day, reason="Lavori")
    response = api(token_for(mori, mori_admin)).post(
        f"{BASE}/room-bookings/{mori_booking.pk}/transitions", {"name": "approve"}
    )
    assert response.status_code == 400 and "chiusa" in str(response.json()["errors"])
    mori_booking.refresh_from_db()
    assert mori_booking.state == "requested" and mori_booking.fee_payment is None


def test_a_room_coordinator_sees_only_their_rooms(
    api, client, mori, mori_admin, mori_room, mori_booking, citizen
):
    mine = RoomFactory(municipality=mori, name="Sala della biblioteca")
    tariff(mine, "resident", 1000)
    my_booking = requested(mine, citizen, booking_day(14))
    coordinator = UserFactory(username="coordinatrice")
    Membership.objects.create(user=coordinator, municipality=mori, role=Role.OPERATOR)
    mine.coordinators.add(coordinator)

    client.force_login(coordinator)  # the back-office session
    assert [b["id"] for b in client.get(f"{BASE}/room-bookings").json()["results"]] == [my_booking.pk]
    assert client.get(f"{BASE}/room-bookings/{mori_booking.pk}").status_code == 404
    # A token made by an administrator who is now only the coordinator of that room.
    token = api(token_for(mori, mori_admin))
    Membership.objects.filter(user=mori_admin, municipality=mori).update(role=Role.OPERATOR)
    mine.coordinators.add(mori_admin)
    assert [b["id"] for b in token.get(f"{BASE}/room-bookings").json()["results"]] == [my_booking.pk]
    refused = token.post(f"{BASE}/room-bookings/{mori_booking.pk}/transitions", {"name": "cancel"})
    assert refused.status_code == 404
    assert RoomBooking.objects.get(pk=mori_booking.pk).state == "requested"
    assert json.loads(token.get(f"{BASE}/room-bookings/{my_booking.pk}").content)["room"]["id"] == mine.pk
