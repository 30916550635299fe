"""The price of a room booking and the refund of a cancellation (pure: plain values in, explained lines out).

Tariffs are data: a rate per unit for each applicant category, optionally per season (a season may wrap the year,
e.g. winter with heating 15 October - 15 April), a surcharge on Saturdays, Sundays and public holidays, a minimum
charge per date, and a deposit ("cauzione") paid separately. Patronage makes the fee free (the deposit stays);
election mode (L. 515/1993) makes fee and deposit free for parties and candidates on the dates it covers.
A category without any rate cannot book the room (``NotAdmitted``). Amounts are integer cents; percentages are
rounded half up to the cent.
"""

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

ROME = ZoneInfo("Europe/Rome")
HOUR, HALF_DAY, BAND, DAY = "hour", "half_day", "band", "day"
PARTY = "political_party"


class NotAdmitted(ValueError):
    """This applicant category has no tariff for the room: it cannot book it."""


@dataclass(frozen=True)
class Season:
    name: str
    start: tuple[int, int]  # (month, day), inclusive
    end: tuple[int, int]  # (month, day), inclusive; before ``start`` when the season wraps the year

    def contains(self, day: date) -> bool:
        key = (day.month, day.day)
        if self.start <= self.end:
            return self.start <= key <= self.end
        return key >= self.start or key <= self.end


@dataclass(frozen=True)
class Tariffs:
    unit: str
    rates: Mapping[tuple[str, str | None], int]  # (category, season name or None) -> cents per unit
    seasons: tuple[Season, ...] = ()
    weekend_surcharge_percent: int = 0
    minimum_cents: int = 0
    deposit_cents: int = 0
    bands: tuple[tuple[time, time], ...] = ()


@dataclass(frozen=True)
class Line:
    kind: str  # fee | surcharge | minimum | discount | deposit
    label: str
    amount_cents: int  # negative for discounts
    quantity: int | None = None
    unit_cents: int | None = None


@dataclass(frozen=True)
class Quote:
    lines: tuple[Line, ...]
    fee_cents: int
    deposit_cents: int
    free_reason: str = ""  # "patronage" | "election" | ""

    @property
    def total_cents(self) -> int:
        return self.fee_cents + self.deposit_cents

    def as_json(self) -> dict:
        return {
            "lines": [asdict(line) for line in self.lines],
            "fee_cents": self.fee_cents,
            "deposit_cents": self.deposit_cents,
            "free_reason": self.free_reason,
        }


def percent(amount_cents: int, pct: int) -> int:
    """``pct`` percent of an amount, rounded half up to the cent."""
    return (amount_cents * pct + 50) // 100


def euro(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole:,}".replace(",", ".") + f",{rest:02d} €"


