from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from sportello.catalog.models import FormVersion, Service
from sportello.municipalities.models import Municipality, TenantQuerySet

from .states import OPEN_STATES, Actor, State


def handled_services(user, municipality):
    """The one rule of who handles what: ``None`` for administrators (every service of the municipality), else
    the services enabled for this operator (none for anyone who is not staff of the municipality)."""
    from sportello.accounts.models import Role
    from sportello.accounts.roles import staff_role

    role = staff_role(user, municipality)
    if role == Role.ADMIN:
        return None
    services = Service.objects.for_municipality(municipality)
    if role == Role.OPERATOR:
        return services.filter(operators=user)
    return services.none()


class ApplicationQuerySet(TenantQuerySet):
    def for_citizen(self, user):
        return self.filter(applicant=user)

    def handled_by(self, user, municipality):
        """The applications of the services ``user`` handles (``handled_services``: the one rule)."""
        services = handled_services(user, municipality)
        applications = self.for_municipality(municipality)
        if services is None:
            return applications
        # The few services as a literal list: with a subquery PostgreSQL misjudged the operator's share of the
        # million applications and sorted them all (bench: 1.1 s instead of 0.1 s for the first page).
        return applications.filter(service_id__in=list(services.values_list("pk", flat=True)))

    def for_operator(self, user, municipality):
        """What a staff member sees: the applications they handle, drafts never."""
        return self.handled_by(user, municipality).exclude(state=State.DRAFT)


class Application(models.Model):
    """A citizen's request for a service ("pratica"), with the data filled in its form version."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="applications")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="applications")
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="applications")
    # Null for services with anonymous access submitted without logging in.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    # Denormalised for the operators' list (searched and sorted without joins on a million rows).
    applicant_name = models.CharField(_("richiedente"), max_length=300, blank=True)
    applicant_fiscal_code = models.CharField(_("codice fiscale del richiedente"), max_length=16, blank=True)
    state = models.CharField(_("stato"), max_length=32, choices=State.choices, default=State.DRAFT)
    data = models.JSONField(_("dati"), default=dict)
    pages_done = models.JSONField(default=list)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_applications",
        verbose_name=_("operatore assegnato"),
    )
    submitted_at = models.DateTimeField(_("data di invio"), null=True, blank=True)
    protocol_year = models.PositiveSmallIntegerField(null=True, blank=True)
    protocol_number = models.PositiveIntegerField(null=True, blank=True)
    protocolled_at = models.DateTimeField(null=True, blank=True)
    # Empty for the built-in register; the P.I.Tre. register code (CodeRegister) otherwise, so that numbers of
    # two registers (a municipality switching during the year) never collide.
    protocol_register = models.CharField(max_length=50, blank=True, default="")
    protocol_segnatura = models.CharField(_("segnatura di protocollo"), max_length=255, blank=True)
    protocol_document_id = models.CharField(max_length=64, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("data di chiusura"), null=True, blank=True)
    integration_due = models.DateField(_("termine per le integrazioni"), null=True, blank=True)
    outcome_motivation = models.TextField(_("motivazione dell'esito"), blank=True)
    receipt_sha256 = models.CharField(max_length=64, blank=True)
    # Anonymous applications only: a keyed hash of the address they came from, for the per-address limits.
    origin = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("pratica")
        verbose_name_plural = _("pratiche")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "protocol_year", "protocol_number", "protocol_register"],
                name="application_unique_protocol",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=State.values), name="application_state_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "-submitted_at", "-id"], name="app_list_idx"),
            models.Index(fields=["municipality", "state", "-submitted_at", "-id"], name="app_state_idx"),
            models.Index(fields=["municipality", "service", "-submitted_at", "-id"], name="app_service_idx"),
            models.Index(fields=["municipality", "assigned_to", "-submitted_at"], name="app_assignee_idx"),
            models.Index(fields=["municipality", "applicant_fiscal_code"], name="app_fiscal_code_idx"),
            models.Index(Upper("applicant_name"), "municipality", name="app_name_idx"),
            models.Index(fields=["applicant", "-created_at"], name="app_applicant_idx"),
            models.Index(
                fields=["service", "origin", "-created_at"],
                condition=models.Q(applicant__isnull=True),
                name="app_anonymous_idx",
            ),
            models.Index(
                fields=["updated_at"],
                condition=models.Q(applicant__isnull=True, state=State.DRAFT),
                name="app_anonymous_draft_idx",
            ),
            # The open applications only (a few percent of them): the statistics' overdue count and list.
            models.Index(
                fields=["municipality", "service", "submitted_at"],
                condition=models.Q(state__in=sorted(OPEN_STATES)),
                name="app_open_idx",
            ),
            models.Index(
                fields=["municipality", "submitted_at", "id"],
                condition=models.Q(state__in=sorted(OPEN_STATES)),
                name="app_open_age_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """The number citizens and staff quote: the protocol number once registered."""
        if self.protocol_number:
            return f"{self.protocol_year}/{self.protocol_number:06d}"
        return f"B-{self.pk}"


class ProtocolCounter(models.Model):
    """The last protocol number given by the built-in register, per municipality and year."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="protocol_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}/{self.year}: {self.last_number}"


