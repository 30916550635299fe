import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sportello.catalog.models import Service
from sportello.municipalities.models import Municipality, TenantQuerySet

from . import availability
from .states import Actor, State


def new_feed_secret() -> str:
    return secrets.token_urlsafe(32)


class CalendarQuerySet(TenantQuerySet):
    def managed_by(self, user, municipality):
        """Administrators manage every calendar of their municipality, coordinators only their own."""
        from sportello.accounts.models import Role
        from sportello.accounts.roles import staff_role

        role = staff_role(user, municipality)
        calendars = self.for_municipality(municipality)
        if role == Role.ADMIN:
            return calendars
        if role == Role.OPERATOR:
            return calendars.filter(coordinators=user)
        return calendars.none()


class Calendar(models.Model):
    """An office's agenda: the capacity that appointments consume."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="calendars")
    title = models.CharField(_("titolo"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_calendars",
        verbose_name=_("proprietario"),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_calendars",
        verbose_name=_("coordinatori"),
    )
    services = models.ManyToManyField(
        Service, blank=True, related_name="calendars", verbose_name=_("servizi prenotabili")
    )
    office_name = models.CharField(_("ufficio"), max_length=200)
    address = models.CharField(_("indirizzo"), max_length=200)
    contact_email = models.EmailField(_("e-mail di contatto"), blank=True)
    what_to_bring = models.TextField(_("cosa portare"), blank=True)
    moderated = models.BooleanField(_("prenotazioni da approvare"), default=False)
    min_notice_hours = models.PositiveIntegerField(_("preavviso minimo (ore)"), default=24)
    horizon_days = models.PositiveIntegerField(
        _("prenotabile fino a (giorni)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    cancel_until_hours = models.PositiveIntegerField(_("annullabile fino a (ore prima)"), default=24)
    hold_minutes = models.PositiveIntegerField(
        _("durata del blocco dell'orario scelto (minuti)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    patron_month = models.PositiveSmallIntegerField(
        _("santo patrono: mese"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    patron_day = models.PositiveSmallIntegerField(
        _("santo patrono: giorno"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    reminder_hours = models.PositiveIntegerField(_("promemoria (ore prima)"), default=24)
    feed_secret = models.CharField(max_length=64, default=new_feed_secret, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CalendarQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendario")
        verbose_name_plural = _("calendari")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def policy(self) -> availability.Policy:
        from datetime import timedelta

        patron = (self.patron_month, self.patron_day) if self.patron_month and self.patron_day else None
        return availability.Policy(
            min_notice=timedelta(hours=self.min_notice_hours), horizon_days=self.horizon_days, patron=patron
        )


class OpeningRule(models.Model):
    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="rules")
    valid_from = models.DateField(_("valido dal"))
    valid_until = models.DateField(_("valido fino al"), null=True, blank=True)
    weekdays = models.JSONField(_("giorni della settimana"), default=list)  # 0 = Monday
    start = models.TimeField(_("dalle"))
    end = models.TimeField(_("alle"))
    slot_minutes = models.PositiveIntegerField(
        _("durata dell'appuntamento (minuti)"), validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    pause_minutes = models.PositiveIntegerField(_("pausa tra appuntamenti (minuti)"), default=0)
    capacity = models.PositiveIntegerField(
        _("sportelli in parallelo"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["valid_from", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="rule_end_after_start"
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="rule_capacity_positive"),
            models.CheckConstraint(condition=models.Q(slot_minutes__gte=1), name="rule_slot_positive"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="rule_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.calendar}: {self.start:%H:%M}-{self.end:%H:%M}"

    def as_rule(self) -> availability.Rule:
        return availability.Rule(
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            weekdays=frozenset(self.weekdays),
            start=self.start,
            end=self.end,
            slot_minutes=self.slot_minutes,
            pause_minutes=self.pause_minutes,
            capacity=self.capacity,
        )


class Closure(models.Model):
    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="closures")
    start = models.DateField(_("dal"))
    end = models.DateField(_("al"))
    reason = models.CharField(_("motivo"), max_length=200)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="closure_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.calendar}: {self.start}-{self.end} {self.reason}"

    def as_closure(self) -> availability.Closure:
        return availability.Closure(self.start, self.end)


class AppointmentQuerySet(TenantQuerySet):
    def occupying(self):
        return self.filter(state__in=[State.HELD, State.PENDING, State.APPROVED])


class Appointment(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="appointments")
    calendar = models.ForeignKey(Calendar, on_delete=models.PROTECT, related_name="appointments")
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointment",
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    first_name = models.CharField(_("nome"), max_length=150, blank=True)
    last_name = models.CharField(_("cognome"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    fiscal_code = models.CharField(_("codice fiscale"), max_length=16, blank=True)
    reason = models.CharField(_("motivo"), max_length=200, blank=True)
    details = models.TextField(_("dettagli"), blank=True)
    start = models.DateTimeField(_("inizio"))
    end = models.DateTimeField(_("fine"))
    state = models.CharField(_("stato"), max_length=16, choices=State.choices, default=State.HELD)
    hold_until = models.DateTimeField(_("bloccato fino a"), null=True, blank=True)
    motivation = models.TextField(_("motivazione"), blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # stable ICS UID
    sequence = models.PositiveIntegerField(default=0)  # ICS SEQUENCE: +1 on every change the citizen sees
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appuntamento")
        verbose_name_plural = _("appuntamenti")
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["calendar", "start"], name="appointment_calendar_start"),
            models.Index(fields=["state", "hold_until"], name="appointment_state_hold"),
        ]

    def __str__(self) -> str:
        return f"{self.calendar} {self.start:%d/%m/%Y %H:%M}"

    @property
    def applicant_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Reservation(models.Model):
    """One occupied place: the database, not a check before insert, enforces capacity.

    A slot of capacity N has places 0..N-1; the unique constraint on (calendar, start, place) makes a place
    impossible to take twice, whatever the concurrency, on SQLite and on PostgreSQL. Held, pending and approved
    appointments own rows; refusing, cancelling or releasing deletes them. Rooms will use the same table with
    one row per time unit of the range (see docs/architecture.md).
    """

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="reservations")
    start = models.DateTimeField()
    place = models.PositiveSmallIntegerField()
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="reservations")
    # Denormalised from the appointment so availability reads one index: live holds have an expiry.
    hold_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["calendar", "start", "place"], name="reservation_unique_place"),
        ]

    def __str__(self) -> str:
        return f"{self.calendar} {self.start:%Y-%m-%d %H:%M} #{self.place}"


class AppointmentEvent(models.Model):
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor_kind = models.CharField(max_length=16, choices=Actor.choices)
    transition = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16, choices=State.choices)
    to_state = models.CharField(max_length=16, choices=State.choices)
    motivation = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.appointment_id} {self.transition}"


class Reminder(models.Model):
    """An e-mail due before the appointment: a row sent by a periodic task, moved or deleted with it."""

    appointment = models.OneToOneField(Appointment, on_delete=models.CASCADE, related_name="reminder")
    send_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "send_at"], name="reminder_due")]

    def __str__(self) -> str:
        return f"{self.appointment_id} {self.send_at:%Y-%m-%d %H:%M}"


class WaitingEntry(models.Model):
    """ "Avvisami se si libera un posto prima": a booked citizen waiting for an earlier place, in order.

    When a place frees before the appointment, the first waiting citizen gets an exclusive ``offer``: a held
    appointment on that place, which a one-click link turns into the move.
    """

    appointment = models.OneToOneField(Appointment, on_delete=models.CASCADE, related_name="waiting")
    created_at = models.DateTimeField(auto_now_add=True)
    offer = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="offered_to"
    )
    offered_start = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.appointment_id} waiting"
