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
    title = serializers.CharField(
        read_only=True, help_text="The step's own name in the history (e.g. 'Pagamento ricevuto'), or empty."
    )

    class Meta:
        model = ApplicationEvent
        fields = [
            "id",
            "at",
            "transition",
            "title",
            "from_state",
            "to_state",
            "actor_kind",
            "actor",
            "motivation",
        ]


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


# --- calendars and appointments ---


def _year_checked(value):
    """Dates between 1900 and 2100: a date past ``date.max - 1 day`` would overflow a range's end."""
    from django.utils.translation import gettext as _

    if value is not None and not 1900 <= value.year <= 2100:
        raise serializers.ValidationError(_("Indica una data tra il 1900 e il 2100."))
    return value


class BoundedDateField(serializers.DateField):
    def to_internal_value(self, value):
        return _year_checked(super().to_internal_value(value))


class BoundedDateTimeField(serializers.DateTimeField):
    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        _year_checked(moment)
        return moment


class CalendarSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    office = serializers.CharField(source="office_name")
    address = serializers.CharField()
    timezone = serializers.SerializerMethodField()
    moderated = serializers.BooleanField(
        help_text="Le prenotazioni dei cittadini sono confermate dall'ufficio."
    )
    min_notice_hours = serializers.IntegerField(help_text="Preavviso minimo, in ore.")
    horizon_days = serializers.IntegerField(help_text="Prenotabile fino a tanti giorni da oggi.")
    cancel_until_hours = serializers.IntegerField(
        help_text="Il cittadino può annullare fino a tante ore prima."
    )
    services = serializers.SerializerMethodField()

    def get_timezone(self, calendar) -> str:
        return "Europe/Rome"

    def get_services(self, calendar) -> list[str]:
        return sorted(s.slug for s in calendar.public_services)


class CalendarDetailSerializer(CalendarSerializer):
    what_to_bring = serializers.CharField()
    contact_email = serializers.EmailField()


SLOT_SCHEMA = {
    "type": "object",
    "required": ["start", "end", "capacity", "available"],
    "properties": {
        "start": {"type": "string", "format": "date-time"},
        "end": {"type": "string", "format": "date-time"},
        "capacity": {"type": "integer", "format": "int32", "minimum": 1},
        "available": {"type": "integer", "format": "int32", "minimum": 1},
    },
}
AVAILABILITY_SCHEMA = {
    "type": "object",
    "required": ["calendar", "from", "to", "slots"],
    "properties": {
        "calendar": {
            "type": "object",
            "required": ["id", "title", "office", "address", "timezone"],
            "properties": {
                "id": {"type": "integer", "format": "int64"},
                "title": {"type": "string"},
                "office": {"type": "string"},
                "address": {"type": "string"},
                "timezone": {"type": "string"},
            },
        },
        "from": {"type": "string", "format": "date"},
        "to": {"type": "string", "format": "date"},
        "slots": {"type": "array", "items": SLOT_SCHEMA, "description": "Solo gli orari con posti liberi."},
    },
}


class CalendarRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class AppointmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    calendar = CalendarRefSerializer()
    service = ServiceRefSerializer(allow_null=True)
    application = serializers.IntegerField(source="application_id", allow_null=True)
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.CharField()
    fiscal_code = serializers.CharField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class HistoryEventSerializer(serializers.Serializer):
    """A row of a booking's history (appointments, room bookings): when, which transition, who."""

    at = serializers.DateTimeField()
    transition = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor = PersonSerializer(allow_null=True)


class AppointmentEventSerializer(HistoryEventSerializer):
    actor_kind = serializers.CharField()
    motivation = serializers.CharField()


class AppointmentDetailSerializer(AppointmentSerializer):
    details = serializers.CharField()
    motivation = serializers.CharField()
    events = AppointmentEventSerializer(many=True)


class AppointmentFiltersSerializer(serializers.Serializer):
    calendar = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    service = serializers.SlugField(required=False, max_length=200)
    state = serializers.ChoiceField(
        choices=["pending", "approved", "refused", "missed", "done", "cancelled"], required=False
    )
    start_from = BoundedDateField(required=False, help_text="Dal giorno (compreso, ora di Roma).")
    start_to = BoundedDateField(required=False, help_text="Fino al giorno (compreso, ora di Roma).")


