"""Rooms booked by time band or by day: the citizen chooses a band (or the day), never free times; the demo's
"Palestra comunale" exercises the band unit."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from sportello.rooms import services
from sportello.rooms.models import RoomBooking
from sportello.rooms.pricing import ROME

from .factories import RoomFactory, tariff
from .test_views import _citizen_login, _consent  # noqa: F401 (the autouse fixture applies here too)

MORI = "/comune-di-mori/it"
BANDS = [["07:00", "13:00"], ["13:00", "19:00"], ["19:00", "23:00"]]


def _day():
    day = timezone.localdate() + timedelta(days=10)
    while services.is_holiday(day):
        day += timedelta(days=1)
    return day


@pytest.fixture
def gym(mori):
    room = RoomFactory(
        municipality=mori,
        slug="palestra",
        unit="band",
        bands=BANDS,
        opens_at=time(7),
        closes_at=time(23),
        weekdays=[0, 1, 2, 3, 4, 5, 6],
        holidays_closed=False,
        min_units=1,
        max_units=2,
    )
    tariff(room, "resident", 3000)
    return room


def test_the_citizen_chooses_a_band_not_free_times_and_pays_per_band(client, gym, citizen):
    page = client.get(f"{MORI}/spazi/palestra/").content.decode()
    assert 'name="band"' in page and 'name="start"' not in page and 'name="end"' not in page
    for label in ("07:00–13:00", "13:00–19:00", "19:00–23:00", "07:00–19:00", "13:00–23:00"):
        assert f">{label}</option>" in page
    assert ">07:00–23:00</option>" not in page  # three bands: more than the maximum of two
    _citizen_login(client, citizen)
    day = _day()
    response = client.post(
        f"{MORI}/spazi/palestra/", {"day": day.isoformat(), "band": "13:00-23:00", "category": "resident"}
    )
    booking = RoomBooking.objects.get()
    assert response.status_code == 302 and str(booking.uid) in response["Location"]
    assert [(o.start, o.end) for o in booking.occupancies.all()] == [
        (datetime.combine(day, time(13), ROME), datetime.combine(day, time(23), ROME))
    ]
    assert services.quote_for(booking).fee_cents == 6000  # two bands at 30 €


def test_a_band_that_is_not_offered_is_refused_and_nothing_is_held(client, gym, citizen):
    _citizen_login(client, citizen)
    page = client.post(
        f"{MORI}/spazi/palestra/", {"day": _day().isoformat(), "band": "08:00-12:00", "category": "resident"}
    ).content.decode()
    assert "Scegli un&#x27;opzione valida" in page and not RoomBooking.objects.exists()


def test_a_room_booked_by_the_day_offers_the_whole_opening(client, mori, citizen):
    room = RoomFactory(municipality=mori, slug="teatro", unit="day", opens_at=time(9), closes_at=time(22))
    room.weekdays = [0, 1, 2, 3, 4, 5, 6]
    room.holidays_closed = False
    room.save()
    tariff(room, "resident", 20000)
    page = client.get(f"{MORI}/spazi/teatro/").content.decode()
    assert (
        "Orario (intera giornata)" in page and ">09:00–22:00</option>" in page and 'name="start"' not in page
    )
    _citizen_login(client, citizen)
    day = _day()
    client.post(
        f"{MORI}/spazi/teatro/", {"day": day.isoformat(), "band": "09:00-22:00", "category": "resident"}
    )
    [occupancy] = RoomBooking.objects.get().occupancies.all()
    assert (occupancy.start, occupancy.end) == (
        datetime.combine(day, time(9), ROME),
        datetime.combine(day, time(22), ROME),
    )


def test_the_demo_has_a_gym_booked_by_band_with_photos_in_both_municipalities(
    mori, trento, settings, tmp_path
):
    from sportello.demo.rooms import load_demo_rooms

    settings.MEDIA_ROOT = tmp_path
    for municipality, town in ((mori, "mori"), (trento, "trento")):
        load_demo_rooms(municipality, town=town)
        load_demo_rooms(municipality, town=town)  # idempotent
        gym = municipality.rooms.get(slug="palestra-comunale")
        assert gym.unit == "band" and gym.bands == BANDS[:2] + [["19:00", "23:00"]]
        assert gym.bookings.count() == 1
        for room in municipality.rooms.all():
            assert room.photos.exists() and all(p.alt_text for p in room.photos.all())
        assert municipality.rooms.get(slug="sala-consiliare").photos.count() == 2
