from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sportello.scheduling.availability import ROME, Closure, Policy, Rule, day_slots, free_slots

WEEKDAYS = frozenset(range(7))
NO_HOLIDAYS = Policy(holidays=False, horizon_days=400)


def rule(**kw):
    base = dict(
        valid_from=date(2026, 1, 1),
        valid_until=None,
        weekdays=WEEKDAYS,
        start=time(9),
        end=time(12),
        slot_minutes=30,
        pause_minutes=0,
        capacity=2,
    )
    return Rule(**{**base, **kw})


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=ROME)


NOW = at(2026, 3, 2, 8)  # a Monday, 08:00


def slots(**kw):
    kw.setdefault("now", NOW)
    kw.setdefault("policy", NO_HOLIDAYS)
    return free_slots(**kw)


def test_one_morning_gives_its_slots_with_full_capacity():
    result = slots(rules=[rule()], date_from=date(2026, 3, 2), date_to=date(2026, 3, 2))
    assert [s.start.strftime("%H:%M") for s in result] == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
        "11:30",
    ]
    assert all(s.free == 2 and s.capacity == 2 for s in result)
    assert result[-1].end == at(2026, 3, 2, 12)


def test_pause_between_slots_and_slot_that_would_overrun_the_end_is_dropped():
    result = slots(
        rules=[rule(slot_minutes=25, pause_minutes=10)], date_from=date(2026, 3, 2), date_to=date(2026, 3, 2)
    )
    assert [s.start.strftime("%H:%M") for s in result] == ["09:00", "09:35", "10:10", "10:45", "11:20"]


def test_morning_and_afternoon_rules_cover_one_day():
    rules = [rule(end=time(10)), rule(start=time(14), end=time(15))]
    result = slots(rules=rules, date_from=date(2026, 3, 2), date_to=date(2026, 3, 2))
    assert [s.start.hour for s in result] == [9, 9, 14, 14]


def test_occupied_places_and_live_holds_reduce_capacity_expired_holds_do_not():
    nine, half = at(2026, 3, 2, 9), at(2026, 3, 2, 9, 30)
    result = slots(
        rules=[rule()],
        date_from=date(2026, 3, 2),
        date_to=date(2026, 3, 2),
        occupied={nine: 1},
        holds=[(nine, NOW + timedelta(minutes=5)), (half, NOW - timedelta(seconds=1))],
    )
    assert nine not in [s.start for s in result]  # 1 occupied + 1 live hold = full
    assert next(s for s in result if s.start == half).free == 2  # the expired hold counts for nothing
    full = slots(
        rules=[rule()],
        date_from=date(2026, 3, 2),
        date_to=date(2026, 3, 2),
        occupied={nine: 2},
        include_full=True,
    )
    assert full[0].start == nine and full[0].free == 0


def test_minimum_notice_hides_slots_starting_too_soon():
    now = at(2026, 3, 2, 8, 10)
    result = slots(
        rules=[rule()],
        now=now,
        date_from=date(2026, 3, 2),
        date_to=date(2026, 3, 2),
        policy=Policy(holidays=False, min_notice=timedelta(hours=2)),
    )
    assert result[0].start == at(2026, 3, 2, 10, 30)


def test_past_days_and_days_beyond_the_horizon_are_never_offered():
    result = slots(
        rules=[rule()],
        date_from=date(2026, 2, 1),
        date_to=date(2026, 12, 31),
        policy=Policy(holidays=False, horizon_days=3),
    )
    days = sorted({s.start.date() for s in result})
    assert days == [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 5)]


def test_rule_starting_and_ending_mid_period():
    r = rule(valid_from=date(2026, 3, 4), valid_until=date(2026, 3, 6))
    result = slots(rules=[r], date_from=date(2026, 3, 2), date_to=date(2026, 3, 10))
    assert sorted({s.start.date() for s in result}) == [date(2026, 3, 4), date(2026, 3, 5), date(2026, 3, 6)]


def test_weekdays_restrict_the_days():
    result = slots(
        rules=[rule(weekdays=frozenset({1, 3}))], date_from=date(2026, 3, 2), date_to=date(2026, 3, 8)
    )
    assert sorted({s.start.date() for s in result}) == [date(2026, 3, 3), date(2026, 3, 5)]


def test_closures_holidays_and_patron_day_close_the_office():
    policy = Policy(horizon_days=400, patron=(4, 9))
    result = free_slots(
        rules=[rule()],
        now=at(2026, 4, 1),
        date_from=date(2026, 4, 1),
        date_to=date(2026, 4, 30),
        closures=[Closure(date(2026, 4, 14), date(2026, 4, 15))],
        policy=policy,
    )
    days = {s.start.date() for s in result}
    for closed in (
        date(2026, 4, 5),
        date(2026, 4, 6),
        date(2026, 4, 25),
        date(2026, 4, 9),
        date(2026, 4, 14),
        date(2026, 4, 15),
    ):
        assert closed not in days
    assert date(2026, 4, 7) in days and date(2026, 4, 16) in days


