"""Italy's national public holidays (pure: no ORM). Offices are closed on them by default."""

from contextlib import suppress
from datetime import date, timedelta
from functools import lru_cache

# (month, day): Capodanno, Epifania, Liberazione, Festa del lavoro, Festa della Repubblica, Ferragosto,
# Ognissanti, Immacolata, Natale, Santo Stefano.
FIXED = ((1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (8, 15), (11, 1), (12, 8), (12, 25), (12, 26))


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher")."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=256)
def italian_holidays(year: int, patron: tuple[int, int] | None = None) -> frozenset[date]:
    """The public holidays of ``year``, Easter Sunday and Monday included, plus the patron saint's day."""
    days = {date(year, month, day) for month, day in FIXED}
    easter = easter_sunday(year)
    days |= {easter, easter + timedelta(days=1)}
    if patron:
        month, day = patron
        with suppress(ValueError):  # 29 February outside leap years
            days.add(date(year, month, day))
    return frozenset(days)
