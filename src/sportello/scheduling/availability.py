"""Free slots of a calendar (pure: no ORM, no I/O).

Inputs are plain values: opening rules, closed periods, the places already taken per slot start, the live holds
and the current time. The output is the list of bookable slots with their remaining capacity.

Daylight saving (Europe/Rome): a rule says "09:00-12:00" in local wall time. Each day's window is turned into two
aware instants, and slots are stepped in *real* time between them, so a slot always lasts its real length, no two
slots share an instant, and on the night of the change no slot is invented (the missing hour) or counted twice (the
repeated hour). The cost is proportional to the slots generated for the asked days: the taken places arrive as a
mapping keyed by slot start, looked up once per slot.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .holidays import italian_holidays

ROME = ZoneInfo("Europe/Rome")


@dataclass(frozen=True)
class Rule:
    valid_from: date
    valid_until: date | None  # inclusive; None = open-ended
    weekdays: frozenset[int]  # 0 = Monday ... 6 = Sunday
    start: time
    end: time
    slot_minutes: int
    pause_minutes: int = 0
    capacity: int = 1

    def applies(self, day: date) -> bool:
        return (
            day.weekday() in self.weekdays
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )


@dataclass(frozen=True)
class Closure:
    start: date
    end: date  # inclusive


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    capacity: int
    free: int


@dataclass(frozen=True)
class Policy:
    min_notice: timedelta = timedelta(0)
    horizon_days: int = 90
    holidays: bool = True  # Italian public holidays closed
    patron: tuple[int, int] | None = None  # (month, day) of the patron saint


def local_instant(day: date, at: time, tz: ZoneInfo = ROME) -> datetime:
    """The aware instant of a local wall time; a time in the missing hour maps to the instant just after it."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=tz)
    # Normalise through UTC: 02:30 on the spring-forward day becomes 03:30 CEST (its real instant).
    return aware.astimezone(UTC).astimezone(tz)


def day_slots(rule: Rule, day: date, tz: ZoneInfo = ROME) -> list[tuple[datetime, datetime]]:
    """The (start, end) slots of one rule on one day, stepped in real time, as UTC instants.

    (Arithmetic and comparisons between datetimes sharing one zone are wall-clock in Python, hence UTC.)
    """
    start = local_instant(day, rule.start, tz).astimezone(UTC)
    finish = local_instant(day, rule.end, tz).astimezone(UTC)
    length, step = (
        timedelta(minutes=rule.slot_minutes),
        timedelta(minutes=rule.slot_minutes + rule.pause_minutes),
    )
    out = []
    while start + length <= finish:
        out.append((start, start + length))
        start += step
    return out


def is_closed(day: date, closures: Iterable[Closure], policy: Policy) -> bool:
    if policy.holidays and day in italian_holidays(day.year, policy.patron):
        return True
    return any(c.start <= day <= c.end for c in closures)


def free_slots(
    *,
    rules: Iterable[Rule],
    closures: Iterable[Closure] = (),
    occupied: Mapping[datetime, int] | None = None,
    holds: Iterable[tuple[datetime, datetime]] = (),
    now: datetime,
    date_from: date,
    date_to: date,
    policy: Policy = Policy(),
    tz: ZoneInfo = ROME,
    include_full: bool = False,
) -> list[Slot]:
    """Bookable slots between ``date_from`` and ``date_to`` (local dates, inclusive), in time order.

    ``occupied`` counts the places taken per slot start by pending and approved appointments; ``holds`` are
    (slot start, expires at) of held places, which count only while not expired. A slot is bookable when it starts
    at least ``policy.min_notice`` after ``now``, on a day at most ``policy.horizon_days`` after today, on an open
    day, and has a free place (``include_full`` also returns full slots, for the operators' agenda).
    """
    now = now.astimezone(UTC)
    occupied = {start.astimezone(UTC): count for start, count in (occupied or {}).items()}
    live_holds: dict[datetime, int] = {}
    for start, expires in holds:
        if expires > now:
            start = start.astimezone(UTC)
            live_holds[start] = live_holds.get(start, 0) + 1
    today = now.astimezone(tz).date()
    first = max(date_from, today)
    last = min(date_to, today + timedelta(days=policy.horizon_days))
    earliest = now + policy.min_notice
    rules = list(rules)
    closures = list(closures)
    by_start: dict[datetime, Slot] = {}
    day = first
    while day <= last:
        if not is_closed(day, closures, policy):
            for rule in rules:
                if not rule.applies(day):
                    continue
                for start, end in day_slots(rule, day, tz):
                    if start < earliest:
                        continue
                    previous = by_start.get(start)
                    if previous is not None and previous.capacity >= rule.capacity:
                        continue  # overlapping rules: the larger capacity wins, never the sum
                    by_start[start] = Slot(start, end, rule.capacity, 0)
        day += timedelta(days=1)
    result = []
    for start in sorted(by_start):
        slot = by_start[start]
        free = slot.capacity - occupied.get(start, 0) - live_holds.get(start, 0)
        if free > 0 or include_full:
            result.append(
                Slot(slot.start.astimezone(tz), slot.end.astimezone(tz), slot.capacity, max(free, 0))
            )
    return result


def find_slot(slots: Iterable[Slot], start: datetime) -> Slot | None:
    start = start.astimezone(UTC)
    for slot in slots:
        if slot.start.astimezone(UTC) == start:
            return slot
    return None


def parse_instant(text) -> datetime | None:
    """An aware ISO 8601 instant as posted by a form (a slot's start), or None for anything else."""
    try:
        moment = datetime.fromisoformat(text or "")
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else None
