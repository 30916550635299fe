"""Municipal rooms ("spazi comunali"): the room and its regulation as data, tariffs by applicant category and
season, closures, election periods, the bookings with their state machine, and the occupied ranges.

Every occupied range -- a citizen's booking (one row per date of a recurring request) or one of the
municipality's own reserved periods -- is a ``RoomOccupancy`` row ``[start, end)``. The database refuses two
overlapping *active* rows of one room: on PostgreSQL an exclusion constraint on ``tstzrange(start, "end")`` with
``btree_gist``, on SQLite two triggers that ``RAISE(ABORT)``; both are created by migration 0002.
"""

import uuid
from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sportello.municipalities.models import Municipality, TenantQuerySet
from sportello.payments.validators import validate_taxonomy_code

from .states import ACTIVE, State


class Category(models.TextChoices):
    RESIDENT = "resident", _("Cittadino residente")
    NON_RESIDENT = "non_resident", _("Cittadino non residente")
    LOCAL_ASSOCIATION = "local_association", _("Associazione locale")
    OTHER_ASSOCIATION = "other_association", _("Altra associazione")
    THIRD_SECTOR = "third_sector", _("Ente del Terzo settore")
    COMPANY = "company", _("Impresa")
    SCHOOL = "school", _("Scuola")
    POLITICAL_PARTY = "political_party", _("Partito o candidato")
    PUBLIC_BODY = "public_body", _("Ente pubblico")


class Unit(models.TextChoices):
    HOUR = "hour", _("Ora")
    HALF_DAY = "half_day", _("Mezza giornata (4 ore)")
    BAND = "band", _("Fascia oraria")
    DAY = "day", _("Giornata")


def _default_weekdays():
    return [0, 1, 2, 3, 4, 5]


def _default_bands():
    return [["08:00", "13:00"], ["13:00", "18:00"], ["18:00", "23:00"]]


class RoomQuerySet(TenantQuerySet):
    def managed_by(self, user, municipality):
        """Administrators manage every room of their municipality, operators only the rooms they coordinate."""
        from sportello.accounts.models import Role
        from sportello.accounts.roles import staff_role

        role = staff_role(user, municipality)
        rooms = self.for_municipality(municipality)
        if role == Role.ADMIN:
            return rooms
        if role == Role.OPERATOR:
            return rooms.filter(coordinators=user)
        return rooms.none()


