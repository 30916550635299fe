"""The price function over the regulation's cases: categories, season boundaries (a wrapping winter season),
weekend and holiday surcharge, minimum charge, deposit, patronage, election mode; the refund rule; the
regulation's checks of a range. Pure: no database."""

from datetime import date, datetime, time, timedelta

import pytest

from sportello.rooms import pricing
from sportello.rooms.pricing import ROME, NotAdmitted, Regulation, Season, Tariffs, check_range, quote, refund

WINTER = Season("invernale", (10, 15), (4, 15))
BANDS = ((time(8), time(13)), (time(13), time(18)), (time(18), time(23)))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), ROME)


def tariffs(**extra) -> Tariffs:
    values = {
        "unit": "hour",
        "rates": {
            ("resident", None): 2000,
            ("resident", "invernale"): 2500,
            ("non_resident", None): 3000,
            ("local_association", None): 1000,
            ("political_party", None): 1500,
            ("company", None): 5000,
        },
        "seasons": (WINTER,),
        "weekend_surcharge_percent": 20,
        "minimum_cents": 0,
        "deposit_cents": 0,
    }
    values.update(extra)
    return Tariffs(**values)


TUESDAY = date(2027, 6, 8)  # summer, a working day
SATURDAY = date(2027, 6, 12)


def test_hours_times_rate_explained():
    q = quote(tariffs(), category="resident", ranges=[(at(TUESDAY, 18), at(TUESDAY, 21))])
    assert q.fee_cents == 6000 and q.deposit_cents == 0
    (line,) = q.lines
    assert (line.kind, line.quantity, line.unit_cents, line.amount_cents) == ("fee", 3, 2000, 6000)
    assert line.label == "08/06/2027, 18:00-21:00: 3 ore × 20,00 €"


@pytest.mark.parametrize(
    "category, cents",
    [("resident", 4000), ("non_resident", 6000), ("local_association", 2000), ("company", 10000)],
)
def test_rate_by_category(category, cents):
    assert quote(tariffs(), category=category, ranges=[(at(TUESDAY, 9), at(TUESDAY, 11))]).fee_cents == cents


def test_category_without_tariff_is_not_admitted():
    with pytest.raises(NotAdmitted):
        quote(tariffs(), category="school", ranges=[(at(TUESDAY, 9), at(TUESDAY, 10))])


def test_a_started_hour_counts_whole():
    assert (
        quote(tariffs(), category="resident", ranges=[(at(TUESDAY, 9), at(TUESDAY, 10, 30))]).fee_cents
        == 4000
    )


@pytest.mark.parametrize(
    "day, rate",
    [
        (date(2027, 10, 14), 2000),  # the day before the winter season
        (date(2027, 10, 15), 2500),  # first day of winter (inclusive)
        (date(2028, 1, 11), 2500),  # inside the season, after the new year (the season wraps)
        (date(2028, 4, 14), 2500),  # last day of winter (inclusive; Friday)
        (date(2028, 4, 18), 2000),  # after it
    ],
)
def test_season_boundaries_including_a_season_that_wraps_the_year(day, rate):
    assert day.weekday() < 5
    q = quote(tariffs(), category="resident", ranges=[(at(day, 9), at(day, 10))])
    assert q.fee_cents == rate
    assert ("tariffa invernale" in q.lines[0].label) == (rate == 2500)


def test_season_falls_back_to_the_base_rate_when_the_category_has_no_seasonal_rate():
    day = date(2028, 1, 11)
    assert quote(tariffs(), category="non_resident", ranges=[(at(day, 9), at(day, 10))]).fee_cents == 3000


def test_weekend_surcharge():
    q = quote(tariffs(), category="resident", ranges=[(at(SATURDAY, 9), at(SATURDAY, 12))])
    assert [line.kind for line in q.lines] == ["fee", "surcharge"]
    assert q.lines[1].amount_cents == 1200  # 20% of 60.00
    assert q.fee_cents == 7200


def test_holiday_surcharge_on_a_working_weekday():
    day = date(2027, 6, 2)  # Festa della Repubblica, a Wednesday
    q = quote(tariffs(), category="resident", ranges=[(at(day, 9), at(day, 10))], holidays=lambda d: d == day)
    assert q.fee_cents == 2400


