"""Reads on rooms: public lists, the calendar of free and taken times (no personal data), the office's lists,
the export rows and the usage statistics."""

import calendar as monthcal
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from . import availability, pricing
from .models import Room, RoomBooking, RoomOccupancy
from .services import is_holiday, regulation
from .states import ACTIVE, State

ROME = pricing.ROME


def public_rooms(municipality):
    return (
        Room.objects.for_municipality(municipality)
        .filter(published=True)
        .select_related("service")
        .prefetch_related("tariffs")
    )


def rooms_bound(service) -> bool:
    """Whether the catalogue ``service`` is a rooms service with published rooms bound to it: then its
    "Accedi al servizio" leads to the rooms instead of a form."""
    return service.kind == "room" and Room.objects.filter(service=service, published=True).exists()


@dataclass(frozen=True)
class Taken:
    start: datetime
    end: datetime
    reserved: bool  # the municipality's own use
    label: str  # never a person's data: "Occupato", or the reserved period's reason (e.g. Consiglio comunale)


@dataclass(frozen=True)
class Day:
    day: date
    open: bool
    opens: str
    closes: str
    taken: list[Taken]
    status: str = availability.FREE  # closed | free | partly | full (availability.day_status)
    bookable: bool = True  # open and inside the citizens' notice window (the office books outside it too)

    @property
    def taken_minutes(self) -> int:
        return sum(int((t.end - t.start).total_seconds() // 60) for t in self.taken)


def _occupied(room, start, end):
    return list(
        RoomOccupancy.objects.filter(room=room, active=True, start__lt=end, end__gt=start).order_by("start")
    )


def room_days(room, first: date, last: date, *, taken_label: str, today: date | None = None) -> list[Day]:
    """Each day of [first, last] with the room's opening and its taken ranges (public: no personal data)."""
    rules = regulation(room)
    today = today or timezone.localdate()
    window = (today + timedelta(days=rules.min_notice_days), today + timedelta(days=rules.max_notice_days))
    begin = datetime.combine(first, datetime.min.time(), ROME)
    finish = datetime.combine(last + timedelta(days=1), datetime.min.time(), ROME)
    by_day = defaultdict(list)
    for occupancy in _occupied(room, begin, finish):
        day = occupancy.start.astimezone(ROME).date()
        by_day[day].append(
            Taken(
                occupancy.start, occupancy.end, occupancy.booking_id is None, occupancy.reason or taken_label
            )
        )
    days = []
    current = first
    while current <= last:
        is_open = (
            current.weekday() in rules.weekdays
            and not (rules.holidays_closed and is_holiday(current))
            and not any(a <= current <= b for a, b in rules.closures)
        )
        taken = by_day.get(current, [])
        status = availability.day_status(
            is_open=is_open,
            offered=pricing.choices(rules, current) if is_open else (),
            taken=[(t.start, t.end) for t in taken],
        )
        days.append(
            Day(
                current,
                is_open,
                rules.opens_at.strftime("%H:%M"),
                rules.closes_at.strftime("%H:%M"),
                taken,
                status,
                is_open and window[0] <= current <= window[1],
            )
        )
        current += timedelta(days=1)
    return days


def month_weeks(room, year: int, month: int, *, taken_label: str) -> list[list[Day | None]]:
    first = date(year, month, 1)
    last = date(year, month, monthcal.monthrange(year, month)[1])
    days = {d.day: d for d in room_days(room, first, last, taken_label=taken_label)}
    return [
        [days.get(day) if day.month == month else None for day in week]
        for week in monthcal.Calendar().monthdatescalendar(year, month)
    ]


def free_choices(room, day: date, *, now=None):
    """The ranges of ``day`` the unit allows that do not overlap a taken range (for the choice form)."""
    rules = regulation(room)
    now = now or timezone.now()
    taken = _occupied(  # to the second midnight: a room open 19:00-01:00 offers ranges ending the next day
        room,
        datetime.combine(day, datetime.min.time(), ROME),
        datetime.combine(day + timedelta(days=2), datetime.min.time(), ROME),
    )
    out = []
    for start, end in pricing.choices(rules, day):
        if any(o.start < end and start < o.end for o in taken):
            continue
        if pricing.check_range(rules, start, end, now=now, holidays=is_holiday):
            continue
        out.append((start, end))
    return out


def citizen_bookings(user, municipality):
    return (
        RoomBooking.objects.for_municipality(municipality)
        .filter(citizen=user)
        .exclude(state=State.EXPIRED)
        .select_related("room", "fee_payment", "deposit_payment")
        .prefetch_related("occupancies")
        .order_by("-first_start")
    )


def office_bookings(rooms, *, state=None):
    bookings = (
        RoomBooking.objects.filter(room__in=rooms)
        .select_related("room", "citizen", "fee_payment", "deposit_payment")
        .prefetch_related("occupancies")
    )
    if state:
        bookings = bookings.filter(state=state)
    return bookings.order_by("first_start")


def office_occupancies(room, start, end):
    return (
        RoomOccupancy.objects.filter(room=room, active=True, start__lt=end, end__gt=start)
        .select_related("booking")
        .order_by("start")
    )


def export_rows(rooms, date_from: date, date_to: date):
    """One row per booked range, for the CSV export."""
    begin = datetime.combine(date_from, datetime.min.time(), ROME)
    finish = datetime.combine(date_to + timedelta(days=1), datetime.min.time(), ROME)
    return (
        RoomOccupancy.objects.filter(room__in=rooms, start__lt=finish, end__gt=begin)
        .filter(Q(booking__isnull=True, active=True) | Q(booking__isnull=False))
        .exclude(booking__state=State.EXPIRED)
        .select_related("room", "booking", "booking__fee_payment", "booking__deposit_payment")
        .order_by("room__name", "start")
    )


def usage_stats(rooms, date_from: date, date_to: date):
    """Per room: hours booked (confirmed), revenue (fees paid) and the same per applicant category."""
    from sportello.payments.models import Status

    stats = {
        room.pk: {
            "room": room,
            "hours": 0.0,
            "revenue": 0,
            "bookings": 0,
            "reserved_hours": 0.0,
            "categories": defaultdict(lambda: {"hours": 0.0, "revenue": 0, "bookings": 0}),
        }
        for room in rooms
    }
    begin = datetime.combine(date_from, datetime.min.time(), ROME)
    finish = datetime.combine(date_to + timedelta(days=1), datetime.min.time(), ROME)
    occupancies = RoomOccupancy.objects.filter(
        room__in=rooms, active=True, start__lt=finish, start__gte=begin
    ).select_related("booking__fee_payment")
    counted = set()
    for occupancy in occupancies:
        entry = stats[occupancy.room_id]
        hours = (occupancy.end - occupancy.start).total_seconds() / 3600
        booking = occupancy.booking
        if booking is None:
            entry["reserved_hours"] += hours
            continue
        if booking.state != State.CONFIRMED:
            continue
        category = entry["categories"][booking.get_category_display()]
        entry["hours"] += hours
        category["hours"] += hours
        if booking.pk not in counted:
            counted.add(booking.pk)
            entry["bookings"] += 1
            category["bookings"] += 1
            if booking.fee_payment is not None and booking.fee_payment.status == Status.PAID:
                fee = booking.fee_payment.paid_cents or booking.fee_payment.amount_cents
                entry["revenue"] += fee
                category["revenue"] += fee
    for entry in stats.values():
        entry["categories"] = dict(entry["categories"])
    return list(stats.values())


# --- for the REST API (api/views/rooms.py) ---


def free_ranges(day: Day) -> list[tuple[datetime, datetime]]:
    """The parts of an open ``day``'s opening hours (Rome time) that no taken range covers (pure)."""
    if not day.open:
        return []
    cursor = datetime.combine(day.day, time.fromisoformat(day.opens), ROME)
    closes = datetime.combine(day.day, time.fromisoformat(day.closes), ROME)
    free = []
    for taken in sorted(day.taken, key=lambda t: t.start):
        start, end = taken.start.astimezone(ROME), taken.end.astimezone(ROME)
        if start > cursor:
            free.append((cursor, min(start, closes)))
        cursor = max(cursor, end)
        if cursor >= closes:
            break
    if cursor < closes:
        free.append((cursor, closes))
    return [(start, end) for start, end in free if start < end]


def office_room_bookings(rooms):
    """The bookings of ``rooms`` the office deals with (requests onwards; a hold being filled in, or one that
    expired unsent, was never a request), with what their detail shows."""
    return (
        RoomBooking.objects.filter(room__in=rooms)
        .exclude(state__in=(State.HELD, State.EXPIRED))
        .select_related("room", "fee_payment", "deposit_payment")
    )


def bookings_in_period(bookings, *, start: datetime | None = None, end: datetime | None = None):
    """The bookings with at least one of their dates overlapping [start, end) (either bound may be open)."""
    from django.db.models import Exists, OuterRef

    dates = RoomOccupancy.objects.filter(booking=OuterRef("pk"))
    if start is not None:
        dates = dates.filter(end__gt=start)
    if end is not None:
        dates = dates.filter(start__lt=end)
    return bookings.filter(Exists(dates))


__all__ = ["ACTIVE"]
