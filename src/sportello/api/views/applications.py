"""Applications for staff and integrations: the dashboard's list and filters, detail, history, the operator
transitions, messages and attachments. Every read goes through ``applications.selectors`` (what
``for_operator`` lets this user see) and every write through ``applications.services``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from sportello.applications import selectors, services, states
from sportello.applications.models import Application
from sportello.core.db_router import replica_reads
from sportello.core.downloads import file_download
from sportello.integrations.models import Scope

from ..idempotency import PARAMETER as IDEMPOTENCY_KEY
from ..idempotency import idempotent
from ..pagination import Cursor
from ..problems import problem, validation_error
from ..serializers import (
    ApplicationDetailSerializer,
    ApplicationEventSerializer,
    ApplicationFiltersSerializer,
    ApplicationSerializer,
    AttachmentSerializer,
    MessageCreateSerializer,
    MessageSerializer,
    TransitionListSerializer,
    TransitionRequestSerializer,
)
from .base import ApiView

READ = {"*": Scope.APPLICATIONS_READ}


class ApplicationMixin:
    required_scopes = READ

    def get_application(self) -> Application:
        application = selectors.application_get_for_staff(
            user=self.request.user,
            municipality=self.request._request.municipality,
            pk=self.kwargs["application_id"],
        )
        if application is None:
            raise Http404
        return application


class ApplicationList(ApiView, ListAPIView):
    """The applications this token's administrator or this staff member may see, with the dashboard's filters."""

    required_scopes = READ
    serializer_class = ApplicationSerializer
    pagination_class = Cursor

    def get_queryset(self):
        params = ApplicationFiltersSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        self.cursor_ordering = (
            ("submitted_at", "id")
            if params.validated_data.get("sort") == "submitted_at"
            else ("-submitted_at", "-id")
        )
        return selectors.application_list_for_staff(
            user=self.request.user, municipality=self.request._request.municipality, filters=params.filters()
        ).select_related("service", "assigned_to")

    @extend_schema(
        operation_id="applications_list",
        description="Le pratiche che il token (o la persona dello staff) può vedere, con i filtri del cruscotto; "
        "paginazione a cursore (`next`, `previous`, `limit` fino a 100).",
        summary="Pratiche",
        parameters=[ApplicationFiltersSerializer],
        tags=["pratiche"],
    )
    def get(self, request, *args, **kwargs):
        with replica_reads():  # the heavy list may read from a replica, when one is configured
            return super().get(request, *args, **kwargs)


class ApplicationDetail(ApplicationMixin, ApiView):
    @extend_schema(
        operation_id="applications_retrieve",
        description="La pratica con i dati del modulo compilato.",
        summary="Una pratica",
        responses={200: ApplicationDetailSerializer},
        tags=["pratiche"],
    )
    def get(self, request, application_id: int):
        return Response(ApplicationDetailSerializer(self.get_application()).data)


class ApplicationRows(ApplicationMixin, ApiView, ListAPIView):
    """A list that belongs to one application, oldest first."""

    pagination_class = Cursor
    cursor_ordering = ("id",)


@extend_schema_view(
    get=extend_schema(
        operation_id="applications_events_list",
        description="Ogni passaggio di stato: chi, quando, da, a e perché.",
        summary="Storico della pratica",
        tags=["pratiche"],
    )
)
class ApplicationEvents(ApplicationRows):
    """The history: every transition with who, when, from, to and why."""

    serializer_class = ApplicationEventSerializer

    def get_queryset(self):
        return self.get_application().events.select_related("actor")


@extend_schema_view(
    get=extend_schema(
        operation_id="applications_messages_list",
        description="I messaggi con il cittadino e le note interne dello staff (`internal`).",
        summary="Messaggi della pratica",
        tags=["pratiche"],
    )
)
class ApplicationMessages(ApplicationRows):
    """The thread with the citizen and the staff's internal notes (``internal``); POST writes one."""

    serializer_class = MessageSerializer
    required_scopes = {"GET": Scope.APPLICATIONS_READ, "POST": Scope.MESSAGES_WRITE}

    def get_queryset(self):
        return self.get_application().messages.select_related("author").prefetch_related("attachments")

    @extend_schema(
        operation_id="applications_messages_create",
        description="Scrive al cittadino (che riceve la notifica, e il messaggio è protocollato dove previsto) o "
        "aggiunge una nota interna (`internal`). Serve il permesso `messages:write`; 409 per una bozza.",
        summary="Scrivi un messaggio sulla pratica",
        request=MessageCreateSerializer,
        responses={201: MessageSerializer},
        tags=["pratiche"],
        parameters=[IDEMPOTENCY_KEY],
    )
    @idempotent
    def post(self, request, application_id: int):
        application = self.get_application()
        body = MessageCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            message = services.application_message_post(
                application=application, user=request.user, **body.validated_data
            )
        except services.TransitionNotAllowed as error:
            return problem(status.HTTP_409_CONFLICT, " ".join(error.messages), instance=request.path)
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(_("Non sei abilitato su questo servizio.")) from error
        except ValidationError as error:
            raise validation_error(error) from error
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        operation_id="applications_attachments_list",
        description="Gli allegati della pratica (modulo, messaggi, esito, ricevuta).",
        summary="Allegati della pratica",
        tags=["pratiche"],
    )
)
class ApplicationAttachments(ApplicationRows):
    serializer_class = AttachmentSerializer

    def get_queryset(self):
        return self.get_application().attachments.all()