def test_surcharge_rounds_half_up_to_the_cent():
    q = quote(
        tariffs(rates={("resident", None): 333}, weekend_surcharge_percent=15),
        category="resident",
        ranges=[(at(SATURDAY, 9), at(SATURDAY, 10))],
    )
    assert q.lines[1].amount_cents == 50  # 49.95 -> 50
    assert pricing.percent(333, 15) == 50 and pricing.percent(10, 5) == 1 and pricing.percent(9, 5) == 0


def test_minimum_charge_per_date():
    q = quote(
        tariffs(minimum_cents=5000),
        category="resident",
        ranges=[
            (at(TUESDAY, 9), at(TUESDAY, 10)),
            (at(TUESDAY + timedelta(days=7), 9), at(TUESDAY + timedelta(days=7), 13)),
        ],
    )
    assert [line.kind for line in q.lines] == ["fee", "minimum", "fee"]
    assert q.lines[1].amount_cents == 3000
    assert q.fee_cents == 5000 + 8000


def test_minimum_does_not_make_a_free_room_paid():
    q = quote(
        tariffs(rates={("local_association", None): 0}, minimum_cents=5000),
        category="local_association",
        ranges=[(at(TUESDAY, 9), at(TUESDAY, 10))],
    )
    assert q.fee_cents == 0 and [line.kind for line in q.lines] == ["fee"]


def test_deposit_is_a_separate_amount():
    q = quote(tariffs(deposit_cents=10000), category="resident", ranges=[(at(TUESDAY, 9), at(TUESDAY, 10))])
    assert (q.fee_cents, q.deposit_cents, q.total_cents) == (2000, 10000, 12000)
    assert q.lines[-1].kind == "deposit"


def test_patronage_waives_the_fee_but_not_the_deposit():
    q = quote(
        tariffs(deposit_cents=10000, minimum_cents=5000),
        category="resident",
        ranges=[(at(SATURDAY, 9), at(SATURDAY, 10))],
        patronage=True,
    )
    assert [line.kind for line in q.lines] == ["fee", "surcharge", "minimum", "discount", "deposit"]
    assert q.lines[3].amount_cents == -5000
    assert (q.fee_cents, q.deposit_cents, q.free_reason) == (0, 10000, "patronage")


def test_election_mode_free_for_parties_on_its_dates_fee_and_deposit():
    in_period = date(2027, 5, 25)
    q = quote(
        tariffs(deposit_cents=10000),
        category="political_party",
        ranges=[(at(in_period, 20), at(in_period, 22))],
        election=lambda d: date(2027, 5, 1) <= d <= date(2027, 6, 1),
    )
    assert (q.fee_cents, q.deposit_cents, q.free_reason) == (0, 0, "election")
    assert [line.kind for line in q.lines] == ["fee", "discount"]
    assert "L. 515/1993" in q.lines[1].label


def test_election_mode_does_not_apply_outside_its_period_or_to_other_categories():
    period = lambda d: date(2027, 5, 1) <= d <= date(2027, 6, 1)  # noqa: E731
    outside = quote(
        tariffs(), category="political_party", ranges=[(at(TUESDAY, 20), at(TUESDAY, 22))], election=period
    )
    assert outside.fee_cents == 3000
    day = date(2027, 5, 25)
    resident = quote(tariffs(), category="resident", ranges=[(at(day, 20), at(day, 22))], election=period)
    assert resident.fee_cents == 4000


@pytest.mark.parametrize(
    "unit, start, end, expected",
    [
        ("hour", (9, 0), (9, 30), 1),
        ("hour", (9, 0), (13, 0), 4),
        ("half_day", (9, 0), (13, 0), 1),
        ("half_day", (9, 0), (13, 30), 2),
        ("day", (8, 0), (23, 0), 1),
        ("band", (8, 0), (13, 0), 1),
        ("band", (13, 0), (23, 0), 2),
        ("band", (8, 0), (23, 0), 3),
    ],
)
def test_units(unit, start, end, expected):
    assert pricing.units(unit, at(TUESDAY, *start), at(TUESDAY, *end), BANDS) == expected


def test_daylight_saving_night_counts_real_hours():
    night = date(2027, 3, 28)  # clocks go forward at 02:00
    assert pricing.units("hour", at(night, 0), at(night, 4)) == 3