class Room(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("nome"), max_length=120)
    slug = models.SlugField(_("indirizzo breve"), max_length=80)
    place = models.CharField(_("sede"), max_length=140)
    address = models.CharField(_("indirizzo"), max_length=200)
    capacity = models.PositiveIntegerField(_("capienza (persone)"), validators=[MinValueValidator(1)])
    description = models.TextField(_("descrizione"), blank=True)
    equipment = models.TextField(_("dotazioni (una per riga)"), blank=True)
    accessibility = models.TextField(_("accessibilità"), blank=True)
    regulation = models.FileField(_("regolamento (PDF)"), upload_to="rooms/regulations/", blank=True)
    published = models.BooleanField(_("pubblicata"), default=True)
    # The catalogue's service card of the rooms ("Prenotazione spazi comunali"): its "Accedi al servizio" leads to
    # the rooms, the room pages link back to it, and its App IO binding carries the room notices.
    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rooms",
        limit_choices_to={"kind": "room"},
        verbose_name=_("servizio del catalogo"),
        help_text=_(
            "La scheda del servizio che porta a questa sala; il suo collegamento ad App IO vale anche qui."
        ),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="coordinated_rooms", verbose_name=_("coordinatori")
    )
    # Regulation: when and how long.
    weekdays = models.JSONField(_("giorni prenotabili"), default=_default_weekdays)
    opens_at = models.TimeField(_("apertura"), default=time(8, 0))
    closes_at = models.TimeField(_("chiusura"), default=time(23, 0))
    holidays_closed = models.BooleanField(_("chiusa nei giorni festivi"), default=True)
    unit = models.CharField(
        _("unità di prenotazione"), max_length=10, choices=Unit.choices, default=Unit.HOUR
    )
    bands = models.JSONField(_("fasce orarie"), default=_default_bands, blank=True)
    min_units = models.PositiveSmallIntegerField(_("durata minima (unità)"), default=1)
    max_units = models.PositiveSmallIntegerField(_("durata massima (unità)"), default=8)
    min_notice_days = models.PositiveSmallIntegerField(_("preavviso minimo (giorni)"), default=3)
    max_notice_days = models.PositiveSmallIntegerField(_("preavviso massimo (giorni)"), default=180)
    moderated = models.BooleanField(_("richieste approvate dall'ufficio"), default=True)
    hold_minutes = models.PositiveSmallIntegerField(_("tenuta durante la compilazione (minuti)"), default=30)
    payment_grace_hours = models.PositiveSmallIntegerField(
        _("tempo per pagare di nuovo dopo un pagamento non riuscito (ore)"),
        default=48,
        help_text=_("La sala resta tenuta per questo tempo, mai oltre l'inizio della prenotazione."),
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("promemoria al richiedente (ore prima di ogni data; 0 = nessuno)"), default=24
    )
    # Cancellation rule: full refund up to N days before, then the given percentage.
    full_refund_days = models.PositiveSmallIntegerField(_("rimborso totale fino a (giorni prima)"), default=3)
    late_refund_percent = models.PositiveSmallIntegerField(
        _("rimborso dopo quel termine (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    # Tariff settings (the rates per category and season are RoomTariff rows).
    weekend_surcharge_percent = models.PositiveSmallIntegerField(
        _("maggiorazione sabato, domenica e festivi (%)"), default=0, validators=[MaxValueValidator(300)]
    )
    minimum_charge_cents = models.PositiveIntegerField(_("importo minimo (centesimi)"), default=0)
    deposit_cents = models.PositiveIntegerField(_("cauzione (centesimi)"), default=0)
    fee_capitolo = models.CharField(_("capitolo della tariffa"), max_length=30, default="3100")
    fee_taxonomy_code = models.CharField(
        _("tassonomia della tariffa"),
        max_length=40,
        default="9/0110100TS/",
        validators=[validate_taxonomy_code],
    )
    deposit_capitolo = models.CharField(_("capitolo della cauzione"), max_length=30, default="6200")
    deposit_taxonomy_code = models.CharField(
        _("tassonomia della cauzione"),
        max_length=40,
        default="9/0114104AP/",
        validators=[validate_taxonomy_code],
    )

    objects = RoomQuerySet.as_manager()

    class Meta:
        verbose_name = _("sala")
        verbose_name_plural = _("sale")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="room_unique_slug"),
            # A closing time earlier than the opening time is after midnight (19:00-01:00); equal is no opening.
            models.CheckConstraint(
                condition=~models.Q(closes_at=models.F("opens_at")),
                name="room_hours",
                violation_error_message=_(
                    "L'orario di chiusura deve essere diverso da quello di apertura "
                    "(se è prima dell'apertura, la sala chiude dopo mezzanotte)."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(max_units__gte=models.F("min_units")), name="room_units"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.service_id and (
            self.service.municipality_id != self.municipality_id or self.service.kind != "room"
        ):
            raise ValidationError({"service": _("Scegli un servizio «Prenotazione spazi» di questo Comune.")})

    @property
    def regulation_filename(self) -> str:
        """The name the regulation is shown under: ASCII from the slug, never the uploader's file name."""
        return f"regolamento-{self.slug}.pdf"

    @property
    def equipment_list(self) -> list[str]:
        return [line.strip() for line in self.equipment.splitlines() if line.strip()]


class RoomPhoto(models.Model):
    """A photo of a room, re-encoded at upload (``core.uploads.image_checked``) under a random name, in two sizes:
    the image shown on the room's page and the thumbnail of the room list. The alternative text is required."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    thumbnail = models.FileField(max_length=200)
    thumbnail_width = models.PositiveIntegerField()
    thumbnail_height = models.PositiveIntegerField()
    alt_text = models.CharField(_("descrizione della foto (testo alternativo)"), max_length=250)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(alt_text=""), name="room_photo_alt_text"),
        ]

    def __str__(self) -> str:
        return f"{self.room_id}: {self.alt_text}"

    def variant(self, name: str):
        """The stored file for a URL's size name: "grande" (the page) or "piccola" (the thumbnail), else None."""
        return {"grande": self.image, "piccola": self.thumbnail}.get(name)


class RoomSeason(models.Model):
    """A season of a room's tariffs, e.g. winter with heating from 15 October to 15 April (may wrap the year)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="seasons")
    name = models.CharField(_("nome"), max_length=60)
    start_month = models.PositiveSmallIntegerField(
        _("dal mese"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    start_day = models.PositiveSmallIntegerField(
        _("dal giorno"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    end_month = models.PositiveSmallIntegerField(
        _("al mese"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    end_day = models.PositiveSmallIntegerField(
        _("al giorno"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )

    class Meta:
        ordering = ["start_month", "start_day"]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_day}/{self.start_month}-{self.end_day}/{self.end_month})"


class RoomTariff(models.Model):
    """The rate per unit for one applicant category, outside any season (season empty) or in one season.
    A category without a tariff row cannot book the room."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="tariffs")
    category = models.CharField(_("categoria"), max_length=20, choices=Category.choices)
    season = models.ForeignKey(
        RoomSeason, on_delete=models.CASCADE, null=True, blank=True, related_name="tariffs"
    )
    rate_cents = models.PositiveIntegerField(_("tariffa per unità (centesimi)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["room", "category"],
                condition=models.Q(season__isnull=True),
                name="room_tariff_unique_base",
            ),
            models.UniqueConstraint(
                fields=["room", "category", "season"],
                condition=models.Q(season__isnull=False),
                name="room_tariff_unique_season",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room_id} {self.category} {self.season_id}: {self.rate_cents}"


class RoomClosure(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="closures")
    start = models.DateField(_("dal"))
    end = models.DateField(_("al"))
    reason = models.CharField(_("motivo"), max_length=140, blank=True)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="room_closure_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start}..{self.end}"


class ElectionPeriod(models.Model):
    """Election mode (L. 515/1993 arts. 19-20): between these dates rooms are free for parties and candidates."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="election_periods")
    name = models.CharField(_("consultazione"), max_length=140)
    start = models.DateField(_("dal"))
    end = models.DateField(_("al"))

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="election_ordered")
        ]

    def __str__(self) -> str:
        return self.name


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Persona fisica")
    ORGANISATION = "organisation", _("Associazione, ente o impresa")


class RoomBookingQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(state__in=ACTIVE)


class RoomBooking(models.Model):
    """A citizen's request for one room on one or more dates (a recurring request), with its state, price and
    payments. Its ranges are RoomOccupancy rows, active while the booking is."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="room_bookings")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings")
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="room_bookings",
    )
    state = models.CharField(_("stato"), max_length=12, choices=State.choices, default=State.HELD)
    hold_until = models.DateTimeField(null=True, blank=True)
    first_start = models.DateTimeField(_("inizio"))
    sequence = models.PositiveIntegerField(default=0)  # ICS SEQUENCE, bumped by each change the citizen sees
    # Applicant
    category = models.CharField(_("categoria"), max_length=20, choices=Category.choices)
    applicant_kind = models.CharField(
        max_length=12, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    applicant_name = models.CharField(_("richiedente"), max_length=200, blank=True)
    applicant_fiscal_code = models.CharField(_("codice fiscale del richiedente"), max_length=16, blank=True)
    applicant_email = models.EmailField(blank=True)
    organisation_name = models.CharField(_("denominazione"), max_length=200, blank=True)
    organisation_fiscal_code = models.CharField(_("codice fiscale dell'ente"), max_length=16, blank=True)
    legal_representative = models.CharField(_("legale rappresentante"), max_length=200, blank=True)
    # Details
    purpose = models.CharField(_("finalità"), max_length=200, blank=True)
    programme = models.TextField(_("programma"), blank=True)
    attendance = models.PositiveIntegerField(_("partecipanti previsti"), null=True, blank=True)
    equipment = models.JSONField(_("dotazioni richieste"), default=list, blank=True)
    declarations = models.JSONField(default=list, blank=True)
    patronage = models.BooleanField(_("patrocinio del Comune"), default=False)
    patronage_requested = models.BooleanField(_("patrocinio richiesto"), default=False)
    patronage_motivation = models.TextField(_("motivazione della richiesta di patrocinio"), blank=True)
    # Price (the quote computed when the request was sent: explained lines, in cents)
    quote = models.JSONField(default=dict, blank=True)
    fee_cents = models.PositiveIntegerField(default=0)
    deposit_cents = models.PositiveIntegerField(default=0)
    fee_payment = models.ForeignKey(
        "payments.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="room_fee_bookings"
    )
    deposit_payment = models.ForeignKey(
        "payments.Payment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="room_deposit_bookings",
    )
    # A payment failed or expired: the booking stays held until then, and the citizen can pay again.
    payment_grace_until = models.DateTimeField(_("si può pagare di nuovo fino al"), null=True, blank=True)
    # Positions replaced by "Paga di nuovo": a late "paid" on one of them still finds its booking.
    replaced_payments = models.ManyToManyField("payments.Payment", blank=True, related_name="+")
    # Paid when the booking could no longer use it (released, or paid twice): to be refunded by the office.
    late_paid_cents = models.PositiveIntegerField(
        _("pagato in ritardo, da rimborsare (centesimi)"), default=0
    )
    motivation = models.TextField(_("motivazione"), blank=True)
    refund_cents = models.PositiveIntegerField(_("rimborso della tariffa (centesimi)"), null=True, blank=True)
    # Office: keys, damage check, deposit refund
    keys_handed_at = models.DateTimeField(_("chiavi consegnate il"), null=True, blank=True)
    keys_returned_at = models.DateTimeField(_("chiavi restituite il"), null=True, blank=True)
    damage_checked_at = models.DateTimeField(_("verifica danni il"), null=True, blank=True)
    damage_notes = models.TextField(_("esito della verifica"), blank=True)
    deposit_withheld_cents = models.PositiveIntegerField(_("cauzione trattenuta (centesimi)"), default=0)
    deposit_refunded_at = models.DateTimeField(_("cauzione restituita il"), null=True, blank=True)
    deposit_refund_cents = models.PositiveIntegerField(
        _("cauzione restituita (centesimi)"), null=True, blank=True
    )
    deposit_refund_iban = models.CharField(_("IBAN per la restituzione"), max_length=34, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoomBookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("prenotazione di sala")
        verbose_name_plural = _("prenotazioni di sale")
        ordering = ["first_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=State.values), name="room_booking_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["room", "state", "first_start"], name="room_booking_list_idx")]

    def __str__(self) -> str:
        return f"{self.room_id} {self.first_start:%Y-%m-%d %H:%M} {self.state}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE

    @property
    def can_pay_again(self) -> bool:
        """A payment failed or expired and the grace period still lasts: "Paga di nuovo" is offered."""
        from django.utils import timezone

        failed = ("failed", "expired", "cancelled")
        return (
            self.state == State.APPROVED
            and self.payment_grace_until is not None
            and self.payment_grace_until > timezone.now()
            and any(p is not None and p.status in failed for p in (self.fee_payment, self.deposit_payment))
        )


class RoomOccupancy(models.Model):
    """One occupied range [start, end) of a room: a date of a booking, or a period the municipality reserves
    for its own use (council meeting, elections, maintenance: ``booking`` empty, ``reason`` given)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="occupancies")
    start = models.DateTimeField()
    end = models.DateTimeField()
    active = models.BooleanField(default=True)
    booking = models.ForeignKey(
        RoomBooking, on_delete=models.CASCADE, null=True, blank=True, related_name="occupancies"
    )
    reason = models.CharField(_("motivo"), max_length=140, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="room_occupancy_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(booking__isnull=False) | ~models.Q(reason=""), name="room_occupancy_owner"
            ),
        ]
        indexes = [models.Index(fields=["room", "active", "start"], name="room_occupancy_range_idx")]

    def __str__(self) -> str:
        return f"{self.room_id} [{self.start:%Y-%m-%d %H:%M}, {self.end:%H:%M})"

    @property
    def is_reserved(self) -> bool:
        return self.booking_id is None


class RoomBookingEvent(models.Model):
    booking = models.ForeignKey(RoomBooking, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    transition = models.CharField(max_length=30)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.transition}"


class RoomReminder(models.Model):
    """The reminder of one date of a confirmed booking, sent once by the periodic task (as appointments')."""

    booking = models.ForeignKey(RoomBooking, on_delete=models.CASCADE, related_name="reminders")
    occupancy = models.OneToOneField(RoomOccupancy, on_delete=models.CASCADE, related_name="reminder")
    send_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "send_at"], name="room_reminder_due")]

    def __str__(self) -> str:
        return f"{self.occupancy_id} @ {self.send_at:%Y-%m-%d %H:%M}"
