"""How taken a room's day is, for the month view (pure: no ORM).

A day is ``closed`` (not bookable: weekday, holiday, closure), ``free`` (nothing taken within its opening),
``full`` (no range the regulation offers -- unit, minimum duration, opening hours -- is left free by the
bookings and the municipality's reserved periods) or ``partly`` taken.
"""

from collections.abc import Sequence
from datetime import datetime

CLOSED, FREE, PARTLY, FULL = "closed", "free", "partly", "full"

Range = tuple[datetime, datetime]


def _overlap(a: Range, b: Range) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def day_status(*, is_open: bool, offered: Sequence[Range], taken: Sequence[Range]) -> str:
    """``offered``: the ranges the regulation offers that day (``pricing.choices``: every allowed start and
    length, at least the minimum duration); ``taken``: the day's occupied ranges [start, end)."""
    if not is_open or not offered:
        return CLOSED
    opening = (min(start for start, _end in offered), max(end for _start, end in offered))
    inside = [t for t in taken if _overlap(t, opening)]
    if not inside:
        return FREE
    if any(not any(_overlap(choice, t) for t in inside) for choice in offered):
        return PARTLY
    return FULL