def test_band_tariff():
    q = quote(
        tariffs(unit="band", bands=BANDS),
        category="resident",
        ranges=[(at(TUESDAY, 13), at(TUESDAY, 23))],
    )
    assert q.fee_cents == 4000 and q.lines[0].label.endswith("2 fasce × 20,00 €")


NOW = at(date(2027, 6, 1), 12)


@pytest.mark.parametrize(
    "start, cents, fragment",
    [
        (NOW + timedelta(days=10), 8000, "rimborso totale"),
        (NOW + timedelta(days=3), 8000, "rimborso totale"),  # exactly the limit: still full
        (NOW + timedelta(days=3) - timedelta(minutes=1), 4000, "50%"),
        (NOW + timedelta(hours=1), 4000, "50%"),
        (NOW - timedelta(minutes=1), 0, "nessun rimborso"),
    ],
)
def test_refund_rule(start, cents, fragment):
    result = refund(paid_cents=8000, start=start, now=NOW, full_refund_days=3, late_refund_percent=50)
    assert result.cents == cents
    assert fragment in result.explanation


def test_refund_of_nothing_paid():
    assert refund(paid_cents=0, start=NOW, now=NOW, full_refund_days=3, late_refund_percent=50).cents == 0


REG = Regulation(
    unit="hour",
    weekdays=frozenset(range(6)),
    opens_at=time(8),
    closes_at=time(23),
    min_units=1,
    max_units=4,
    min_notice_days=3,
    max_notice_days=90,
    closures=((date(2027, 8, 1), date(2027, 8, 31)),),
)
HOLIDAYS = lambda d: d == date(2027, 6, 2)  # noqa: E731


def _errors(start, end, regulation=REG):
    return check_range(regulation, start, end, now=NOW, holidays=HOLIDAYS)


def test_regulation_accepts_a_valid_range():
    assert _errors(at(TUESDAY, 18), at(TUESDAY, 21, 30)) == []


@pytest.mark.parametrize(
    "start, end, fragment",
    [
        (at(TUESDAY, 18), at(TUESDAY, 18), "fine deve essere dopo"),
        (at(date(2027, 6, 13), 9), at(date(2027, 6, 13), 10), "giorno della settimana"),  # Sunday
        (at(date(2027, 6, 2), 9), at(date(2027, 6, 2), 10), "festivi"),
        (at(date(2027, 8, 10), 9), at(date(2027, 8, 10), 10), "chiusa in questa data"),
        (at(TUESDAY, 7), at(TUESDAY, 9), "dalle 08:00 alle 23:00"),
        (at(TUESDAY, 9, 15), at(TUESDAY, 10), "mezz'ora"),
        (at(TUESDAY, 9), at(TUESDAY, 14), "tra 1 e 4"),
        (at(date(2027, 6, 3), 9), at(date(2027, 6, 3), 10), "preavviso di almeno 3"),
        (at(date(2027, 9, 1), 9), at(date(2027, 9, 1), 10), "massimo 90"),
    ],
)
def test_regulation_refusals(start, end, fragment):
    errors = _errors(start, end)
    assert any(fragment in error for error in errors), errors


def test_without_notice_the_office_books_tomorrow_today_and_beyond_the_maximum_but_not_a_begun_range():
    def office(start, end):
        return check_range(REG, start, end, now=NOW, holidays=HOLIDAYS, notice=False)

    soon, beyond = date(2027, 6, 3), date(2027, 9, 1)  # 2 days on (2 June is a holiday), 92 days on
    assert any("preavviso" in e for e in _errors(at(soon, 9), at(soon, 10)))
    assert office(at(soon, 9), at(soon, 10)) == []
    assert office(at(beyond, 9), at(beyond, 10)) == []
    assert office(at(NOW.date(), 12), at(NOW.date(), 13)) == []
    assert office(at(NOW.date(), 11, 30), at(NOW.date(), 13)) == ["L'orario scelto è già iniziato o passato."]
    # every other rule still applies
    for start, end, fragment in [
        (at(date(2027, 6, 13), 9), at(date(2027, 6, 13), 10), "giorno della settimana"),
        (at(date(2027, 6, 2), 9), at(date(2027, 6, 2), 10), "festivi"),
        (at(date(2027, 8, 10), 9), at(date(2027, 8, 10), 10), "chiusa in questa data"),
        (at(soon, 7), at(soon, 9), "dalle 08:00 alle 23:00"),
        (at(soon, 9, 15), at(soon, 10), "mezz'ora"),
        (at(soon, 9), at(soon, 14), "tra 1 e 4"),
    ]:
        assert any(fragment in e for e in office(start, end)), (start, fragment)


