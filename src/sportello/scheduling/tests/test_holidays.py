from datetime import date

import pytest

from sportello.scheduling.holidays import easter_sunday, italian_holidays


@pytest.mark.parametrize(
    "year,easter",
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
        (2000, date(2000, 4, 23)),
        (1961, date(1961, 4, 2)),
    ],
)
def test_easter_sunday_known_dates(year, easter):
    assert easter_sunday(year) == easter


def test_holidays_include_easter_monday_and_fixed_days():
    days = italian_holidays(2026)
    assert date(2026, 4, 6) in days  # Pasquetta
    assert {date(2026, 4, 25), date(2026, 6, 2), date(2026, 12, 8), date(2026, 12, 26)} <= days
    assert len(days) == 12
    assert date(2026, 4, 7) not in days


def test_patron_saint_day_is_added_and_29_february_ignored_outside_leap_years():
    assert date(2026, 6, 26) in italian_holidays(2026, (6, 26))
    assert len(italian_holidays(2026, (2, 29))) == 12
    assert date(2028, 2, 29) in italian_holidays(2028, (2, 29))


def test_easter_is_always_a_sunday_between_22_march_and_25_april():
    for year in range(1900, 2200):
        easter = easter_sunday(year)
        assert easter.weekday() == 6
        assert date(year, 3, 22) <= easter <= date(year, 4, 25)
