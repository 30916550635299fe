"""Notifications: the citizen's channel preferences, App IO bindings of services and the IO messages sent.

The IO service id itself stays on ``catalog.Service.io_service_id`` (the catalogue's rename guard reads it);
this app keeps everything else about IO, so the catalogue has no migration.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sportello.catalog.models import Service
from sportello.municipalities.models import Municipality


class Channels(models.TextChoices):
    BOTH = "both", _("E-mail e App IO")
    EMAIL = "email", _("Solo e-mail")
    IO = "io", _("Solo App IO")


class NotificationPreference(models.Model):
    """How a citizen wants to hear from one municipality; no row means both channels."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    channels = models.CharField(_("canali"), max_length=8, choices=Channels.choices, default=Channels.BOTH)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality"], name="notification_preference_unique"),
            models.CheckConstraint(
                condition=models.Q(channels__in=Channels.values), name="notification_preference_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.municipality_id}: {self.channels}"


class IOProvider(models.TextChoices):
    IO = "io", _("App IO")
    SANDBOX = "io_sandbox", _("App IO (demo)")


class IOBinding(models.Model):
    """A service's App IO configuration. ``api_key`` and ``manage_key`` are write-only secrets."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="io_binding")
    provider = models.CharField(
        _("fornitore"), max_length=16, choices=IOProvider.choices, default=IOProvider.IO
    )
    api_key = models.CharField(_("chiave API del servizio"), max_length=128)
    manage_key = models.CharField(_("chiave «manage» dell'ente"), max_length=128, blank=True)
    enabled = models.BooleanField(_("invia i messaggi su App IO"), default=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:  # never the keys
        return f"IOBinding service={self.service_id} provider={self.provider}"


class ServiceIOLogEntry(models.Model):
    """The service's App IO history: configuration, the rename warning, each synchronisation."""

    class Kind(models.TextChoices):
        CONFIGURED = "configured", _("Configurazione App IO salvata")
        RENAME_WARNING = "rename_warning", _("Cambio del nome confermato dopo l'avviso App IO")
        SYNC_QUEUED = "sync_queued", _("Sincronizzazione con App IO in coda")
        SYNC_DONE = "sync_done", _("Sincronizzato con App IO")
        SYNC_FAILED = "sync_failed", _("Sincronizzazione con App IO non riuscita")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="io_log")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.service_id} {self.kind}"


class IOMessage(models.Model):
    """One message for one citizen and one event; the unique (user, event_key) makes it exist at most once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("In coda")
        SENDING = "sending", _("Invio in corso")
        ACCEPTED = "accepted", _("Consegnato ad App IO")
        NO_PROFILE = "no_profile", _("Il cittadino non usa App IO")
        NOT_ALLOWED = "not_allowed", _("Il cittadino ha disattivato il servizio su App IO")
        FORBIDDEN = "forbidden", _("Il servizio non è abilitato all'invio su App IO")
        FAILED = "failed", _("Non inviato (errore)")
        UNCERTAIN = "uncertain", _("Esito dell'invio da verificare")

    FINAL = (
        Status.ACCEPTED,
        Status.NO_PROFILE,
        Status.NOT_ALLOWED,
        Status.FORBIDDEN,
        Status.FAILED,
        Status.UNCERTAIN,
    )
    # IO's final refusals: the notice then goes by e-mail (``fallback_email``), once.
    REFUSED = (Status.NO_PROFILE, Status.NOT_ALLOWED, Status.FORBIDDEN)

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="io_messages")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="io_messages")
    fiscal_code = models.CharField(max_length=16)
    event_key = models.CharField(max_length=120)
    contents = models.JSONField(help_text="{language: {subject, markdown}}, rendered within IO's limits")
    due_date = models.DateTimeField(null=True, blank=True)
    payment_data = models.JSONField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    language = models.CharField(max_length=2, blank=True)
    idempotency_key = models.UUIDField(null=True, blank=True)
    io_id = models.CharField(max_length=64, blank=True)
    io_status = models.CharField(max_length=16, blank=True)
    error = models.TextField(blank=True)
    # The e-mail of the same notice, rendered when the citizen chose App IO only: sent if IO refuses it.
    # {"to": [...], "subject": ..., "body": ..., "attachments": [[name, base64, mimetype]]}
    fallback_email = models.JSONField(null=True, blank=True)
    fallback_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event_key"], name="io_message_once_per_event"),
        ]
        indexes = [models.Index(fields=["event_key"], name="io_message_event_idx")]

    def __str__(self) -> str:
        return f"{self.event_key} -> {self.fiscal_code}: {self.status}"


class IOAttempt(models.Model):
    """One call to App IO for a message: what was asked, the HTTP status, the error."""

    message = models.ForeignKey(IOMessage, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField(auto_now_add=True)
    operation = models.CharField(max_length=16)  # profile, submit, status, manual
    idempotency_key = models.UUIDField(default=uuid.uuid4)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=16, blank=True)
    error = models.TextField(blank=True)
    # A staff member's decision on an uncertain delivery (operation "manual"): who, and why.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.message_id} {self.operation}: {self.outcome}"


class EmailDelivery(models.Model):
    """The e-mail side of a citizen-facing event, so the operator sees both channels."""

    class Status(models.TextChoices):
        SENT = "sent", _("E-mail inviata")
        NOT_WANTED = "not_wanted", _("E-mail non inviata: il cittadino preferisce App IO")
        NO_ADDRESS = "no_address", _("E-mail non inviata: nessun indirizzo")
        FALLBACK = "fallback", _("E-mail inviata perché App IO non ha recapitato l'avviso")

    event_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.event_key}: {self.status}"


class SandboxIOMessage(models.Model):
    """A message as the IO sandbox received it (the "App IO (demo)" inbox); demo and tests only."""

    io_id = models.CharField(max_length=32, unique=True)
    sender_service_id = models.CharField(max_length=64)
    fiscal_code = models.CharField(max_length=16, db_index=True)
    content = models.JSONField()
    time_to_live = models.PositiveIntegerField(default=3600)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.io_id


class SandboxIOService(models.Model):
    """A service as registered on the IO sandbox (what "Sincronizza con IO" publishes)."""

    io_service_id = models.CharField(max_length=64, unique=True)
    data = models.JSONField(default=dict)
    status = models.CharField(max_length=16, default="approved")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.io_service_id
