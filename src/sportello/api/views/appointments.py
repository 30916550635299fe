"""Appointments for staff and integrations (the desk's queue system, the website's booking widget): the list
of the calendars this token's administrator (or this staff member) manages, detail with history, booking on
behalf of a citizen, and the operator's transitions (approve, refuse, reschedule, cancel, done, missed).

Who sees what is the back office's rule (``Calendar.objects.managed_by``: administrators every calendar,
coordinators their own); every write goes through ``scheduling.services``, whose database constraint on
places decides a race for the last place (409 for the losers).
"""

from datetime import UTC

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from sportello.integrations.models import Scope
from sportello.scheduling import services as scheduling
from sportello.scheduling import states
from sportello.scheduling.models import Appointment, Calendar
from sportello.scheduling.states import Actor, State

from ..idempotency import PARAMETER as IDEMPOTENCY_KEY
from ..idempotency import idempotent
from ..pagination import Cursor
from ..problems import problem, validation_error
from ..serializers import (
    AppointmentCreateSerializer,
    AppointmentDetailSerializer,
    AppointmentFiltersSerializer,
    AppointmentSerializer,
    AppointmentTransitionRequestSerializer,
    TransitionListSerializer,
)
from .base import ApiView, day_end, day_start

SCOPES = {"GET": Scope.CALENDARS, "POST": Scope.APPOINTMENTS_WRITE}


def _managed(request):
    """The appointments of the calendars this user manages; holds (a booking being filled in) are not shown."""
    municipality = request._request.municipality
    return (
        Appointment.objects.for_municipality(municipality)
        .filter(calendar__in=Calendar.objects.managed_by(request.user, municipality))
        .exclude(state=State.HELD)
        .select_related("calendar", "service")
    )


def _detail(request, pk) -> Appointment:
    appointment = _managed(request).prefetch_related("events__actor").filter(pk=pk).first()
    if appointment is None:
        raise Http404
    return appointment


