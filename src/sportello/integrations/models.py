"""What other systems use to integrate with a municipality: API tokens and outgoing webhooks."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sportello.municipalities.models import Municipality, TenantQuerySet


class Scope(models.TextChoices):
    APPLICATIONS_READ = "applications:read", _("Lettura delle pratiche")
    TRANSITIONS_WRITE = "transitions:write", _("Azioni sulle pratiche")
    MESSAGES_WRITE = "messages:write", _("Messaggi sulle pratiche")
    PAYMENTS_READ = "payments:read", _("Lettura dei pagamenti e dell'export contabile")
    CALENDARS = "calendars", _("Calendari e appuntamenti (lettura)")
    APPOINTMENTS_WRITE = "appointments:write", _("Prenotazione e gestione degli appuntamenti")
    ROOMS_READ = "rooms:read", _("Prenotazioni delle sale (lettura)")
    ROOMS_WRITE = "rooms:write", _("Approvazione, rifiuto e annullamento delle prenotazioni delle sale")


class Event(models.TextChoices):
    APPLICATION_STATE_CHANGED = "application.state_changed", _("Cambio di stato di una pratica")
    APPOINTMENT_BOOKED = "appointment.booked", _("Appuntamento prenotato")
    APPOINTMENT_APPROVED = "appointment.approved", _("Appuntamento confermato dall'ufficio")
    APPOINTMENT_MOVED = "appointment.moved", _("Appuntamento spostato")
    APPOINTMENT_CANCELLED = "appointment.cancelled", _("Appuntamento annullato o rifiutato")
    APPOINTMENT_DONE = "appointment.done", _("Appuntamento svolto")
    APPOINTMENT_MISSED = "appointment.missed", _("Appuntamento mancato (assente)")
    PAYMENT_PAID = "payment.paid", _("Pagamento eseguito")
    PAYMENT_FAILED = "payment.failed", _("Pagamento non riuscito")
    PAYMENT_EXPIRED = "payment.expired", _("Pagamento scaduto")
    PAYMENT_CANCELLED = "payment.cancelled", _("Pagamento annullato dall'ufficio")
    ROOM_BOOKING_REQUESTED = "room_booking.requested", _("Richiesta di una sala inviata")
    ROOM_BOOKING_APPROVED = (
        "room_booking.approved",
        _("Prenotazione di una sala approvata, in attesa di pagamento"),
    )
    ROOM_BOOKING_REFUSED = "room_booking.refused", _("Prenotazione di una sala rifiutata")
    ROOM_BOOKING_CONFIRMED = (
        "room_booking.confirmed",
        _("Prenotazione di una sala confermata (pagata o gratuita)"),
    )
    ROOM_BOOKING_CANCELLED = "room_booking.cancelled", _("Prenotazione di una sala annullata")


class ApiTokenQuerySet(TenantQuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """A municipality's token for one integration. Only its SHA-256 is kept; the token is shown once.

    It acts on behalf of ``user`` (the administrator who created it), within its ``scopes``.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nome"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)  # the public part, to find the row
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("permessi"), default=list)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("scadenza"))
    last_used_at = models.DateTimeField(_("ultimo utilizzo"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def is_usable(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class Webhook(models.Model):
    """An address of the municipality's systems that receives signed events."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("indirizzo"), max_length=500)
    events = models.JSONField(_("eventi"), default=list)
    secret = models.CharField(max_length=100)  # the signing key: shown once, never again
    is_active = models.BooleanField(_("attivo"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhook")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event for one webhook: sent at least once, with the same id (the idempotency key) every time."""

    class Status(models.TextChoices):
        PENDING = "pending", _("In corso")
        DELIVERED = "delivered", _("Consegnato")
        FAILED = "failed", _("Non consegnato")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=64, choices=Event.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["municipality", "-created_at"], name="delivery_list_idx")]

    def __str__(self) -> str:
        return f"{self.event} -> {self.webhook_id} ({self.status})"


class IdempotencyKey(models.Model):
    """A POST of the API that created something, under the client's ``Idempotency-Key``: a retry with the same key
    (from the same municipality) and the same request gets the stored response and creates nothing.

    The unique constraint is what makes two concurrent requests with one key create one thing: the second insert
    waits for the first transaction and then fails, and the second request replays the first's response."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of method, path and body
    token = models.ForeignKey(ApiToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"], name="idempotency_key_unique"),
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_key_age_idx")]

    def __str__(self) -> str:
        return f"{self.municipality_id}:{self.key}"