def test_band_unit_wants_whole_bands_and_day_unit_the_whole_day():
    bands = Regulation(**{**REG.__dict__, "unit": "band", "bands": BANDS, "max_units": 3})
    assert _errors(at(TUESDAY, 13), at(TUESDAY, 18), bands) == []
    assert any("fasce" in e for e in _errors(at(TUESDAY, 14), at(TUESDAY, 18), bands))
    day = Regulation(**{**REG.__dict__, "unit": "day", "max_units": 1})
    assert _errors(at(TUESDAY, 8), at(TUESDAY, 23), day) == []
    assert any("intera giornata" in e for e in _errors(at(TUESDAY, 9), at(TUESDAY, 23), day))


def test_choices_follow_the_unit():
    bands = Regulation(**{**REG.__dict__, "unit": "band", "bands": BANDS, "max_units": 2})
    assert [(s.hour, e.hour) for s, e in pricing.choices(bands, TUESDAY)] == [
        (8, 13),
        (8, 18),
        (13, 18),
        (13, 23),
        (18, 23),
    ]
    hours = pricing.choices(REG, TUESDAY)
    assert (at(TUESDAY, 8), at(TUESDAY, 8, 30)) in hours
    assert (at(TUESDAY, 19), at(TUESDAY, 23)) in hours
    assert (at(TUESDAY, 18), at(TUESDAY, 23)) not in hours  # 5 hours > max 4


def test_euro():
    assert pricing.euro(123456) == "1.234,56 €" and pricing.euro(-5) == "-0,05 €"


# --- openings and bands after midnight (19:00-01:00), across the daylight-saving nights ---

DST_END = date(
    2027, 10, 30
)  # Saturday: the night to Sunday 31 October goes from 03:00 CEST back to 02:00 CET
DST_START = date(2027, 3, 27)  # Saturday: the night to Sunday 28 March goes from 02:00 CET to 03:00 CEST
PLAIN = date(2027, 5, 15)  # an ordinary Saturday night
EARLY = datetime(2027, 1, 4, 9, tzinfo=ROME)
NIGHT_BANDS = ((time(7), time(13)), (time(13), time(19)), (time(19), time(1)))
GYM = Regulation(
    unit="band",
    weekdays=frozenset(range(7)),
    opens_at=time(7),
    closes_at=time(1),
    max_units=3,
    min_notice_days=0,
    max_notice_days=365,
    bands=NIGHT_BANDS,
    holidays_closed=False,
)
PUB = Regulation(  # by the hour, 20:00-04:00: the range crosses the DST change itself
    unit="hour",
    weekdays=frozenset(range(7)),
    opens_at=time(20),
    closes_at=time(4),
    max_units=8,
    min_notice_days=0,
    max_notice_days=365,
    holidays_closed=False,
)


def _night(regulation, day, start_hour, end_hour, next_day=True):
    start = at(day, start_hour)
    end = at(day + timedelta(days=1 if next_day else 0), end_hour)
    return check_range(regulation, start, end, now=EARLY, holidays=HOLIDAYS), start, end


def test_closing_before_opening_is_after_midnight_and_only_then():
    assert pricing.closes_next_day(time(7), time(1)) and pricing.closes_next_day(time(20), time(4))
    assert not pricing.closes_next_day(time(8), time(23)) and not pricing.closes_next_day(time(8), time(0))


@pytest.mark.parametrize("day", [DST_END, DST_START, PLAIN])
def test_the_band_19_to_01_ends_the_next_morning_on_any_night_including_the_dst_ones(day):
    errors, start, end = _night(GYM, day, 19, 1)
    assert errors == []
    assert pricing.units("band", start, end, NIGHT_BANDS) == 1
    assert (
        pricing._minutes(start, end) == 360
    )  # 19:00-01:00 is before the change at 02:00/03:00: six real hours
    assert (start, end) in pricing.choices(GYM, day)
    assert (at(day, 13), end) in pricing.choices(GYM, day)  # two bands, 13:00-01:00
    assert pricing.units("band", at(day, 13), end, NIGHT_BANDS) == 2
    assert (
        quote(
            Tariffs(unit="band", rates={("resident", None): 3000}, bands=NIGHT_BANDS),
            category="resident",
            ranges=[(start, end)],
        ).fee_cents
        == 3000
    )


