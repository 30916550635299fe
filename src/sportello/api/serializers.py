from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sportello.applications import selectors
from sportello.applications.models import Application, ApplicationEvent, Attachment, Message
from sportello.applications.states import State
from sportello.catalog.models import Service

OPERATOR_TRANSITIONS = ("take_charge", "request_integration", "accept", "reject", "cancel")


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["slug", "name", "category", "kind", "short_description", "access_level", "status", "topics"]


class ServiceDetailSerializer(ServiceSerializer):
    class Meta(ServiceSerializer.Meta):
        fields = ServiceSerializer.Meta.fields + [
            "addressed_to",
            "description",
            "how_to",
            "needed",
            "achieved",
            "timing",
            "cost",
            "more_info",
            "office_name",
            "office_address",
            "office_phone",
            "office_email",
            "office_hours",
            "max_response_days",
        ]


class ServiceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.username


class ApplicationSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    service = ServiceRefSerializer(read_only=True)
    assigned_to = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "service",
            "state",
            "state_label",
            "applicant_name",
            "applicant_fiscal_code",
            "submitted_at",
            "protocol_year",
            "protocol_number",
            "assigned_to",
            "closed_at",
            "updated_at",
        ]


class ApplicationDetailSerializer(ApplicationSerializer):
    form_version = serializers.IntegerField(source="form_version.number", read_only=True)
    data = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = ApplicationSerializer.Meta.fields + [
            "form_version",
            "data",
            "protocolled_at",
            "taken_at",
            "integration_due",
            "outcome_motivation",
            "receipt_sha256",
        ]

    @extend_schema_field({"type": "object", "additionalProperties": True})
    def get_data(self, application) -> dict:
        return application.data


class ApplicationEventSerializer(serializers.ModelSerializer):
    actor = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ApplicationEvent
        fields = ["id", "at", "transition", "from_state", "to_state", "actor_kind", "actor", "motivation"]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "kind", "name", "size", "sha256", "message", "created_at"]


class MessageSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True, allow_null=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = ["id", "created_at", "author", "from_office", "internal", "body", "attachments"]


class ApplicationFiltersSerializer(serializers.Serializer):
    """The dashboard's filters (``selectors.ApplicationFilters``), as query parameters."""

    service = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    state = serializers.ChoiceField(choices=[s for s in State.values if s != State.DRAFT], required=False)
    submitted_from = serializers.DateField(required=False)
    submitted_to = serializers.DateField(required=False)
    assigned = serializers.RegexField(
        r"^(none|[1-9][0-9]{0,17})$",
        required=False,
        help_text="«none» per le pratiche non assegnate, o l'id di una persona dello staff.",
    )
    q = serializers.CharField(
        required=False,
        max_length=100,
        help_text="Numero di protocollo (2026/123 o 123), codice fiscale, o inizio del nome del richiedente.",
    )
    sort = serializers.ChoiceField(choices=["-submitted_at", "submitted_at"], required=False)

    def filters(self) -> selectors.ApplicationFilters:
        data = dict(self.validated_data)
        data.pop("sort", None)
        return selectors.ApplicationFilters.coerce(data)


class TransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    target_state = serializers.CharField()
    motivation_required = serializers.BooleanField()


class TransitionListSerializer(serializers.Serializer):
    items = TransitionSerializer(many=True)


class TransitionRequestSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=OPERATOR_TRANSITIONS)
    motivation = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    due = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Solo per request_integration."
    )


class StatusSerializer(serializers.Serializer):
    status = serializers.CharField()
