"""Reads that matter: a calendar's published slots, from its rules, closures and reservation rows."""

from datetime import date, datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from . import availability
from .availability import ROME
from .models import Calendar, Reservation


def day_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """Aware instants of local midnight of ``date_from`` and of the day after ``date_to``."""
    return (
        availability.local_instant(date_from, datetime.min.time()),
        availability.local_instant(date_to + timedelta(days=1), datetime.min.time()),
    )


def calendar_slots(
    calendar: Calendar, *, date_from: date, date_to: date, now: datetime | None = None, include_full=False
) -> list[availability.Slot]:
    """The slots citizens may book between two local dates: three indexed queries, then the pure function."""
    now = now or timezone.now()
    begin, end = day_bounds(date_from, date_to)
    # One indexed query: taken places per start, split into confirmed ones and live-or-expired holds.
    occupied: dict[datetime, int] = {}
    holds: list[tuple[datetime, datetime]] = []
    rows = (
        Reservation.objects.filter(calendar=calendar, start__gte=begin, start__lt=end)
        .values_list("start", "hold_until")
        .annotate(n=Count("*"))
        .order_by()
    )
    for start, hold_until, n in rows:
        if hold_until is None:
            occupied[start] = n
        else:
            holds += [(start, hold_until)] * n
    return availability.free_slots(
        rules=[r.as_rule() for r in calendar.rules.all()],
        closures=[c.as_closure() for c in calendar.closures.filter(end__gte=date_from, start__lte=date_to)],
        occupied=occupied,
        holds=holds,
        now=now,
        date_from=date_from,
        date_to=date_to,
        policy=calendar.policy(),
        include_full=include_full,
    )


def office_slots(calendars, *, date_from: date, date_to: date, now: datetime | None = None):
    """The slots of one office served by several calendars (parallel agendas), merged by start.

    Returns (slots, ranked): the merged slots with summed capacity and free places, and for each start the
    calendars with a free place there, the largest share of free desks first, so bookings spread across them.
    """
    now = now or timezone.now()
    merged: dict[datetime, availability.Slot] = {}
    order: dict[datetime, list[tuple[float, int, Calendar]]] = {}
    for calendar in calendars:
        for slot in calendar_slots(calendar, date_from=date_from, date_to=date_to, now=now):
            key = slot.start.astimezone(availability.UTC)
            seen = merged.get(key)
            merged[key] = (
                slot
                if seen is None
                else availability.Slot(
                    seen.start, seen.end, seen.capacity + slot.capacity, seen.free + slot.free
                )
            )
            order.setdefault(key, []).append((slot.free / slot.capacity, slot.free, calendar))
    ranked = {
        start: [c for _share, _free, c in sorted(items, key=lambda i: (-i[0], -i[1], i[2].pk))]
        for start, items in order.items()
    }
    return [merged[start] for start in sorted(merged)], ranked


def published_slot(calendar: Calendar, start: datetime, *, now: datetime | None = None):
    """The published slot starting at ``start`` (with a free place), or None: how tampered POSTs are refused."""
    day = start.astimezone(ROME).date()
    return availability.find_slot(calendar_slots(calendar, date_from=day, date_to=day, now=now), start)


def appointment_list_for_citizen(*, user, municipality):
    from django.db.models import Q

    from sportello.applications.states import State as ApplicationState

    from .models import Appointment
    from .states import State

    awaiting_payment = Q(
        application__state__in=[ApplicationState.PAYMENT_PENDING, ApplicationState.PAYMENT_OUTCOME_PENDING]
    )
    return (
        Appointment.objects.for_municipality(municipality)
        .filter(citizen=user)
        .filter(~Q(state=State.HELD) | awaiting_payment)  # a held place being paid for is shown
        .select_related("calendar", "service", "application")
        .order_by("-start")
    )


def agenda(calendar: Calendar, *, date_from: date, date_to: date):
    """The appointments of an agenda (held ones excluded), in time order, with what the table shows."""
    from .models import Appointment
    from .states import State

    begin, end = day_bounds(date_from, date_to)
    return (
        Appointment.objects.filter(calendar=calendar, start__gte=begin, start__lt=end)
        .exclude(state=State.HELD)
        .select_related("application", "service")
        .order_by("start", "pk")
    )