def test_overlapping_rules_take_the_larger_capacity_never_the_sum():
    result = slots(
        rules=[rule(capacity=2), rule(capacity=3)], date_from=date(2026, 3, 2), date_to=date(2026, 3, 2)
    )
    assert all(s.capacity == 3 for s in result) and len(result) == 6


def test_spring_forward_night_no_slot_in_the_missing_hour_none_repeated():
    # 29 March 2026: 02:00 CET jumps to 03:00 CEST.
    r = rule(start=time(0), end=time(6), slot_minutes=30)
    result = slots(rules=[r], now=at(2026, 3, 28), date_from=date(2026, 3, 29), date_to=date(2026, 3, 29))
    labels = [s.start.strftime("%H:%M") for s in result]
    assert not [x for x in labels if x.startswith("02:")]
    assert labels[:4] == ["00:00", "00:30", "01:00", "01:30"] and labels[4] == "03:00"
    assert len(result) == 10  # five real hours
    assert all(s.end.astimezone(UTC) - s.start.astimezone(UTC) == timedelta(minutes=30) for s in result)


def test_fall_back_night_repeated_hour_gives_distinct_instants_of_real_length():
    # 25 October 2026: 03:00 CEST goes back to 02:00 CET; the window 00:00-06:00 lasts seven real hours.
    r = rule(start=time(0), end=time(6), slot_minutes=60)
    result = slots(rules=[r], now=at(2026, 10, 24), date_from=date(2026, 10, 25), date_to=date(2026, 10, 25))
    assert len(result) == 7
    utc = [s.start.astimezone(UTC) for s in result]
    assert utc == sorted(set(utc))
    assert result[-1].end == at(2026, 10, 25, 6)


def test_office_hours_on_dst_days_are_the_usual_wall_times():
    for day in (date(2026, 3, 29), date(2026, 10, 25)):
        starts = [s.astimezone(ROME).strftime("%H:%M") for s, _e in day_slots(rule(), day)]
        assert starts == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]


rules_strategy = st.builds(
    rule,
    valid_from=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    weekdays=st.frozensets(st.integers(0, 6), min_size=1),
    start=st.times(time(0), time(20)),
    slot_minutes=st.integers(5, 120),
    pause_minutes=st.integers(0, 30),
    capacity=st.integers(1, 5),
).map(
    lambda r: Rule(
        **{
            **r.__dict__,
            "end": (datetime.combine(date(2026, 1, 1), r.start) + timedelta(hours=3)).time()
            if r.start < time(21)
            else time(23, 59),
        }
    )
)


@settings(max_examples=150, deadline=None)
@given(
    rules=st.lists(rules_strategy, min_size=1, max_size=3),
    now=st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 1), timezones=st.just(ROME)),
    notice=st.integers(0, 72),
    horizon=st.integers(1, 60),
    taken=st.integers(0, 5),
)
def test_properties_of_published_slots(rules, now, notice, horizon, taken):
    policy = Policy(min_notice=timedelta(hours=notice), horizon_days=horizon)
    date_from = now.date() - timedelta(days=2)
    date_to = now.date() + timedelta(days=70)
    everything = free_slots(rules=rules, now=now, date_from=date_from, date_to=date_to, policy=policy)
    occupied = {s.start.astimezone(UTC): taken for s in everything}  # UTC keys: same-zone keys ignore fold
    remaining = free_slots(
        rules=rules, now=now, date_from=date_from, date_to=date_to, policy=policy, occupied=occupied
    )
    starts = [s.start.astimezone(UTC) for s in everything]  # same-zone comparisons are wall-clock
    assert starts == sorted(set(starts))  # ordered, never repeated
    today = now.astimezone(ROME).date()
    for s in everything:
        assert s.start.astimezone(UTC) >= now.astimezone(UTC) + policy.min_notice
        assert today <= s.start.astimezone(ROME).date() <= today + timedelta(days=horizon)
        assert 0 < s.free <= s.capacity
        assert s.end.astimezone(UTC) > s.start.astimezone(UTC)
        assert any(r.applies(s.start.astimezone(ROME).date()) for r in rules)
    assert [s for s in remaining if s.free <= 0] == []
    assert {s.start.astimezone(UTC) for s in remaining} == {
        s.start.astimezone(UTC) for s in everything if s.capacity > taken
    }
