"""The choice of a room's range, shared by the citizen's page and the office's booking on behalf of an applicant:
the day, the range within the room's unit (start and end every half hour for hours and half days; one band or
run of bands for the time-band unit; the whole opening for the day unit), the category, the weekly repetition."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import pricing, services
from .models import Category, Unit

ROME = pricing.ROME
MAX_WEEKS = 60


def _hhmm(moment: datetime) -> str:
    return "24:00" if moment.time() == time(0) else moment.strftime("%H:%M")


def _time(text: str) -> time:
    return time(0) if text == "24:00" else time.fromisoformat(text)


def weekly_ranges(
    day: date, start: time, end: time, until: date | None, *, opens_at: time | None = None
) -> list[tuple[datetime, datetime]]:
    """[start, end) on ``day`` (an ``end`` of 00:00 is the midnight closing the day) and, with ``until``, on the
    same weekday of every following week up to ``until`` (at most 60 dates). ``opens_at`` is given for a room
    open after midnight: a time before it is the next morning (19:00-01:00 ends the next day)."""
    if until is not None and until < day:
        raise ValidationError(_("La data di fine ripetizione è prima del giorno scelto."))
    out = []
    week = 0
    while week < MAX_WEEKS and (week == 0 or (until is not None and day + timedelta(weeks=week) <= until)):
        current = day + timedelta(weeks=week)
        start_day = current + timedelta(days=1) if opens_at and start < opens_at else current
        end_day = current + timedelta(days=1) if end == time(0) or (opens_at and end < opens_at) else current
        out.append((datetime.combine(start_day, start, ROME), datetime.combine(end_day, end, ROME)))
        week += 1
    return out


class RangeChoiceForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Giorno"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.ChoiceField(label=gettext_lazy("Ora di inizio"))
    end = forms.ChoiceField(label=gettext_lazy("Ora di fine"))
    band = forms.ChoiceField(label=gettext_lazy("Fascia oraria"))
    category = forms.ChoiceField(label=gettext_lazy("Chi chiede la sala"), choices=Category.choices)
    repeat_until = forms.DateField(
        label=gettext_lazy("Ripeti ogni settimana fino al (facoltativo)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, room, **kwargs):
        super().__init__(*args, **kwargs)
        self.opens_at = room.opens_at if pricing.closes_next_day(room.opens_at, room.closes_at) else None
        options = pricing.choices(services.regulation(room), date(2000, 1, 3))
        if room.unit in (Unit.BAND, Unit.DAY):
            # Whole bands (or the whole day): one choice, never free times.
            del self.fields["start"], self.fields["end"]
            self.fields["band"].choices = [
                (f"{_hhmm(s)}-{_hhmm(e)}", f"{_hhmm(s)}–{_hhmm(e)}") for s, e in options
            ]
            if room.unit == Unit.DAY:
                self.fields["band"].label = gettext_lazy("Orario (intera giornata)")
        else:
            del self.fields["band"]
            starts = list(
                dict.fromkeys(_hhmm(s) for s, _e in sorted(options))
            )  # in time order, after midnight last
            ends = list(dict.fromkeys(_hhmm(e) for _s, e in sorted(options, key=lambda o: o[1])))
            self.fields["start"].choices = [(v, v) for v in starts]
            self.fields["end"].choices = [(v, v) for v in ends]
        admitted = {t.category for t in room.tariffs.all()}
        self.fields["category"].choices = [(v, label) for v, label in Category.choices if v in admitted]

    def ranges(self) -> list[tuple[datetime, datetime]]:
        data = self.cleaned_data
        start, end = data["band"].split("-") if "band" in data else (data["start"], data["end"])
        return weekly_ranges(
            data["day"], _time(start), _time(end), data.get("repeat_until"), opens_at=self.opens_at
        )