class ApplicationEvent(models.Model):
    """One transition: who, when, from, to, why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor_kind = models.CharField(max_length=16, choices=Actor.choices)
    transition = models.CharField(max_length=32)
    from_state = models.CharField(max_length=32, choices=State.choices)
    to_state = models.CharField(max_length=32, choices=State.choices)
    motivation = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.transition}: {self.from_state} -> {self.to_state}"

    @property
    def title(self) -> str:
        """The transition's own name in the history ("Pagamento ricevuto"), when the table gives one."""
        from .states import TRANSITIONS

        transition = TRANSITIONS.get(self.transition)
        return str(transition.label) if transition and transition.label else ""


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"applications/{instance.application.municipality_id}/{instance.application_id}/{instance.kind}-{instance.sha256[:16]}.{extension}"


class Message(models.Model):
    """A message between the office and the citizen, or an internal note among staff."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    from_office = models.BooleanField()
    internal = models.BooleanField(default=False)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:50]


class Attachment(models.Model):
    class Kind(models.TextChoices):
        FORM = "form", _("Allegato alla domanda")
        MESSAGE = "message", _("Allegato a un messaggio")
        OUTCOME = "outcome", _("Documento dell'esito")
        RECEIPT = "receipt", _("Ricevuta")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    field_key = models.CharField(max_length=50, blank=True)
    file = models.FileField(upload_to=attachment_upload_to)
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name


class StatisticsSnapshot(models.Model):
    """When the statistics of a municipality were last computed (``statistics_refresh``, run by the scheduler)."""

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, related_name="+")
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.municipality_id} @ {self.refreshed_at:%Y-%m-%d %H:%M}"


class StatisticsRow(models.Model):
    """Submitted applications of one service, state and month of submission (Europe/Rome), as of the snapshot.

    The statistics page sums a few thousand of these instead of grouping a million applications.
    """

    snapshot = models.ForeignKey(StatisticsSnapshot, on_delete=models.CASCADE, related_name="rows")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=32, choices=State.choices)
    month = models.DateField()
    count = models.PositiveIntegerField()
    closed_count = models.PositiveIntegerField(default=0)  # of them, closed with a closing date
    handling_seconds = models.BigIntegerField(default=0)  # sum, submission to closure, of those closed
    overdue_count = models.PositiveIntegerField(default=0)  # of them, open past the service's response time

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "service", "state", "month"], name="statistics_row_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.state} {self.month:%Y-%m}: {self.count}"


class ProtocolSettings(models.Model):
    """A municipality's protocol register: the built-in one, or its P.I.Tre. (administrators set it)."""

    class Provider(models.TextChoices):
        BUILTIN = "builtin", _("Registro interno di Sportello")
        PITRE = "pitre", _("P.I.Tre.")

    class Routing(models.TextChoices):
        ROUTER = "router", _("Router unico (RouteRestRequest)")
        PATHS = "paths", _("Un indirizzo per metodo")

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="protocol_settings"
    )
    provider = models.CharField(
        _("registro di protocollo"), max_length=16, choices=Provider.choices, default=Provider.BUILTIN
    )
    base_url = models.URLField(
        _("indirizzo del servizio"),
        blank=True,
        help_text=_("Per esempio https://ws-p.pitre.tn.it/RestServices (router) o …/Vt-Docs/RESTServices."),
    )
    routing = models.CharField(
        _("modalità di chiamata"), max_length=8, choices=Routing.choices, default="router"
    )
    code_adm = models.CharField(_("codice amministrazione (CodeAdm)"), max_length=50, blank=True)
    code_application = models.CharField(_("codice applicazione (CodeApplication)"), max_length=50, blank=True)
    username = models.CharField(_("utente"), max_length=100, blank=True)
    code_role = models.CharField(_("codice ruolo"), max_length=50, blank=True)
    code_register = models.CharField(_("codice registro (CodeRegister)"), max_length=50, blank=True)
    code_rf = models.CharField(_("codice RF (facoltativo)"), max_length=50, blank=True)
    # Secrets: write-only in every form, never rendered, never logged.
    client_certificate = models.TextField(blank=True)
    client_key = models.TextField(blank=True)
    register_correspondence = models.BooleanField(
        _("protocolla anche messaggi, integrazioni ed esiti"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("registro di protocollo")

    def __str__(self) -> str:
        return self.get_provider_display()

    def __repr__(self) -> str:  # never the secrets
        return f"<ProtocolSettings {self.municipality_id} {self.provider}>"

    @property
    def is_pitre(self) -> bool:
        return self.provider == self.Provider.PITRE


class ServiceProtocolSettings(models.Model):
    """Where a service's applications are filed in P.I.Tre.: the classification scheme and the fascicolo."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="protocol_settings")
    classification_scheme = models.CharField(
        _("titolario (ClassificationSchemeId)"), max_length=64, blank=True
    )
    project_code = models.CharField(_("codice del fascicolo (CodeProject)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("fascicolazione del servizio")

    def __str__(self) -> str:
        return self.project_code or "-"


class ProtocolEntry(models.Model):
    """One document to register in an external protocol register, registered out of band by a task.

    ``reference`` is unique per municipality and is part of the subject sent to the register, so that after an
    unknown outcome the task can find the entry it may already have created (``SearchDocuments``) instead of
    creating a second one.
    """

    class Kind(models.TextChoices):
        APPLICATION = "application", _("Domanda")
        MESSAGE = "message", _("Messaggio")
        OUTCOME = "outcome", _("Esito")

    class Status(models.TextChoices):
        PENDING = "pending", _("In attesa di protocollo")
        REGISTERED = "registered", _("Protocollato")
        FAILED = "failed", _("Protocollazione non riuscita")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="protocol_entries")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    direction = models.CharField(max_length=1, choices=[("A", _("In arrivo")), ("P", _("In partenza"))])
    reference = models.CharField(max_length=40)
    subject = models.CharField(max_length=500)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Set (and committed) just before the creating call: a later attempt searches before creating again.
    sent_at = models.DateTimeField(null=True, blank=True)
    # A run holds the entry until then (no two runs call the register at once); a dead run's claim expires.
    claimed_until = models.DateTimeField(null=True, blank=True)
    uploading = models.ForeignKey(
        "Attachment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded = models.JSONField(default=list)
    document_id = models.CharField(max_length=64, blank=True)
    number = models.PositiveIntegerField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    segnatura = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference"], name="protocol_entry_unique_reference"
            ),
        ]

    def __str__(self) -> str:
        return self.segnatura or self.reference