def _minutes(start: datetime, end: datetime) -> int:
    # Through UTC: subtracting two datetimes of one zone is wall-clock arithmetic in Python.
    return int((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() // 60)


def _local(moment: datetime) -> datetime:
    return moment.astimezone(ROME)


def _clock(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _position(moment: datetime, day: date) -> int:
    """Wall-clock minutes of ``moment`` (Rome) from the midnight starting ``day``: 25:00 is 01:00 the next
    morning whatever the DST change of that night (the opening hours are wall-clock hours)."""
    local = _local(moment)
    return (local.date() - day).days * 1440 + _clock(local.time())


def _span(start: time, end: time) -> tuple[int, int]:
    """A band or an opening as wall-clock minutes from the day's midnight: an end not after the start is the next
    morning (00:00 is the midnight closing the day, 01:00 after 19:00 is 01:00 the next day)."""
    begin, finish = _clock(start), _clock(end)
    return begin, finish + 1440 if finish <= begin else finish


def closes_next_day(opens_at: time, closes_at: time) -> bool:
    """The room's opening ends after midnight (its closing time is earlier than its opening time)."""
    return closes_at != time(0) and closes_at < opens_at


def _exists(moment: datetime) -> bool:
    """False for a wall-clock time skipped by the change to summer time (02:30 on the last Sunday of March)."""
    return _local(moment.astimezone(UTC)).replace(tzinfo=None) == moment.replace(tzinfo=None)


def _wall(day: date, position: int) -> datetime:
    return datetime.combine(
        day + timedelta(days=position // 1440), time(position % 1440 // 60, position % 60), ROME
    )


def units(unit: str, start: datetime, end: datetime, bands: tuple[tuple[time, time], ...] = ()) -> int:
    """How many units [start, end) counts: hours and half days (4 h) started, bands touched, 1 per day."""
    if _minutes(start, end) <= 0:
        raise ValueError("empty range")
    minutes = _minutes(start, end)  # real minutes: a DST night counts its real length
    if unit == HOUR:
        return math.ceil(minutes / 60)
    if unit == HALF_DAY:
        return math.ceil(minutes / 240)
    if unit == DAY:
        return 1
    if unit == BAND:
        day = _local(start).date()
        begin, finish = _position(start, day), _position(end, day)
        spans = [_span(b_start, b_end) for b_start, b_end in bands]
        return sum(1 for b_start, b_end in spans if b_start < finish and begin < b_end) or 1
    raise ValueError(f"unknown unit {unit}")


def unit_label(unit: str, quantity: int) -> str:
    labels = {
        HOUR: (_("ora"), _("ore")),
        HALF_DAY: (_("mezza giornata"), _("mezze giornate")),
        BAND: (_("fascia"), _("fasce")),
        DAY: (_("giornata"), _("giornate")),
    }[unit]
    return labels[0] if quantity == 1 else labels[1]


def _rate(tariffs: Tariffs, category: str, day: date) -> tuple[int, str | None]:
    for season in tariffs.seasons:
        if season.contains(day) and (category, season.name) in tariffs.rates:
            return tariffs.rates[(category, season.name)], season.name
    if (category, None) in tariffs.rates:
        return tariffs.rates[(category, None)], None
    raise NotAdmitted(category)


def is_weekend_or_holiday(day: date, holidays: Callable[[date], bool]) -> bool:
    return day.weekday() >= 5 or holidays(day)


def quote(
    tariffs: Tariffs,
    *,
    category: str,
    ranges: list[tuple[datetime, datetime]],
    holidays: Callable[[date], bool] = lambda day: False,
    patronage: bool = False,
    election: Callable[[date], bool] = lambda day: False,
) -> Quote:
    """The explained price of booking ``ranges`` (each within one local day) for ``category``."""
    if not ranges:
        raise ValueError("no ranges")
    lines: list[Line] = []
    fee = 0
    election_days = 0
    for start, end in sorted(ranges):
        day = _local(start).date()
        rate, season = _rate(tariffs, category, day)
        quantity = units(tariffs.unit, start, end, tariffs.bands)
        base = quantity * rate
        label = _("%(day)s, %(from)s-%(to)s: %(n)s %(unit)s × %(rate)s") % {
            "day": day.strftime("%d/%m/%Y"),
            "from": _local(start).strftime("%H:%M"),
            "to": _local(end).strftime("%H:%M"),
            "n": quantity,
            "unit": unit_label(tariffs.unit, quantity),
            "rate": euro(rate),
        }
        if season:
            label += " " + _("(tariffa %(season)s)") % {"season": season}
        lines.append(Line("fee", label, base, quantity, rate))
        day_total = base
        if tariffs.weekend_surcharge_percent and base and is_weekend_or_holiday(day, holidays):
            surcharge = percent(base, tariffs.weekend_surcharge_percent)
            lines.append(
                Line(
                    "surcharge",
                    _("Maggiorazione sabato, domenica e festivi (%(pct)s%%) del %(day)s")
                    % {"pct": tariffs.weekend_surcharge_percent, "day": day.strftime("%d/%m/%Y")},
                    surcharge,
                )
            )
            day_total += surcharge
        if 0 < day_total < tariffs.minimum_cents:
            lines.append(
                Line(
                    "minimum",
                    _("Adeguamento all'importo minimo di %(min)s del %(day)s")
                    % {"min": euro(tariffs.minimum_cents), "day": day.strftime("%d/%m/%Y")},
                    tariffs.minimum_cents - day_total,
                )
            )
            day_total = tariffs.minimum_cents
        if category == PARTY and election(day):
            election_days += 1
            if day_total:
                lines.append(
                    Line(
                        "discount",
                        _("Modalità elettorale (L. 515/1993): gratuito per partiti e candidati il %(day)s")
                        % {"day": day.strftime("%d/%m/%Y")},
                        -day_total,
                    )
                )
            day_total = 0
        fee += day_total
    free_reason = ""
    if election_days == len(ranges):
        free_reason = "election"
    if patronage and fee:
        lines.append(Line("discount", _("Patrocinio del Comune: tariffa non dovuta"), -fee))
        fee = 0
        free_reason = free_reason or "patronage"
    elif patronage:
        free_reason = free_reason or "patronage"
    deposit = 0 if free_reason == "election" else tariffs.deposit_cents
    if deposit:
        lines.append(
            Line("deposit", _("Cauzione (pagamento separato, restituita dopo la verifica)"), deposit)
        )
    return Quote(tuple(lines), fee, deposit, free_reason)


@dataclass(frozen=True)
class Refund:
    cents: int
    explanation: str


def refund(
    *, paid_cents: int, start: datetime, now: datetime, full_refund_days: int, late_refund_percent: int
) -> Refund:
    """The regulation's refund of a cancelled booking: all of it up to ``full_refund_days`` before the start,
    ``late_refund_percent`` later, nothing once the use has begun."""
    if paid_cents == 0:
        return Refund(0, _("Nessun importo pagato: nulla da rimborsare."))
    if now <= start - timedelta(days=full_refund_days):
        return Refund(
            paid_cents,
            _("Annullata almeno %(days)s giorni prima: rimborso totale di %(amount)s.")
            % {"days": full_refund_days, "amount": euro(paid_cents)},
        )
    if now < start:
        cents = percent(paid_cents, late_refund_percent)
        return Refund(
            cents,
            _("Annullata meno di %(days)s giorni prima: rimborso del %(pct)s%%, %(amount)s.")
            % {"days": full_refund_days, "pct": late_refund_percent, "amount": euro(cents)},
        )
    return Refund(0, _("Annullata dopo l'inizio dell'uso: nessun rimborso."))


@dataclass(frozen=True)
class Regulation:
    """What the room's regulation says about when and how long (for ``check_range``)."""

    unit: str
    weekdays: frozenset[int]
    opens_at: time
    closes_at: time
    min_units: int = 1
    max_units: int = 8
    min_notice_days: int = 0
    max_notice_days: int = 365
    bands: tuple[tuple[time, time], ...] = ()
    closures: tuple[tuple[date, date], ...] = field(default_factory=tuple)
    holidays_closed: bool = True


def check_range(
    regulation: Regulation,
    start: datetime,
    end: datetime,
    *,
    now: datetime,
    holidays: Callable[[date], bool],
    notice: bool = True,
) -> list[str]:
    """The reasons (Italian, for the citizen) why the regulation refuses [start, end); empty when it is fine.

    ``notice=False`` (the office booking at the desk or by phone) skips the minimum and maximum notice; a range
    that has already begun is refused to everyone; every other rule applies."""
    errors: list[str] = []
    if end <= start:
        return [_("L'orario di fine deve essere dopo quello di inizio.")]
    if not (_exists(start) and _exists(end)):
        return [
            _("Quest'ora non esiste: nella notte del cambio all'ora legale si passa dalle 02:00 alle 03:00.")
        ]
    local_start, local_end = _local(start), _local(end)
    day = local_start.date()
    # Positions in wall-clock minutes from the day's midnight: a room open 19:00-01:00 closes at 25:00.
    opens, closes = _span(regulation.opens_at, regulation.closes_at)
    begin, finish = _position(start, day), _position(end, day)
    if finish > max(closes, 1440):
        errors.append(_("Una prenotazione sta in un solo giorno: per più giorni usa le date ripetute."))
    if day.weekday() not in regulation.weekdays:
        errors.append(_("La sala non si prenota in questo giorno della settimana."))
    if regulation.holidays_closed and holidays(day):
        errors.append(_("La sala è chiusa nei giorni festivi."))
    if any(c_start <= day <= c_end for c_start, c_end in regulation.closures):
        errors.append(_("La sala è chiusa in questa data."))
    if begin < opens or finish > closes:
        errors.append(
            _("La sala è prenotabile dalle %(opens)s alle %(closes)s.")
            % {
                "opens": regulation.opens_at.strftime("%H:%M"),
                "closes": regulation.closes_at.strftime("%H:%M"),
            }
        )
    if regulation.unit == BAND:
        starts = {b[0] for b in regulation.bands}
        ends = {b[1] for b in regulation.bands}
        if local_start.time() not in starts or local_end.time().replace(second=0) not in ends:
            errors.append(_("Scegli fasce orarie intere."))
    elif regulation.unit == DAY:
        if local_start.time() != regulation.opens_at or local_end.time() != regulation.closes_at:
            errors.append(_("La sala si prenota per l'intera giornata."))
    elif local_start.minute % 30 or local_end.minute % 30 or local_start.second or local_end.second:
        errors.append(_("Gli orari vanno scelti a mezz'ora."))
    count = units(regulation.unit, start, end, regulation.bands)
    if count < regulation.min_units or count > regulation.max_units:
        errors.append(
            _("La durata deve essere tra %(min)s e %(max)s %(unit)s.")
            % {
                "min": regulation.min_units,
                "max": regulation.max_units,
                "unit": unit_label(regulation.unit, regulation.max_units),
            }
        )
    if start < now:  # whatever the notice (0 days, or the office at the desk)
        errors.append(_("L'orario scelto è già iniziato o passato."))
    if not notice:
        return errors
    today = _local(now).date()
    if day < today + timedelta(days=regulation.min_notice_days):
        errors.append(
            _("Serve un preavviso di almeno %(days)s giorni.") % {"days": regulation.min_notice_days}
        )
    if day > today + timedelta(days=regulation.max_notice_days):
        errors.append(
            _("Si prenota al massimo %(days)s giorni prima.") % {"days": regulation.max_notice_days}
        )
    return errors


def choices(regulation: Regulation, day: date) -> list[tuple[datetime, datetime]]:
    """The ranges offered on ``day`` by the unit: every half hour for hours and half days (start/end lists are
    built from these), contiguous bands for bands, the whole opening for a day."""

    def until(start: time, moment: time) -> datetime:
        if moment == time(23, 59):
            return _wall(day, 1440)
        return _wall(day, _span(start, moment)[1])

    if regulation.unit == DAY:
        return [(_wall(day, _clock(regulation.opens_at)), until(regulation.opens_at, regulation.closes_at))]
    if regulation.unit == BAND:
        bands = sorted(regulation.bands)
        out = []
        for i in range(len(bands)):
            for j in range(i, min(len(bands), i + regulation.max_units)):
                if j - i + 1 >= regulation.min_units:
                    out.append((_wall(day, _clock(bands[i][0])), until(*bands[j])))
        return out
    step = timedelta(minutes=30)
    opens, closes = _wall(day, _clock(regulation.opens_at)), until(regulation.opens_at, regulation.closes_at)
    out = []
    start = opens
    while start < closes:
        end = start + step
        while end <= closes:
            if not (_exists(start) and _exists(end)):  # the hour skipped by the change to summer time
                end += step
                continue
            n = units(regulation.unit, start, end)
            if regulation.min_units <= n <= regulation.max_units:
                out.append((start, end))
            end += step
        start += step
    return out