class AppointmentList(ApiView, ListAPIView):
    required_scopes = SCOPES
    serializer_class = AppointmentSerializer
    pagination_class = Cursor
    cursor_ordering = ("start", "id")

    def get_queryset(self):
        params = AppointmentFiltersSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        appointments = _managed(self.request)
        if "calendar" in data:
            appointments = appointments.filter(calendar_id=data["calendar"])
        if "service" in data:
            appointments = appointments.filter(service__slug=data["service"])
        if "state" in data:
            appointments = appointments.filter(state=data["state"])
        if "start_from" in data:
            appointments = appointments.filter(start__gte=day_start(data["start_from"]))
        if "start_to" in data:
            appointments = appointments.filter(start__lt=day_end(data["start_to"]))
        return appointments

    @extend_schema(
        operation_id="appointments_list",
        description="Gli appuntamenti dei calendari che il token (o la persona dello staff) gestisce, in ordine "
        "di orario; paginazione a cursore. Serve il permesso `calendars`.",
        summary="Appuntamenti",
        parameters=[AppointmentFiltersSerializer],
        tags=["appuntamenti"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="appointments_create",
        description="Prenota per conto di un cittadino (allo sportello, al telefono) un orario libero di "
        "`availability`: l'appuntamento è confermato subito. 409 se nel frattempo l'orario si è riempito. "
        "Serve il permesso `appointments:write`.",
        summary="Prenota un appuntamento",
        request=AppointmentCreateSerializer,
        responses={201: AppointmentDetailSerializer},
        tags=["appuntamenti"],
        parameters=[IDEMPOTENCY_KEY],
    )
    @idempotent
    def post(self, request, *args, **kwargs):
        body = AppointmentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        municipality = request._request.municipality
        calendar = Calendar.objects.managed_by(request.user, municipality).filter(pk=data["calendar"]).first()
        if calendar is None:
            raise exceptions.ValidationError({"calendar": [_("Calendario inesistente.")]})
        service = calendar.services.filter(slug=data["service"]).first() if "service" in data else None
        if "service" in data and service is None:
            raise exceptions.ValidationError({"service": [_("Questo calendario non serve questo servizio.")]})
        try:
            appointment = scheduling.appointment_book_on_behalf(
                calendar=calendar,
                start=data["start"].astimezone(UTC),
                service=service,
                user=request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data.get("email", ""),
                reason=data["reason"],
                details=data["details"],
            )
        except scheduling.SlotUnavailable as error:
            return problem(status.HTTP_409_CONFLICT, " ".join(error.messages), instance=request.path)
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(_("Non gestisci questo calendario.")) from error
        except ValidationError as error:
            raise validation_error(error) from error
        return Response(
            AppointmentDetailSerializer(_detail(request, appointment.pk)).data, status=status.HTTP_201_CREATED
        )


class AppointmentDetail(ApiView):
    required_scopes = SCOPES

    @extend_schema(
        operation_id="appointments_retrieve",
        description="L'appuntamento con il suo storico.",
        summary="Un appuntamento",
        responses={200: AppointmentDetailSerializer},
        tags=["appuntamenti"],
    )
    def get(self, request, appointment_id: int):
        return Response(AppointmentDetailSerializer(_detail(request, appointment_id)).data)


def _transitions(appointment) -> list[dict]:
    return [
        {
            "name": name,
            "target_state": states.TRANSITIONS[name].target or appointment.state,
            "motivation_required": states.TRANSITIONS[name].needs_motivation,
        }
        for name in states.available(appointment.state, Actor.OPERATOR)
        if name not in ("submit", "confirm")  # a hold is never visible here
    ]


def _fire(appointment, name: str, *, user, motivation: str, start):
    if name == "approve":
        return scheduling.appointment_approve(appointment=appointment, user=user)
    if name == "refuse":
        return scheduling.appointment_refuse(appointment=appointment, user=user, motivation=motivation)
    if name == "cancel":
        return scheduling.appointment_cancel(
            appointment=appointment, user=user, actor=Actor.OPERATOR, motivation=motivation
        )
    if name == "reschedule":
        if start is None:
            raise ValidationError({"start": _("Indica il nuovo orario.")})
        return scheduling.appointment_reschedule(
            appointment=appointment, start=start.astimezone(UTC), user=user, actor=Actor.OPERATOR
        )
    if name == "done":
        return scheduling.appointment_done(appointment=appointment, user=user)
    return scheduling.appointment_missed(appointment=appointment, user=user)


class AppointmentTransitions(ApiView):
    """The operator's actions allowed now (GET) and firing one (POST), as the agenda's buttons do."""

    required_scopes = SCOPES

    @extend_schema(
        operation_id="appointments_transitions_list",
        description="Le azioni che lo stato dell'appuntamento consente ora all'ufficio.",
        summary="Azioni consentite ora",
        responses={200: TransitionListSerializer},
        tags=["appuntamenti"],
    )
    def get(self, request, appointment_id: int):
        return Response({"items": _transitions(_detail(request, appointment_id))})

    @extend_schema(
        operation_id="appointments_transitions_create",
        description="Esegue un'azione come dall'agenda: `approve`, `refuse` (con `motivation`), `reschedule` "
        "(con `start`, un orario libero), `cancel`, `done`, `missed`. 409 se lo stato non la consente o "
        "l'orario non è più libero. Serve il permesso `appointments:write`.",
        summary="Esegui un'azione sull'appuntamento",
        request=AppointmentTransitionRequestSerializer,
        responses={201: AppointmentDetailSerializer},
        tags=["appuntamenti"],
    )
    def post(self, request, appointment_id: int):
        appointment = _detail(request, appointment_id)
        body = AppointmentTransitionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            _fire(
                appointment,
                data["name"],
                user=request.user,
                motivation=data["motivation"],
                start=data["start"],
            )
        except (scheduling.TransitionNotAllowed, scheduling.SlotUnavailable) as error:
            return problem(status.HTTP_409_CONFLICT, " ".join(error.messages), instance=request.path)
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(_("Non gestisci questo calendario.")) from error
        except ValidationError as error:
            raise validation_error(error) from error
        return Response(
            AppointmentDetailSerializer(_detail(request, appointment.pk)).data, status=status.HTTP_201_CREATED
        )


urlpatterns = [
    path("appointments", AppointmentList.as_view(), name="appointment_list"),
    path("appointments/<int:appointment_id>", AppointmentDetail.as_view(), name="appointment_detail"),
    path(
        "appointments/<int:appointment_id>/transitions",
        AppointmentTransitions.as_view(),
        name="appointment_transitions",
    ),
]