@pytest.mark.parametrize(
    "start_hour, end_hour, next_day, fragment",
    [
        (19, 2, True, "dalle 07:00 alle 01:00"),  # past the closing
        (19, 1, False, "fine deve essere dopo"),  # 01:00 of the same day is before 19:00
        (20, 1, True, "fasce"),  # not a whole band
        (19, 1, 2, "un solo giorno"),  # the morning after next
    ],
)
def test_an_overnight_band_is_still_refused_outside_the_opening_or_the_bands(
    start_hour, end_hour, next_day, fragment
):
    start = at(DST_END, start_hour)
    end = at(DST_END + timedelta(days=int(next_day)), end_hour)
    errors = check_range(GYM, start, end, now=EARLY, holidays=HOLIDAYS)
    assert any(fragment in error for error in errors), errors


def test_the_small_hours_belong_to_the_evening_before_not_to_the_day_they_fall_on():
    sunday = DST_END + timedelta(days=1)
    errors = check_range(GYM, at(sunday, 0), at(sunday, 1), now=EARLY, holidays=HOLIDAYS)
    assert any("dalle 07:00 alle 01:00" in error for error in errors), errors


@pytest.mark.parametrize(("day", "hours"), [(DST_END, 7), (DST_START, 5), (PLAIN, 6)])
def test_an_hourly_range_across_the_dst_change_counts_its_real_hours(day, hours):
    errors, start, end = _night(PUB, day, 22, 4)
    assert errors == []
    assert pricing.units("hour", start, end) == hours
    assert (start, end) in pricing.choices(PUB, day)
    assert any("dalle 20:00 alle 04:00" in e for e in _night(PUB, day, 22, 5)[0])


def test_a_room_closing_at_midnight_or_in_the_evening_is_unchanged():
    assert _errors(at(TUESDAY, 22), at(TUESDAY + timedelta(days=1), 0)) != []  # REG closes at 23:00
    errors = _errors(at(TUESDAY, 22), at(TUESDAY + timedelta(days=1), 1))
    assert any("un solo giorno" in e for e in errors) and any("dalle 08:00 alle 23:00" in e for e in errors)
    midnight = Regulation(**{**REG.__dict__, "closes_at": time(0)})
    assert _errors(at(TUESDAY, 22), at(TUESDAY + timedelta(days=1), 0), midnight) == []
    assert pricing.choices(midnight, TUESDAY)[-1][1] == at(TUESDAY + timedelta(days=1), 0)


def test_the_hour_skipped_by_summer_time_is_neither_offered_nor_accepted():
    sunday = DST_START + timedelta(days=1)
    offered = pricing.choices(PUB, DST_START)
    assert offered and not [r for r in offered if any(m.date() == sunday and m.hour == 2 for m in r)]
    assert (at(DST_START, 22), at(sunday, 3)) in offered  # 22:00 CET - 03:00 CEST: four real hours
    assert pricing.units("hour", at(DST_START, 22), at(sunday, 3)) == 4
    errors = check_range(PUB, at(DST_START, 22), at(sunday, 2, 30), now=EARLY, holidays=HOLIDAYS)
    assert errors == [
        "Quest'ora non esiste: nella notte del cambio all'ora legale si passa dalle 02:00 alle 03:00."
    ]


def test_with_no_notice_a_citizen_cannot_book_a_range_that_has_already_begun():
    """A room with 0 days of notice offers today, but never an hour already begun or past."""
    day = date(2027, 6, 1)  # NOW is 12:00 of this Tuesday
    same_day = Regulation(**{**REG.__dict__, "min_notice_days": 0, "weekdays": frozenset(range(7))})
    assert check_range(same_day, at(day, 14), at(day, 16), now=NOW, holidays=HOLIDAYS) == []
    for start, end in ((at(day, 11), at(day, 13)), (at(day, 9), at(day, 11)), (at(day, 11, 30), at(day, 12))):
        assert "L'orario scelto è già iniziato o passato." in check_range(
            same_day, start, end, now=NOW, holidays=HOLIDAYS
        )
