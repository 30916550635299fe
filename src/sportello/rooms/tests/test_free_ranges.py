"""``selectors.free_ranges`` (pure): the opening hours of a day minus its taken ranges, as the API shows them."""

from datetime import UTC, date, datetime, time

from sportello.rooms.pricing import ROME
from sportello.rooms.selectors import Day, Taken, free_ranges

DAY = date(2027, 3, 10)


def at(hour, minute=0, day=DAY):
    return datetime.combine(day, time(hour, minute), ROME)


def taken(start, end):
    return Taken(start.astimezone(UTC), end.astimezone(UTC), False, "Occupato")  # as read from the database


def hours(ranges):
    return [(s.strftime("%H:%M"), e.strftime("%H:%M")) for s, e in ranges]


def test_a_free_day_is_free_from_opening_to_closing():
    assert hours(free_ranges(Day(DAY, True, "08:00", "23:00", []))) == [("08:00", "23:00")]


def test_a_closed_day_has_nothing_free():
    assert free_ranges(Day(DAY, False, "08:00", "23:00", [])) == []


def test_taken_ranges_split_the_day_in_rome_time_and_overlaps_merge():
    day = Day(
        DAY,
        True,
        "08:00",
        "23:00",
        [taken(at(18), at(21)), taken(at(9), at(12)), taken(at(11), at(13, 30)), taken(at(21), at(22))],
    )
    assert hours(free_ranges(day)) == [("08:00", "09:00"), ("13:30", "18:00"), ("22:00", "23:00")]
    assert all(start.utcoffset() == ROME.utcoffset(start) for start, _end in free_ranges(day))


def test_ranges_beyond_the_opening_hours_are_clipped():
    day = Day(DAY, True, "08:00", "23:00", [taken(at(7), at(10)), taken(at(22), at(23, 30))])
    assert hours(free_ranges(day)) == [("10:00", "22:00")]
    full = Day(DAY, True, "08:00", "23:00", [taken(at(0), at(0, day=date(2027, 3, 11)))])
    assert free_ranges(full) == []