class AppointmentCreateSerializer(serializers.Serializer):
    calendar = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    start = BoundedDateTimeField(
        help_text="L'inizio di un orario libero (da availability), con il fuso orario."
    )
    service = serializers.SlugField(
        required=False, max_length=200, help_text="Uno dei servizi del calendario (predefinito: il primo)."
    )
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    details = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


APPOINTMENT_TRANSITIONS = ("approve", "refuse", "reschedule", "cancel", "done", "missed")


class AppointmentTransitionRequestSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=APPOINTMENT_TRANSITIONS)
    motivation = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, default="", help_text="Obbligatoria per refuse."
    )
    start = BoundedDateTimeField(
        required=False, allow_null=True, default=None, help_text="Solo per reschedule: il nuovo orario."
    )


# --- messages ---


class MessageCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=10000)
    internal = serializers.BooleanField(
        required=False, default=False, help_text="Una nota interna dello staff, che il cittadino non vede."
    )


# --- payments and the accounting export ---


class ApplicationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


class PaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = ApplicationRefSerializer(allow_null=True)
    service = serializers.SerializerMethodField()
    iuv = serializers.CharField()
    notice_number = serializers.CharField()
    iupd = serializers.CharField()
    creditor_fiscal_code = serializers.CharField()
    amount_cents = serializers.IntegerField(help_text="Importo in centesimi di euro.")
    description = serializers.CharField()
    purpose = serializers.CharField(
        help_text="Per chi la posizione non nasce da una pratica (sale, abbonamenti)."
    )
    due_date = serializers.DateField()
    debtor_name = serializers.CharField()
    debtor_fiscal_code = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    published_at = serializers.DateTimeField(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)
    paid_cents = serializers.IntegerField(allow_null=True)
    psp = serializers.CharField()
    receipt_id = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_service(self, payment) -> str | None:
        return payment.application.service.slug if payment.application_id else None


class PaymentLineSerializer(serializers.Serializer):
    transfer_index = serializers.IntegerField()
    description = serializers.CharField()
    capitolo = serializers.CharField()
    articolo = serializers.CharField()
    accertamento = serializers.CharField()
    ufficio = serializers.CharField()
    taxonomy_code = serializers.CharField()
    amount_cents = serializers.IntegerField()
    iban = serializers.CharField()


class PaymentEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    source = serializers.CharField()
    note = serializers.CharField()


class PaymentDetailSerializer(PaymentSerializer):
    lines = PaymentLineSerializer(many=True)
    events = PaymentEventSerializer(many=True)


class PaymentFiltersSerializer(serializers.Serializer):
    service = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    application = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    status = serializers.ChoiceField(
        choices=["created", "pending", "paid", "failed", "expired", "cancelled"], required=False
    )
    created_from = BoundedDateField(required=False)
    created_to = BoundedDateField(required=False)
    paid_from = BoundedDateField(required=False)
    paid_to = BoundedDateField(required=False)
    q = serializers.CharField(
        required=False, max_length=40, help_text="IUV, numero avviso o codice fiscale del debitore."
    )


class AccountingExportFiltersSerializer(serializers.Serializer):
    paid_from = BoundedDateField(help_text="Pagati dal giorno (compreso, ora di Roma).")
    paid_to = BoundedDateField(help_text="Pagati fino al giorno (compreso, ora di Roma).")

    def validate(self, data):
        from django.utils.translation import gettext as _

        if data["paid_from"] > data["paid_to"]:
            raise serializers.ValidationError(
                {"paid_to": _("La data iniziale è successiva a quella finale.")}
            )
        return data


class AccountingRowSerializer(serializers.Serializer):
    """One budget line of a paid payment: the columns of the back office's accounting export (docs/payments.md)."""

    capitolo = serializers.CharField()
    articolo = serializers.CharField()
    accertamento = serializers.CharField()
    codice_tassonomia = serializers.CharField()
    importo = serializers.CharField(help_text="In euro con il punto decimale, ad esempio 16.79.")
    iuv = serializers.CharField()
    numero_avviso = serializers.CharField()
    codice_fiscale_pagatore = serializers.CharField()
    data_pagamento = serializers.DateField()
    numero_pratica = serializers.CharField()
    servizio = serializers.CharField()
    descrizione_voce = serializers.CharField()
    indice_trasferimento = serializers.IntegerField()
    ufficio = serializers.CharField()
    psp = serializers.CharField()
    id_ricevuta = serializers.CharField()


