"""Calendars: the public list and card of the calendars that serve a listed service, their availability, and
the office's private ICS feed behind a secret address.

``GET /api/v1/<slug>/calendars/<id>/availability?from=YYYY-MM-DD&to=YYYY-MM-DD`` -> 200::

    {"calendar": {"id": 3, "title": "...", "office": "...", "address": "...", "timezone": "Europe/Rome"},
     "from": "2027-01-11", "to": "2027-01-17",
     "slots": [{"start": "2027-01-11T09:00:00+01:00", "end": "2027-01-11T09:15:00+01:00",
                "capacity": 2, "available": 1}, ...]}

Only slots with a free place are listed. Errors: 400 problem+json with its ``detail`` for bad dates or a range
longer than ``MAX_DAYS``; 404 for an unknown calendar or one that serves no public service. Cached by clients and
proxies for ``MAX_AGE`` seconds; no personal data.
"""

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from sportello.catalog.models import Service
from sportello.scheduling.models import Calendar
from sportello.scheduling.selectors import calendar_slots

from ..pagination import Cursor
from ..serializers import AVAILABILITY_SCHEMA, CalendarDetailSerializer, CalendarSerializer
from .base import PublicView, period

MAX_DAYS = 92
MAX_AGE = 30


def public_calendars(municipality):
    """The municipality's calendars that serve at least one publicly listed service."""
    listed = Service.objects.listed()
    return (
        Calendar.objects.for_municipality(municipality)
        .filter(pk__in=Calendar.objects.filter(services__in=listed).values("pk"))
        .prefetch_related(Prefetch("services", queryset=listed.only("pk", "slug"), to_attr="public_services"))
    )


class CalendarList(PublicView, ListAPIView):
    serializer_class = CalendarSerializer
    pagination_class = Cursor
    cursor_ordering = ("id",)

    def get_queryset(self):
        return public_calendars(self.request._request.municipality)

    @extend_schema(
        operation_id="calendars_list",
        description="Gli uffici prenotabili dell'ente (pubblico, senza token) con i servizi che servono.",
        summary="Calendari dell'ente",
        tags=["calendari"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CalendarDetail(PublicView):
    @extend_schema(
        operation_id="calendars_retrieve",
        description="La scheda di un calendario: ufficio, indirizzo, regole di prenotazione (pubblico).",
        summary="Un calendario",
        responses={200: CalendarDetailSerializer},
        tags=["calendari"],
    )
    def get(self, request, calendar_id: int):
        calendar = public_calendars(request._request.municipality).filter(pk=calendar_id).first()
        if calendar is None:
            raise Http404
        return Response(CalendarDetailSerializer(calendar).data)


class CalendarAvailability(PublicView):
    cache_control = f"public, max-age={MAX_AGE}"

    @extend_schema(
        operation_id="calendars_availability",
        description=f"Gli orari con posti liberi tra due giorni (al massimo {MAX_DAYS}), ora di Roma; pubblico, "
        f"senza dati personali, in cache per {MAX_AGE} secondi.",
        summary="Disponibilità di un calendario",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="Dal giorno (compreso)."),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True, description="Al giorno (compreso)."),
        ],
        responses={200: OpenApiResponse(AVAILABILITY_SCHEMA, description="Gli orari liberi.")},
        tags=["calendari"],
    )
    def get(self, request, calendar_id: int):
        calendar = public_calendars(request._request.municipality).filter(pk=calendar_id).first()
        if calendar is None:
            raise Http404
        date_from, date_to = period(request.query_params, max_days=MAX_DAYS)
        slots = calendar_slots(calendar, date_from=date_from, date_to=date_to)
        response = Response(
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
        response["Access-Control-Allow-Origin"] = "*"
        return response


class ICalendarRenderer(renderers.BaseRenderer):
    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class CalendarFeed(PublicView):
    """The office's private agenda as iCalendar, at a secret address the office can regenerate."""

    renderer_classes = [ICalendarRenderer]
    cache_control = "private, no-store"  # personal data

    def perform_content_negotiation(self, request, force=False):
        return ICalendarRenderer(), ICalendarRenderer.media_type  # calendar clients send all sorts of Accept

    # Not in the OpenAPI document: the guidelines forbid credentials in a URL (RAC_GEN_004), and a calendar
    # application can only subscribe to a URL, so this secret address is for calendar apps, not integrations.
    @extend_schema(exclude=True)
    def get(self, request, secret: str):
        from datetime import timedelta

        from sportello.scheduling import ics
        from sportello.scheduling.models import Appointment
        from sportello.scheduling.states import State

        calendar = (
            Calendar.objects.for_municipality(request._request.municipality)
            .filter(feed_secret=secret)
            .first()
        )
        if calendar is None:
            raise Http404
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
        return HttpResponse(ics.render(events, name=calendar.title, stamp=now), content_type="text/calendar")


urlpatterns = [
    path("calendars", CalendarList.as_view(), name="calendar_list"),
    path("calendars/<int:calendar_id>", CalendarDetail.as_view(), name="calendar_detail"),
    path(
        "calendars/<int:calendar_id>/availability",
        CalendarAvailability.as_view(),
        name="calendar_availability",
    ),
    path("calendars/feed/<str:secret>.ics", CalendarFeed.as_view(), name="calendar_feed"),
]
