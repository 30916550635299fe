"""Rooms booked by time band or by day: the citizen chooses a band (or the day), never free times; the demo's
"Palestra comunale" exercises the band unit."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
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
        assert gym.unit == "band" and gym.bands == BANDS[:2] + [["19:00", "01:00"]]
        assert gym.bookings.count() == 1
        for room in municipality.rooms.all():
            assert room.photos.exists() and all(p.alt_text for p in room.photos.all())
        assert municipality.rooms.get(slug="sala-consiliare").photos.count() == 2


def _before_a_dst_night():
    """The next day (two or more days on) whose night changes the clocks (the last Saturday of March or October)."""
    day = timezone.localdate() + timedelta(days=2)
    while (
        datetime.combine(day, time(12), ROME).utcoffset()
        == datetime.combine(day + timedelta(days=1), time(12), ROME).utcoffset()
    ):
        day += timedelta(days=1)
    return day


@pytest.fixture
def night_gym(gym):
    gym.bands, gym.closes_at, gym.max_notice_days = [*BANDS[:2], ["19:00", "01:00"]], time(1), 365
    services.room_save(room=gym)
    return gym


def test_the_citizen_books_the_band_19_to_01_which_ends_the_next_morning_across_a_dst_night(
    client, night_gym, citizen
):
    page = client.get(f"{MORI}/spazi/palestra/").content.decode()
    for label in ("19:00–01:00", "13:00–01:00", "07:00–19:00"):
        assert f">{label}</option>" in page
    _citizen_login(client, citizen)
    day = _before_a_dst_night()
    response = client.post(
        f"{MORI}/spazi/palestra/",
        {
            "day": day.isoformat(),
            "band": "19:00-01:00",
            "category": "resident",
            "repeat_until": (day + timedelta(days=7)).isoformat(),
        },
    )
    booking = RoomBooking.objects.get()
    assert response.status_code == 302
    ranges = [(o.start, o.end) for o in booking.occupancies.order_by("start")]
    assert ranges == [
        (datetime.combine(d, time(19), ROME), datetime.combine(d + timedelta(days=1), time(1), ROME))
        for d in (day, day + timedelta(days=7))
    ]
    assert [int((e - s).total_seconds()) // 3600 for s, e in ranges] == [6, 6]  # real hours, either side
    assert (
        ranges[0][0].astimezone(ROME).utcoffset() != ranges[1][0].astimezone(ROME).utcoffset()
    )  # the change
    assert services.quote_for(booking).fee_cents == 6000  # one band on each date at 30 €
    week = client.get(f"{MORI}/spazi/palestra/?settimana={day.isoformat()}").content.decode()
    assert "19:00–01:00" in week


def test_a_range_past_the_overnight_closing_or_the_small_hours_alone_are_refused(client, night_gym, citizen):
    _citizen_login(client, citizen)
    page = client.post(
        f"{MORI}/spazi/palestra/", {"day": _day().isoformat(), "band": "19:00-02:00", "category": "resident"}
    ).content.decode()
    assert "Scegli un&#x27;opzione valida" in page
    day = _day()
    with pytest.raises(ValidationError, match="La sala è prenotabile dalle 07:00 alle 01:00."):
        services.room_booking_hold(
            room=night_gym,
            citizen=citizen,
            ranges=[(datetime.combine(day, time(0), ROME), datetime.combine(day, time(1), ROME))],
            category="resident",
        )
    assert not RoomBooking.objects.exists()


def test_opening_and_closing_at_the_same_time_is_refused_earlier_closing_means_after_midnight(mori):
    room = RoomFactory(municipality=mori, opens_at=time(19), closes_at=time(1))
    services.room_save(room=room)
    room.closes_at = time(19)
    with pytest.raises(ValidationError, match="diverso da quello di apertura"):
        services.room_save(room=room)
