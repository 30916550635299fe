"""Public JSON API (read-only, no personal data).

``GET /api/v1/<slug>/calendars/<id>/availability?from=YYYY-MM-DD&to=YYYY-MM-DD`` -> 200::

    {"calendar": {"id": 3, "title": "...", "office": "...", "address": "...", "timezone": "Europe/Rome"},
     "from": "2027-01-11", "to": "2027-01-17",
     "slots": [{"start": "2027-01-11T09:00:00+01:00", "end": "2027-01-11T09:15:00+01:00",
                "capacity": 2, "available": 1}, ...]}

Only slots with a free place are listed. Errors: 400 problem+json with its ``detail`` for bad dates or a range longer than
``MAX_DAYS``; 404 for an unknown calendar or one that serves no public service. Cached by clients and proxies for
``MAX_AGE`` seconds.
"""

from datetime import date

from django.http import Http404, JsonResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sportello.catalog.models import Service
from sportello.scheduling.models import Calendar
from sportello.scheduling.selectors import calendar_slots

from ..problems import problem

MAX_DAYS = 92
MAX_AGE = 30


def _error(message: str):
    return problem(400, message)  # application/problem+json, like the rest of the API


@require_safe
def calendar_availability(request, calendar_id: int):
    calendar = (
        Calendar.objects.for_municipality(request.municipality)
        .filter(pk=calendar_id, services__in=Service.objects.listed())
        .distinct()
        .first()
    )
    if calendar is None:
        raise Http404("No such public calendar")
    try:
        date_from = date.fromisoformat(request.GET.get("from", ""))
        date_to = date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        return _error(_("Indica le date nei parametri from e to nel formato AAAA-MM-GG."))
    if date_to < date_from:
        return _error(_("La data to non può precedere la data from."))
    if (date_to - date_from).days >= MAX_DAYS:
        return _error(_("L'intervallo può essere al massimo di %(days)s giorni.") % {"days": MAX_DAYS})
    slots = calendar_slots(calendar, date_from=date_from, date_to=date_to)
    response = JsonResponse(
        {
            "calendar": {
                "id": calendar.pk,
                "title": calendar.title,
                "office": calendar.office_name,
                "address": calendar.address,
                "timezone": "Europe/Rome",
            },
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "slots": [
                {
                    "start": s.start.isoformat(),
                    "end": s.end.isoformat(),
                    "capacity": s.capacity,
                    "available": s.free,
                }
                for s in slots
            ],
        }
    )
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def calendar_feed(request, secret: str):
    """The office's private agenda as iCalendar, at a secret address the office can regenerate."""
    from datetime import timedelta

    from django.http import HttpResponse
    from django.utils import timezone

    from sportello.scheduling import ics
    from sportello.scheduling.models import Appointment
    from sportello.scheduling.states import State

    calendar = Calendar.objects.for_municipality(request.municipality).filter(feed_secret=secret).first()
    if calendar is None:
        raise Http404("No such feed")
    now = timezone.now()
    appointments = Appointment.objects.filter(
        calendar=calendar,
        state__in=[State.PENDING, State.APPROVED, State.DONE, State.MISSED],
        start__gte=now - timedelta(days=30),
        start__lte=now + timedelta(days=calendar.horizon_days + 1),
    ).select_related("service")
    events = [
        ics.Event(
            uid=f"{a.uid}@sportello",
            sequence=a.sequence,
            start=a.start,
            end=a.end,
            summary=f"{a.last_name} {a.first_name}".strip() + (f" – {a.reason}" if a.reason else ""),
            location=calendar.address,
            description=a.get_state_display(),
        )
        for a in appointments
    ]
    response = HttpResponse(ics.render(events, name=calendar.title, stamp=now), content_type="text/calendar")
    response["Cache-Control"] = "private, no-store"  # personal data
    return response


urlpatterns = [
    path("calendars/<int:calendar_id>/availability", calendar_availability, name="calendar_availability"),
    path("calendars/feed/<str:secret>.ics", calendar_feed, name="calendar_feed"),
]
