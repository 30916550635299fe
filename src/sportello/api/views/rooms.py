"""Municipal rooms: the public list, card and availability of the published rooms (no personal data), and for
staff the room bookings with the office's actions (approve with optional patronage, refuse, cancel).

Who sees which bookings is the back office's rule (``Room.objects.managed_by``: administrators every room,
coordinators their own); every write goes through ``rooms.services``, which owns the transaction, the room lock
and the overlap re-check on approval.

``GET /api/v1/<slug>/rooms/<id>/availability?from=YYYY-MM-DD&to=YYYY-MM-DD`` gives each day as the citizen page
shows it: open or not, opening hours, the taken ranges ("Occupato", or the reason of the municipality's own use)
and the free ranges between them.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from sportello.integrations.models import Scope
from sportello.rooms import selectors as rooms_selectors
from sportello.rooms import services as rooms
from sportello.rooms import states
from sportello.rooms.models import Room
from sportello.rooms.states import Actor

from ..idempotency import PARAMETER as IDEMPOTENCY_KEY
from ..idempotency import idempotent
from ..pagination import Cursor
from ..problems import problem, validation_error
from ..serializers import (
    ROOM_AVAILABILITY_SCHEMA,
    ROOM_BOOKING_TRANSITIONS,
    RoomBookingDetailSerializer,
    RoomBookingFiltersSerializer,
    RoomBookingSerializer,
    RoomBookingTransitionRequestSerializer,
    RoomDetailSerializer,
    RoomSerializer,
    TransitionListSerializer,
)
from .base import ApiView, PublicView, day_end, day_start, period

MAX_DAYS = 92
MAX_AGE = 30
SCOPES = {"GET": Scope.ROOMS_READ, "POST": Scope.ROOMS_WRITE}


def _public(request):
    return rooms_selectors.public_rooms(request._request.municipality)


def _public_room(request, room_id) -> Room:
    room = _public(request).filter(pk=room_id).first()
    if room is None:
        raise Http404
    return room


class RoomList(PublicView, ListAPIView):
    serializer_class = RoomSerializer
    pagination_class = Cursor
    cursor_ordering = ("id",)

    def get_queryset(self):
        return _public(self.request)

    @extend_schema(
        operation_id="rooms_list",
        description="Le sale comunali prenotabili dell'ente (pubblico, senza token).",
        summary="Sale comunali",
        tags=["sale"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RoomDetail(PublicView):
    @extend_schema(
        operation_id="rooms_retrieve",
        description="La scheda di una sala: capienza, dotazioni, unità di prenotazione, regole del "
        "regolamento, tariffe per categoria e stagione, chiusure (pubblico).",
        summary="Una sala",
        responses={200: RoomDetailSerializer},
        tags=["sale"],
    )
    def get(self, request, room_id: int):
        room = _public(request).prefetch_related("tariffs__season", "seasons", "closures").filter(pk=room_id)
        if not room:
            raise Http404
        return Response(RoomDetailSerializer(room[0]).data)


class RoomAvailability(PublicView):
    cache_control = f"public, max-age={MAX_AGE}"

    @extend_schema(
        operation_id="rooms_availability",
        description=f"Ogni giorno tra due date (al massimo {MAX_DAYS}), ora di Roma: se la sala è aperta, gli "
        f"orari occupati e quelli liberi, come nella pagina del cittadino; pubblico, senza dati personali, in "
        f"cache per {MAX_AGE} secondi.",
        summary="Disponibilità di una sala",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="Dal giorno (compreso)."),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True, description="Al giorno (compreso)."),
        ],
        responses={200: OpenApiResponse(ROOM_AVAILABILITY_SCHEMA, description="I giorni della sala.")},
        tags=["sale"],
    )
    def get(self, request, room_id: int):
        room = _public_room(request, room_id)
        date_from, date_to = period(request.query_params, max_days=MAX_DAYS)
        days = rooms_selectors.room_days(room, date_from, date_to, taken_label=_("Occupato"))
        return Response(
            {
                "room": {"id": room.pk, "name": room.name, "timezone": "Europe/Rome"},
                "from": date_from.isoformat(),
                "to": date_to.isoformat(),
                "days": [
                    {
                        "date": day.day.isoformat(),
                        "open": day.open,
                        "opens": day.opens,
                        "closes": day.closes,
                        "taken": [
                            {
                                "start": localtime(t.start).isoformat(),
                                "end": localtime(t.end).isoformat(),
                                "reserved": t.reserved,
                                "label": t.label,
                            }
                            for t in day.taken
                        ],
                        "free": [
                            {"start": start.isoformat(), "end": end.isoformat()}
                            for start, end in rooms_selectors.free_ranges(day)
                        ],
                    }
                    for day in days
                ],
            }
        )


# --- staff: room bookings ---


def _managed(request):
    managed = Room.objects.managed_by(request.user, request._request.municipality)
    return rooms_selectors.office_room_bookings(managed)


def _detail(request, pk):
    booking = _managed(request).prefetch_related("occupancies", "events__actor").filter(pk=pk).first()
    if booking is None:
        raise Http404
    return booking


class RoomBookingList(ApiView, ListAPIView):
    required_scopes = SCOPES
    serializer_class = RoomBookingSerializer
    pagination_class = Cursor
    cursor_ordering = ("first_start", "id")

    def get_queryset(self):
        params = RoomBookingFiltersSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        bookings = _managed(self.request)
        if "room" in data:
            bookings = bookings.filter(room_id=data["room"])
        if "state" in data:
            bookings = bookings.filter(state=data["state"])
        if "date_from" in data or "date_to" in data:
            bookings = rooms_selectors.bookings_in_period(
                bookings,
                start=day_start(data["date_from"]) if "date_from" in data else None,
                end=day_end(data["date_to"]) if "date_to" in data else None,
            )
        return bookings

    @extend_schema(
        operation_id="room_bookings_list",
        description="Le prenotazioni delle sale che il token (o la persona dello staff) gestisce, dalla "
        "richiesta in poi, in ordine di prima data; paginazione a cursore. Serve il permesso `rooms:read`.",
        summary="Prenotazioni delle sale",
        parameters=[RoomBookingFiltersSerializer],
        tags=["sale"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RoomBookingDetail(ApiView):
    required_scopes = SCOPES

    @extend_schema(
        operation_id="room_bookings_retrieve",
        description="La prenotazione con le sue date, le voci del prezzo, i pagamenti (tariffa e cauzione) e "
        "lo storico. Serve il permesso `rooms:read`.",
        summary="Una prenotazione di sala",
        responses={200: RoomBookingDetailSerializer},
        tags=["sale"],
    )
    def get(self, request, booking_id: int):
        return Response(RoomBookingDetailSerializer(_detail(request, booking_id)).data)


def _transitions(booking) -> list[dict]:
    return [
        {
            "name": name,
            "target_state": states.TRANSITIONS[name].target,
            "motivation_required": states.TRANSITIONS[name].motivation,
        }
        for name in ROOM_BOOKING_TRANSITIONS
        if booking.state in states.TRANSITIONS[name].sources
        and Actor.OFFICE in states.TRANSITIONS[name].actors
    ]


def _fire(booking, name: str, *, user, patronage, motivation: str):
    if name == "approve":
        return rooms.room_booking_approve(booking=booking, user=user, patronage=patronage)
    if name == "refuse":
        return rooms.room_booking_refuse(booking=booking, user=user, motivation=motivation)
    return rooms.room_booking_cancel(booking=booking, user=user, by_office=True, motivation=motivation)


class RoomBookingTransitions(ApiView):
    """The office's actions allowed now (GET) and firing one (POST), as the booking page's buttons do."""

    required_scopes = SCOPES

    @extend_schema(
        operation_id="room_bookings_transitions_list",
        description="Le azioni che lo stato della prenotazione consente ora all'ufficio.",
        summary="Azioni consentite ora",
        responses={200: TransitionListSerializer},
        tags=["sale"],
    )
    def get(self, request, booking_id: int):
        return Response({"items": _transitions(_detail(request, booking_id))})

    @extend_schema(
        operation_id="room_bookings_transitions_create",
        description="Esegue un'azione come dalla pagina della prenotazione: `approve` (con `patronage` "
        "facoltativo; se non resta nulla da pagare la prenotazione è confermata), `refuse` (con `motivation`), "
        "`cancel` (rimborso totale della tariffa pagata). 409 se lo stato non la consente o se nel frattempo "
        "la sala è stata occupata. Serve il permesso `rooms:write`.",
        summary="Esegui un'azione sulla prenotazione",
        request=RoomBookingTransitionRequestSerializer,
        responses={201: RoomBookingDetailSerializer},
        tags=["sale"],
        parameters=[IDEMPOTENCY_KEY],
    )
    @idempotent
    def post(self, request, booking_id: int):
        booking = _detail(request, booking_id)
        body = RoomBookingTransitionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            _fire(
                booking,
                data["name"],
                user=request.user,
                patronage=data["patronage"],
                motivation=data["motivation"],
            )
        except states.TransitionNotAllowed:
            return problem(
                status.HTTP_409_CONFLICT,
                _("Lo stato della prenotazione non consente questa azione."),
                instance=request.path,
            )
        except rooms.RoomTaken as taken:
            return problem(status.HTTP_409_CONFLICT, taken.message(), instance=request.path)
        except ValidationError as error:
            raise validation_error(error) from error
        return Response(
            RoomBookingDetailSerializer(_detail(request, booking.pk)).data, status=status.HTTP_201_CREATED
        )


urlpatterns = [
    path("rooms", RoomList.as_view(), name="room_list"),
    path("rooms/<int:room_id>", RoomDetail.as_view(), name="room_detail"),
    path("rooms/<int:room_id>/availability", RoomAvailability.as_view(), name="room_availability"),
    path("room-bookings", RoomBookingList.as_view(), name="room_booking_list"),
    path("room-bookings/<int:booking_id>", RoomBookingDetail.as_view(), name="room_booking_detail"),
    path(
        "room-bookings/<int:booking_id>/transitions",
        RoomBookingTransitions.as_view(),
        name="room_booking_transitions",
    ),
]