class AttachmentContent(ApplicationMixin, ApiView):
    @extend_schema(
        operation_id="applications_attachments_content",
        description="Il file dell'allegato.",
        summary="Contenuto di un allegato",
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
        tags=["pratiche"],
    )
    def get(self, request, application_id: int, attachment_id: int):
        attachment = self.get_application().attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise Http404
        return file_download(attachment.file, attachment.name)


def _transitions(application) -> list[dict]:
    return [
        {
            "name": name,
            "target_state": states.TRANSITIONS[name].target,
            "motivation_required": states.TRANSITIONS[name].needs_motivation,
        }
        for name in selectors.application_available_transitions(application=application)
    ]


class ApplicationTransitions(ApplicationMixin, ApiView):
    """The transitions allowed now (GET) and firing one (POST), as the back office's buttons do."""

    required_scopes = {"GET": Scope.APPLICATIONS_READ, "POST": Scope.TRANSITIONS_WRITE}

    @extend_schema(
        operation_id="applications_transitions_list",
        description="Le azioni che lo stato della pratica consente ora.",
        summary="Azioni consentite ora",
        responses={200: TransitionListSerializer},
        tags=["pratiche"],
    )
    def get(self, request, application_id: int):
        return Response({"items": _transitions(self.get_application())})

    @extend_schema(
        operation_id="applications_transitions_create",
        description="Esegue un'azione (`take_charge`, `request_integration`, `accept`, `reject`, `cancel`) come "
        "dal cruscotto; serve il permesso `transitions:write`. 409 se lo stato non la consente.",
        summary="Esegui un'azione sulla pratica",
        request=TransitionRequestSerializer,
        responses={201: ApplicationDetailSerializer},
        tags=["pratiche"],
    )
    def post(self, request, application_id: int):
        application = self.get_application()
        body = TransitionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            application = services.application_operator_transition(
                application=application, user=request.user, **body.validated_data
            )
        except services.TransitionNotAllowed as error:
            return problem(status.HTTP_409_CONFLICT, " ".join(error.messages), instance=request.path)
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(_("Non sei abilitato su questo servizio.")) from error
        except ValidationError as error:
            raise validation_error(error) from error
        application = selectors.application_get_for_staff(
            user=request.user, municipality=request._request.municipality, pk=application.pk
        )
        return Response(ApplicationDetailSerializer(application).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("applications", ApplicationList.as_view(), name="application_list"),
    path("applications/<int:application_id>", ApplicationDetail.as_view(), name="application_detail"),
    path("applications/<int:application_id>/events", ApplicationEvents.as_view(), name="application_events"),
    path(
        "applications/<int:application_id>/transitions",
        ApplicationTransitions.as_view(),
        name="application_transitions",
    ),
    path(
        "applications/<int:application_id>/messages",
        ApplicationMessages.as_view(),
        name="application_messages",
    ),
    path(
        "applications/<int:application_id>/attachments",
        ApplicationAttachments.as_view(),
        name="application_attachments",
    ),
    path(
        "applications/<int:application_id>/attachments/<int:attachment_id>",
        AttachmentContent.as_view(),
        name="application_attachment",
    ),
]
