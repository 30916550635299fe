"""Subscription services ("servizi a sottoscrizione"): seasonal enrolments with a payment plan, subscriptions
shared with related fiscal codes, one charge per plan item linked to its pagoPA ``Payment``.

Capacity is the database's: ``SubscriptionService.seats_taken`` moves by one in an ``UPDATE ... SET
seats_taken = seats_taken + 1`` and a CHECK keeps it within ``max_subscribers`` on the same row, so concurrent
enrolments serialise on the row and the one over capacity fails with ``IntegrityError`` (SQLite and PostgreSQL).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sportello.applications.models import Application
from sportello.catalog.models import Service
from sportello.formschema.validators import validate_fiscal_code
from sportello.municipalities.models import Municipality, TenantQuerySet
from sportello.payments.models import BudgetFields, Payment


class SubscriptionService(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="subscription_services"
    )
    code = models.SlugField(_("codice"), max_length=40)
    name = models.CharField(_("nome"), max_length=200)
    service = models.OneToOneField(
        Service,
        on_delete=models.PROTECT,
        related_name="subscription_service",
        verbose_name=_("servizio del catalogo (modulo di iscrizione)"),
    )
    enrol_from = models.DateTimeField(_("iscrizioni dal"))
    enrol_until = models.DateTimeField(_("iscrizioni fino al"))
    period_start = models.DateField(_("inizio del servizio"))
    period_end = models.DateField(_("fine del servizio"))
    max_subscribers = models.PositiveIntegerField(_("numero massimo di iscritti"))
    seats_taken = models.PositiveIntegerField(_("posti occupati"), default=0, editable=False)
    message = models.TextField(_("messaggio agli iscritti"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("servizio a sottoscrizione")
        verbose_name_plural = _("servizi a sottoscrizione")
        ordering = ["-period_start", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="subscription_service_code"),
            # The capacity: the counter can never pass the maximum, whatever the interleaving of enrolments.
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("max_subscribers")), name="subscription_service_capacity"
            ),
            models.CheckConstraint(
                condition=Q(enrol_until__gt=F("enrol_from")), name="subscription_service_window"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="subscription_service_period"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_full(self) -> bool:
        return self.seats_taken >= self.max_subscribers


class ItemKind(models.TextChoices):
    ENROLMENT = "enrolment", _("Quota di iscrizione")
    INSTALMENT = "instalment", _("Rata")
    OPTIONAL = "optional", _("Pagamento facoltativo")


class PlanItem(models.Model):
    """One item of the payment plan; its amount is the sum of its budget lines."""

    subscription_service = models.ForeignKey(
        SubscriptionService, on_delete=models.CASCADE, related_name="items"
    )
    code = models.SlugField(_("codice"), max_length=30)
    kind = models.CharField(_("tipo"), max_length=16, choices=ItemKind.choices)
    label = models.CharField(_("descrizione"), max_length=140)
    position = models.PositiveSmallIntegerField(default=1)
    # Null: due ``settings.SUBSCRIPTION_DUE_DAYS`` days after enrolment (typically the enrolment fee).
    due_date = models.DateField(_("scadenza"), null=True, blank=True)
    reducible = models.BooleanField(_("riducibile (ISEE, fratelli)"), default=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["subscription_service", "code"], name="plan_item_code"),
            models.CheckConstraint(condition=Q(kind__in=ItemKind.values), name="plan_item_kind"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def amount_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines.all())


class PlanItemLine(BudgetFields):
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="plan_item_line_unique"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=5), name="plan_item_line_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.position} {self.description}"


class ReductionKind(models.TextChoices):
    ISEE = "isee", _("Fascia ISEE")
    SIBLING = "sibling", _("Fratelli")


class Reduction(models.Model):
    """A reduction as data: ISEE up to ``isee_max_cents``, or from the ``sibling_rank``-th child enrolled."""

    subscription_service = models.ForeignKey(
        SubscriptionService, on_delete=models.CASCADE, related_name="reductions"
    )
    kind = models.CharField(_("tipo"), max_length=16, choices=ReductionKind.choices)
    label = models.CharField(_("descrizione"), max_length=140)
    isee_max_cents = models.PositiveBigIntegerField(_("ISEE fino a (centesimi)"), null=True, blank=True)
    sibling_rank = models.PositiveSmallIntegerField(_("dal figlio numero"), null=True, blank=True)
    percent = models.PositiveSmallIntegerField(
        _("riduzione (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(percent__gte=1, percent__lte=100), name="reduction_percent"),
            models.CheckConstraint(
                condition=Q(kind="isee", isee_max_cents__isnull=False, sibling_rank__isnull=True)
                | Q(kind="sibling", sibling_rank__gte=2, isee_max_cents__isnull=True),
                name="reduction_kind_fields",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class SubscriptionState(models.TextChoices):
    ACTIVE = "active", _("Attiva")
    WITHDRAWN = "withdrawn", _("Ritirata")
    CLOSED = "closed", _("Chiusa dall'ufficio")


class SubscriptionQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(state=SubscriptionState.ACTIVE)

    def visible_to(self, user):
        """The citizen's own (applicant or subscriber) and those shared with their fiscal code."""
        code = (getattr(user, "fiscal_code", "") or "").upper()
        condition = Q(holder=user)
        if code:
            condition |= (
                Q(holder_fiscal_code=code) | Q(subscriber_fiscal_code=code) | Q(sharers__fiscal_code=code)
            )
        return self.filter(condition).distinct()