# --- rooms and room bookings ---


class RoomSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    place = serializers.CharField()
    address = serializers.CharField()
    capacity = serializers.IntegerField(help_text="Capienza, in persone.")
    unit = serializers.CharField(help_text="Unità di prenotazione: hour, half_day (4 ore), band, day.")
    unit_label = serializers.CharField(source="get_unit_display")
    moderated = serializers.BooleanField(help_text="Le richieste sono approvate dall'ufficio.")


class RoomTariffSerializer(serializers.Serializer):
    category = serializers.CharField()
    category_label = serializers.CharField(source="get_category_display")
    season = serializers.CharField(
        source="season.name", allow_null=True, default=None, help_text="Vuoto: la tariffa fuori stagione."
    )
    rate_cents = serializers.IntegerField(help_text="Per unità, in centesimi di euro.")


class RoomSeasonSerializer(serializers.Serializer):
    name = serializers.CharField()
    start = serializers.SerializerMethodField(help_text="Dal giorno (MM-GG).")
    end = serializers.SerializerMethodField(help_text="Al giorno (MM-GG), anche a cavallo dell'anno.")

    def get_start(self, season) -> str:
        return f"{season.start_month:02d}-{season.start_day:02d}"

    def get_end(self, season) -> str:
        return f"{season.end_month:02d}-{season.end_day:02d}"


class RoomClosureSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    reason = serializers.CharField()


