"""The month view's day status (rooms/availability.py, pure): closed, free, partly or fully taken, where "fully"
means no range the regulation offers (unit, minimum duration, opening hours) is left free. Pinned exhaustively
against a plain reference over every set of taken half hours, bands and pieces, and shown in the month table."""

from datetime import date, datetime, time, timedelta
from itertools import combinations, product

import pytest
from bs4 import BeautifulSoup

from sportello.rooms import pricing
from sportello.rooms.availability import CLOSED, FREE, FULL, PARTLY, day_status

DAY = date(2027, 1, 12)  # a Tuesday


def _at(hour, minute=0, day=DAY):
    return datetime.combine(day, time(hour, minute), pricing.ROME)


def _rules(unit="hour", opens=9, closes=13, min_units=1, max_units=4, bands=()):
    return pricing.Regulation(
        unit=unit,
        weekdays=frozenset(range(7)),
        opens_at=time(opens),
        closes_at=time(closes),
        min_units=min_units,
        max_units=max_units,
        bands=bands,
    )


def _status(rules, taken, is_open=True):
    return day_status(is_open=is_open, offered=pricing.choices(rules, DAY) if is_open else (), taken=taken)


def _subsets(items):
    for size in range(len(items) + 1):
        yield from combinations(items, size)


def _longest_free_run(free: list[bool]) -> int:
    best = run = 0
    for is_free in free:
        run = run + 1 if is_free else 0
        best = max(best, run)
    return best


# --- Hours: every set of taken half hours between 09:00 and 13:00 ----------------------------------------------

HALF_HOURS = [
    (_at(9) + timedelta(minutes=30 * i), _at(9) + timedelta(minutes=30 * (i + 1))) for i in range(8)
]


@pytest.mark.parametrize("min_units", [1, 2, 3, 4])
def test_hours_every_set_of_taken_half_hours_against_the_reference(min_units):
    rules = _rules(min_units=min_units)
    # Hours are counted as started: the shortest offered range of ``min_units`` hours is (2 m - 1) half hours.
    shortest = max(1, 2 * min_units - 1)
    checked = 0
    for taken in _subsets(HALF_HOURS):
        free = [slot not in taken for slot in HALF_HOURS]
        if all(free):
            expected = FREE
        elif _longest_free_run(free) >= shortest:
            expected = PARTLY
        else:
            expected = FULL
        assert _status(rules, list(taken)) == expected, (min_units, taken)
        checked += 1
    assert checked == 256


def test_adjacent_taken_ranges_count_like_one_and_off_grid_ranges_are_seen():
    rules = _rules(min_units=2)  # two hours, counted as started: 61 minutes or more
    split = [(_at(9), _at(10)), (_at(10), _at(11, 30))]
    assert _status(rules, split) == _status(rules, [(_at(9), _at(11, 30))]) == PARTLY  # 11:30-13:00 is left
    assert _status(rules, [(_at(9), _at(10)), (_at(10), _at(11, 40))]) == FULL  # 80 minutes, not on the grid
    assert _status(rules, [(_at(9, 10), _at(9, 20))]) == PARTLY


# --- Bands: every set of taken pieces over three bands ------------------------------------------------------------

BANDS = ((time(8), time(13)), (time(13), time(18)), (time(18), time(23)))
PIECES = [(8, 10), (10, 13), (13, 15), (15, 18), (18, 20), (20, 23)]


@pytest.mark.parametrize("min_units", [1, 2, 3])
def test_bands_every_set_of_taken_pieces_against_the_reference(min_units):
    rules = _rules(unit="band", opens=8, closes=23, min_units=min_units, max_units=3, bands=BANDS)
    for taken in _subsets(PIECES):
        free = [not any(a < b_end.hour and b_start.hour < b for a, b in taken) for b_start, b_end in BANDS]
        if all(free):
            expected = FREE
        elif _longest_free_run(free) >= min_units:
            expected = PARTLY
        else:
            expected = FULL
        ranges = [(_at(a), _at(b)) for a, b in taken]
        assert _status(rules, ranges) == expected, (min_units, taken)


# --- Day unit, closed days, ranges outside the opening --------------------------------------------------------------