class Subscription(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="subscriptions")
    subscription_service = models.ForeignKey(
        SubscriptionService, on_delete=models.PROTECT, related_name="subscriptions"
    )
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="subscription"
    )
    subscriber_fiscal_code = models.CharField(
        _("codice fiscale dell'iscritto"), max_length=16, validators=[validate_fiscal_code]
    )
    subscriber_first_name = models.CharField(_("nome dell'iscritto"), max_length=100)
    subscriber_last_name = models.CharField(_("cognome dell'iscritto"), max_length=100)
    # Who enrolled (and is the debtor of the positions): the applicant, or the parent named in the import.
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="held_subscriptions",
    )
    holder_fiscal_code = models.CharField(
        _("codice fiscale del richiedente"), max_length=16, validators=[validate_fiscal_code]
    )
    holder_name = models.CharField(_("richiedente"), max_length=200)
    holder_email = models.EmailField(_("e-mail del richiedente"), blank=True)
    isee_cents = models.PositiveBigIntegerField(_("ISEE (centesimi)"), null=True, blank=True)
    state = models.CharField(
        _("stato"), max_length=16, choices=SubscriptionState.choices, default=SubscriptionState.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("iscrizione")
        verbose_name_plural = _("iscrizioni")
        ordering = ["subscriber_last_name", "subscriber_first_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=SubscriptionState.values), name="subscription_state_valid"
            ),
            # A child is enrolled once per service while active (withdrawn ones may enrol again).
            models.UniqueConstraint(
                fields=["subscription_service", "subscriber_fiscal_code"],
                condition=Q(state="active"),
                name="subscription_one_active_per_subscriber",
            ),
        ]
        indexes = [
            models.Index(fields=["subscriber_fiscal_code"], name="subscription_subscriber_idx"),
            models.Index(fields=["holder_fiscal_code"], name="subscription_holder_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subscriber_last_name} {self.subscriber_first_name} ({self.subscription_service_id})"

    @property
    def subscriber_name(self) -> str:
        return f"{self.subscriber_last_name} {self.subscriber_first_name}".strip()


class Sharer(models.Model):
    """A related fiscal code (a parent) who sees and pays the subscription."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="sharers")
    fiscal_code = models.CharField(_("codice fiscale"), max_length=16, validators=[validate_fiscal_code])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "fiscal_code"], name="sharer_unique")]
        indexes = [models.Index(fields=["fiscal_code"], name="sharer_fiscal_code_idx")]

    def __str__(self) -> str:
        return self.fiscal_code


# A position that failed in the checkout or expired unpaid: the charge is still owed, a new position collects it.
RENEWABLE = ("failed", "expired")


class Charge(models.Model):
    """What one subscription owes for one plan item, and the pagoPA position that collects it (none when the
    reductions bring it to zero)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="charges")
    item = models.ForeignKey(PlanItem, on_delete=models.PROTECT, related_name="charges")
    amount_cents = models.PositiveIntegerField(_("importo (centesimi)"))
    due_date = models.DateField(_("scadenza"))
    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="subscription_charge"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "item"], name="charge_unique_item"),
            models.CheckConstraint(
                condition=Q(amount_cents=0, payment__isnull=True) | Q(amount_cents__gt=0),
                name="charge_zero_has_no_payment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id}/{self.item_id}"

    @property
    def status(self) -> str:
        """``exempt`` (nothing to pay), ``paid``, ``late`` (unpaid past its due date), ``open`` (unpaid), or
        ``cancelled``; a failed or expired position of an active subscription still counts as unpaid."""
        from django.utils import timezone

        if self.amount_cents == 0:
            return "exempt"
        if self.payment is None:
            return "open"
        status = self.payment.status
        if status in RENEWABLE and self.subscription.state == SubscriptionState.ACTIVE:
            status = "pending"  # a new position is made when the family pays (``charge_payment_renew``)
        if status in ("created", "pending"):
            return "late" if self.due_date < timezone.localdate() else "open"
        return status

    @property
    def payable(self) -> bool:
        return self.status in ("open", "late") and self.payment is not None


class Reminder(models.Model):
    """A reminder sent for a charge (due soon: once per charge; late: each time the office sends them)."""

    class Kind(models.TextChoices):
        DUE = "due", _("Scadenza in arrivo")
        LATE = "late", _("Sollecito")

    charge = models.ForeignKey(Charge, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["charge", "kind"], condition=Q(kind="due"), name="reminder_due_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.charge_id} {self.kind}"