@extend_schema_field(
    {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "description": "Ora di Roma, HH:MM."}
)
class ClockField(serializers.TimeField):
    """A wall-clock time of day (no offset: JSON Schema's ``time`` format would need one)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class RoomRulesSerializer(serializers.Serializer):
    """The room's regulation as data (the citizen page's "Regole")."""

    weekdays = serializers.ListField(
        child=serializers.IntegerField(), help_text="Giorni prenotabili: 0 lunedì ... 6 domenica."
    )
    opens_at = ClockField()
    closes_at = ClockField()
    holidays_closed = serializers.BooleanField()
    bands = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()), help_text="Le fasce orarie (unità band)."
    )
    min_units = serializers.IntegerField()
    max_units = serializers.IntegerField()
    min_notice_days = serializers.IntegerField()
    max_notice_days = serializers.IntegerField()
    full_refund_days = serializers.IntegerField(help_text="Rimborso totale fino a tanti giorni prima.")
    late_refund_percent = serializers.IntegerField(help_text="Rimborso dopo quel termine, in percentuale.")
    weekend_surcharge_percent = serializers.IntegerField()
    minimum_charge_cents = serializers.IntegerField()
    deposit_cents = serializers.IntegerField(help_text="Cauzione, in centesimi di euro.")


class RoomDetailSerializer(RoomSerializer):
    description = serializers.CharField()
    equipment = serializers.ListField(source="equipment_list", child=serializers.CharField())
    accessibility = serializers.CharField()
    rules = RoomRulesSerializer(source="*")
    tariffs = RoomTariffSerializer(many=True)
    seasons = RoomSeasonSerializer(many=True)
    closures = RoomClosureSerializer(many=True)


RANGE_SCHEMA = {
    "type": "object",
    "required": ["start", "end"],
    "properties": {
        "start": {"type": "string", "format": "date-time"},
        "end": {"type": "string", "format": "date-time"},
    },
}
ROOM_AVAILABILITY_SCHEMA = {
    "type": "object",
    "required": ["room", "from", "to", "days"],
    "properties": {
        "room": {
            "type": "object",
            "required": ["id", "name", "timezone"],
            "properties": {
                "id": {"type": "integer", "format": "int64"},
                "name": {"type": "string"},
                "timezone": {"type": "string"},
            },
        },
        "from": {"type": "string", "format": "date"},
        "to": {"type": "string", "format": "date"},
        "days": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["date", "open", "opens", "closes", "taken", "free"],
                "properties": {
                    "date": {"type": "string", "format": "date"},
                    "open": {
                        "type": "boolean",
                        "description": "Prenotabile in quel giorno (regole, chiusure).",
                    },
                    "opens": {"type": "string", "description": "HH:MM"},
                    "closes": {"type": "string", "description": "HH:MM"},
                    "taken": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["start", "end", "reserved", "label"],
                            "properties": {
                                **RANGE_SCHEMA["properties"],
                                "reserved": {"type": "boolean", "description": "Un uso dell'ente."},
                                "label": {
                                    "type": "string",
                                    "description": "«Occupato» o il motivo dell'ente.",
                                },
                            },
                        },
                    },
                    "free": {"type": "array", "items": RANGE_SCHEMA},
                },
            },
        },
    },
}


class RoomRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RoomBookingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    room = RoomRefSerializer()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    first_start = serializers.DateTimeField(help_text="L'inizio della prima data.")
    category = serializers.CharField()
    category_label = serializers.CharField(source="get_category_display")
    applicant_kind = serializers.CharField()
    applicant_name = serializers.CharField()
    applicant_fiscal_code = serializers.CharField()
    applicant_email = serializers.CharField()
    organisation_name = serializers.CharField()
    purpose = serializers.CharField()
    attendance = serializers.IntegerField(allow_null=True)
    patronage = serializers.BooleanField()
    fee_cents = serializers.IntegerField()
    deposit_cents = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class RoomBookingRangeSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    active = serializers.BooleanField(help_text="Occupa la sala (falso dopo rifiuto o annullamento).")


class PriceLineSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="fee, surcharge, minimum, discount, deposit.")
    label = serializers.CharField()
    amount_cents = serializers.IntegerField(help_text="Negativo per gli sconti.")
    quantity = serializers.IntegerField(allow_null=True, required=False)
    unit_cents = serializers.IntegerField(allow_null=True, required=False)


class RoomBookingPaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="fee (tariffa) o deposit (cauzione).")
    status = serializers.CharField()
    amount_cents = serializers.IntegerField()
    iuv = serializers.CharField()
    notice_number = serializers.CharField()
    paid_at = serializers.DateTimeField(allow_null=True)


class RoomBookingEventSerializer(HistoryEventSerializer):
    note = serializers.CharField()


class RoomBookingDetailSerializer(RoomBookingSerializer):
    organisation_fiscal_code = serializers.CharField()
    legal_representative = serializers.CharField()
    programme = serializers.CharField()
    equipment = serializers.ListField(child=serializers.CharField())
    declarations = serializers.ListField(child=serializers.CharField())
    ranges = RoomBookingRangeSerializer(many=True, source="occupancies.all")
    price_lines = serializers.SerializerMethodField()
    payments = serializers.SerializerMethodField()
    motivation = serializers.CharField()
    refund_cents = serializers.IntegerField(allow_null=True)
    keys_handed_at = serializers.DateTimeField(allow_null=True)
    keys_returned_at = serializers.DateTimeField(allow_null=True)
    deposit_refunded_at = serializers.DateTimeField(allow_null=True)
    events = RoomBookingEventSerializer(many=True, source="events.all")

    @extend_schema_field(PriceLineSerializer(many=True))
    def get_price_lines(self, booking) -> list[dict]:
        return PriceLineSerializer((booking.quote or {}).get("lines", []), many=True).data

    @extend_schema_field(RoomBookingPaymentSerializer(many=True))
    def get_payments(self, booking) -> list[dict]:
        return [
            RoomBookingPaymentSerializer({"kind": kind, **_payment_fields(payment)}).data
            for kind, payment in (("fee", booking.fee_payment), ("deposit", booking.deposit_payment))
            if payment is not None
        ]


def _payment_fields(payment) -> dict:
    return {
        "id": payment.pk,
        "status": payment.status,
        "amount_cents": payment.amount_cents,
        "iuv": payment.iuv,
        "notice_number": payment.notice_number,
        "paid_at": payment.paid_at,
    }


class RoomBookingFiltersSerializer(serializers.Serializer):
    room = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    state = serializers.ChoiceField(
        choices=["requested", "approved", "confirmed", "refused", "cancelled"], required=False
    )
    date_from = BoundedDateField(
        required=False, help_text="Con almeno una data dal giorno (compreso, ora di Roma)."
    )
    date_to = BoundedDateField(required=False, help_text="Con almeno una data fino al giorno (compreso).")


ROOM_BOOKING_TRANSITIONS = ("approve", "refuse", "cancel")


class RoomBookingTransitionRequestSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=ROOM_BOOKING_TRANSITIONS)
    patronage = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Solo per approve: concede (true) o toglie (false) il patrocinio dell'ente, che rende "
        "gratuita la tariffa; assente: invariato.",
    )
    motivation = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, default="", help_text="Obbligatoria per refuse."
    )