@pytest.mark.parametrize(
    ("taken", "expected"),
    [
        ([], FREE),
        ([(_at(10), _at(11))], FULL),  # an hour taken: the whole day cannot be booked
        ([(_at(7), _at(9))], FREE),  # before the opening: nothing taken within it
        ([(_at(23), _at(0, day=DAY + timedelta(days=1)))], FREE),
    ],
)
def test_day_unit(taken, expected):
    assert _status(_rules(unit="day", opens=9, closes=23), taken) == expected


@pytest.mark.parametrize(
    ("taken", "expected"),
    [
        ([(_at(7), _at(9))], FREE),  # touching the opening is not inside it
        ([(_at(7), _at(9, 30))], PARTLY),
        ([(_at(8), _at(14))], FULL),  # covering all the opening
        ([(_at(9), _at(11)), (_at(11, 30), _at(13))], PARTLY),  # 30 minutes are left: one started hour
    ],
)
def test_hours_at_the_edges(taken, expected):
    assert _status(_rules(), taken) == expected


def test_a_closed_day_is_closed_whatever_is_taken():
    assert _status(_rules(), [], is_open=False) == CLOSED
    assert _status(_rules(), HALF_HOURS, is_open=False) == CLOSED
    assert day_status(is_open=True, offered=[], taken=[]) == CLOSED  # nothing the regulation offers


def test_every_combination_of_unit_and_minimum_gives_one_of_the_four_statuses():
    statuses = set()
    for unit, min_units in product(("hour", "half_day", "band", "day"), (1, 2)):
        rules = _rules(unit=unit, opens=8, closes=23, min_units=min_units, max_units=3, bands=BANDS)
        for taken in ([], [(_at(8), _at(23))], [(_at(12), _at(14))]):
            statuses.add(_status(rules, taken))
    assert statuses == {FREE, PARTLY, FULL}


# --- The month table ------------------------------------------------------------------------------------------------


def test_the_month_table_tells_a_fully_booked_day_in_text(client, room, mori_admin):
    from sportello.rooms import services

    from .test_views import MORI, _day

    day = _day()
    other = day + timedelta(days=7)
    open_at = lambda d, h: datetime.combine(d, time(h), pricing.ROME)  # noqa: E731
    services.reserved_period_add(
        room=room, start=open_at(day, 8), end=open_at(day, 23), reason="Elezioni", user=mori_admin
    )
    services.reserved_period_add(
        room=room, start=open_at(other, 20), end=open_at(other, 22), reason="Consiglio", user=mori_admin
    )
    html = client.get(f"{MORI}/spazi/{room.slug}/?mese={day:%Y-%m}").content
    table = BeautifulSoup(html, "html.parser").select_one("[data-element=room-month]")
    cells = {a["href"].split("giorno=")[1][:10]: a for a in table.select("a[data-day-status]")}
    full = cells[day.isoformat()]
    assert full["data-day-status"] == "full" and "tutta occupata" in full.get_text()
    if other.month == day.month:
        assert cells[other.isoformat()]["data-day-status"] == "partly"
        assert "in parte occupata" in cells[other.isoformat()].get_text()
    legend = BeautifulSoup(html, "html.parser").select_one("[data-testid=month-legend]").get_text()
    assert "tutta occupata" in legend and "in parte occupata" in legend


def test_days_outside_the_notice_window_are_shown_but_not_offered(client, room):
    """Today (inside the minimum notice) and the days past the maximum notice are not links to choose."""
    from django.utils import timezone

    from sportello.rooms.models import RoomClosure

    from .test_views import MORI

    room.weekdays, room.min_notice_days, room.max_notice_days = list(range(7)), 3, 10
    room.holidays_closed = False
    room.save()
    RoomClosure.objects.filter(room=room).delete()
    today = timezone.localdate()
    soup = BeautifulSoup(client.get(f"{MORI}/spazi/{room.slug}/?mese={today:%Y-%m}").content, "html.parser")
    table = soup.select_one("[data-element=room-month]")
    offered = {
        date.fromisoformat(a["href"].split("giorno=")[1][:10]) for a in table.select("a[data-day-status]")
    }
    in_month = [
        today + timedelta(days=n) for n in range(3, 11) if (today + timedelta(days=n)).month == today.month
    ]
    assert offered == set(in_month)
    assert (
        len(table.select("[data-day-status=not-bookable]")) >= 3
    )  # today and the two days after it at least
    item = soup.select_one(f"[data-element=room-week] [data-day='{today.isoformat()}']")
    assert not item.select("a") and item.select("[data-testid=not-bookable]")
