"""Payments: the municipality's pagoPA settings, a service's payment configuration, debt positions and their
budget lines, status history, reporting flows (FdR) and their lines."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sportello.applications.models import Application
from sportello.catalog.models import Service
from sportello.formschema.validators import validate_iban
from sportello.municipalities.models import Municipality, TenantQuerySet
from sportello.municipalities.validators import validate_numeric_fiscal_code

from .validators import validate_segregation_code, validate_taxonomy_code


class Provider(models.TextChoices):
    SANDBOX = "sandbox", _("Ambiente di prova (sandbox)")
    PAGOPA = "pagopa", _("pagoPA (GPD e Checkout)")


class PaymentSettings(models.Model):
    """A municipality's creditor data and pagoPA connection. The subscription keys are write-only secrets."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="payment_settings"
    )
    creditor_fiscal_code = models.CharField(
        _("codice fiscale dell'ente creditore"), max_length=11, validators=[validate_numeric_fiscal_code]
    )
    creditor_name = models.CharField(_("denominazione dell'ente creditore"), max_length=140)
    iban = models.CharField(_("IBAN di accredito"), max_length=34, validators=[validate_iban])
    segregation_code = models.CharField(
        _("codice di segregazione"), max_length=2, validators=[validate_segregation_code]
    )
    cbill = models.CharField(_("codice CBILL"), max_length=5, blank=True)
    provider = models.CharField(
        _("fornitore"), max_length=16, choices=Provider.choices, default=Provider.SANDBOX
    )
    gpd_base_url = models.URLField(
        _("indirizzo base GPD"),
        blank=True,
        default="https://api.platform.pagopa.it/gpd/debt-positions-service/v1",
    )
    gpd_subscription_key = models.CharField(_("chiave di sottoscrizione GPD"), max_length=200, blank=True)
    checkout_base_url = models.URLField(
        _("indirizzo base Checkout"), blank=True, default="https://api.platform.pagopa.it/checkout/ec/v1"
    )
    checkout_subscription_key = models.CharField(
        _("chiave di sottoscrizione Checkout"), max_length=200, blank=True
    )
    accounting_email = models.EmailField(
        _("e-mail dell'ufficio ragioneria"),
        blank=True,
        help_text=_("Riceve ogni mattina il collegamento all'export contabile del giorno prima."),
    )

    class Meta:
        verbose_name = _("impostazioni dei pagamenti")
        verbose_name_plural = _("impostazioni dei pagamenti")

    def __str__(self) -> str:  # never the keys
        return f"{self.creditor_name} ({self.creditor_fiscal_code})"

    def __repr__(self) -> str:
        return f"<PaymentSettings {self.municipality_id} {self.provider}>"


class When(models.TextChoices):
    NONE = "none", _("Nessun pagamento")
    SUBMISSION = "submission", _("All'invio della domanda")
    DEFERRED = "deferred", _("Differito: lo chiede l'ufficio durante l'istruttoria")


class ServicePaymentConfig(models.Model):
    """What a service asks to pay: when, the budget lines (their amounts are the default split), the rules that
    change the amounts by the form's answers (``iuv.resolve_amounts``), and the due date."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="payment_config")
    when = models.CharField(_("quando si paga"), max_length=16, choices=When.choices, default=When.NONE)
    description = models.CharField(_("causale"), max_length=140, blank=True)
    due_days = models.PositiveSmallIntegerField(
        _("scadenza (giorni dalla richiesta)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    rules = models.JSONField(_("regole sull'importo"), default=list, blank=True)

    class Meta:
        verbose_name = _("configurazione del pagamento")
        verbose_name_plural = _("configurazioni del pagamento")

    def __str__(self) -> str:
        return f"{self.service_id}: {self.when}"

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines.all())


# The accounting keys of a budget line, in the order forms and exports show them.
BUDGET_FIELDS = (
    "description",
    "capitolo",
    "articolo",
    "accertamento",
    "ufficio",
    "taxonomy_code",
    "amount_cents",
)


class BudgetFields(models.Model):
    """The accounting keys of a budget line, shared by the configuration and each payment's own copy."""

    description = models.CharField(_("descrizione"), max_length=140)
    capitolo = models.CharField(_("capitolo"), max_length=30)
    articolo = models.CharField(_("articolo"), max_length=30, blank=True)
    accertamento = models.CharField(_("accertamento"), max_length=30, blank=True)
    ufficio = models.CharField(_("ufficio"), max_length=60, blank=True)
    taxonomy_code = models.CharField(
        _("codice di tassonomia pagoPA"), max_length=40, validators=[validate_taxonomy_code]
    )
    amount_cents = models.PositiveIntegerField(_("importo (centesimi)"))

    class Meta:
        abstract = True


class ServiceBudgetLine(BudgetFields):
    config = models.ForeignKey(ServicePaymentConfig, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["config", "position"], name="service_budget_line_unique"),
            models.CheckConstraint(
                condition=models.Q(position__gte=1, position__lte=5), name="service_budget_line_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.description}"


class IuvCounter(models.Model):
    """The last IUV sequence given per municipality and year (locked while allocating)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="iuv_counter_unique")]

    def __str__(self) -> str:
        return f"{self.municipality_id}/{self.year}: {self.last}"


class Status(models.TextChoices):
    CREATED = "created", _("Creato")
    PENDING = "pending", _("In attesa di pagamento")
    PAID = "paid", _("Pagato")
    FAILED = "failed", _("Non riuscito")
    EXPIRED = "expired", _("Scaduto")
    CANCELLED = "cancelled", _("Annullato")


OPEN_STATUSES = (Status.CREATED, Status.PENDING)


class PaymentQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Payment(models.Model):
    """One pagoPA debt position with one payment option; its budget lines are the transfers 1-5."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="payments")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    provider = models.CharField(_("fornitore"), max_length=16, choices=Provider.choices)
    creditor_fiscal_code = models.CharField(max_length=11)
    iupd = models.CharField("IUPD", max_length=35)
    iuv_base = models.CharField(max_length=13)
    iuv = models.CharField("IUV", max_length=17)
    notice_number = models.CharField(_("numero avviso"), max_length=18)
    amount_cents = models.PositiveIntegerField(_("importo (centesimi)"))
    description = models.CharField(_("causale"), max_length=140)
    due_date = models.DateField(_("scadenza"))
    debtor_fiscal_code = models.CharField(_("codice fiscale del debitore"), max_length=16)
    debtor_name = models.CharField(_("debitore"), max_length=140)
    debtor_email = models.EmailField(blank=True)
    status = models.CharField(_("stato"), max_length=16, choices=Status.choices, default=Status.CREATED)
    # What the position pays for, for the domain that asked for it ("room:deposit", "subscription:12:3"...).
    # Empty: the fee of ``application`` itself, whose outcome drives the application's state.
    purpose = models.CharField(_("finalità"), max_length=64, blank=True, default="")
    # Synchronisation with the provider, shown to the operator: published yet? last error? next check?
    published_at = models.DateTimeField(_("pubblicato il"), null=True, blank=True)
    sync_attempts = models.PositiveSmallIntegerField(default=0)
    sync_error = models.CharField(_("ultimo errore del fornitore"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("ultima verifica"), null=True, blank=True)
    # Receipt
    paid_at = models.DateTimeField(_("pagato il"), null=True, blank=True)
    paid_cents = models.PositiveIntegerField(_("importo pagato (centesimi)"), null=True, blank=True)
    psp = models.CharField(_("prestatore del servizio di pagamento"), max_length=140, blank=True)
    receipt_id = models.CharField(_("identificativo della ricevuta"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("pagamento")
        verbose_name_plural = _("pagamenti")
        constraints = [
            # The IUV base never repeats for one creditor: the database refuses a duplicate.
            models.UniqueConstraint(
                fields=["creditor_fiscal_code", "iuv_base"], name="payment_unique_iuv_base"
            ),
            models.UniqueConstraint(fields=["creditor_fiscal_code", "iupd"], name="payment_unique_iupd"),
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="payment_status_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "checked_at"], name="payment_open_idx"),
            models.Index(fields=["municipality", "-created_at"], name="payment_list_idx"),
            models.Index(fields=["municipality", "paid_at"], name="payment_paid_idx"),
            models.Index(fields=["iuv"], name="payment_iuv_idx"),
        ]

    def __str__(self) -> str:
        return self.iuv

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class PaymentLine(BudgetFields):
    """A payment's copy of a budget line, bound to the transfer index it has in the debt position."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="lines")
    transfer_index = models.PositiveSmallIntegerField()
    iban = models.CharField(max_length=34)
    reconciled_flow = models.ForeignKey(
        "ReportingFlow", on_delete=models.SET_NULL, null=True, blank=True, related_name="reconciled_lines"
    )

    class Meta:
        ordering = ["transfer_index"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "transfer_index"], name="payment_line_unique_index"),
            models.CheckConstraint(
                condition=models.Q(transfer_index__gte=1, transfer_index__lte=5),
                name="payment_line_index_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id}/{self.transfer_index}"


class PaymentEvent(models.Model):
    """The history of a payment's status (who or what saw which change, when)."""

    class Source(models.TextChoices):
        SYSTEM = "system", _("Sistema")
        POLL = "poll", _("Verifica presso pagoPA")
        RETURN = "return", _("Ritorno dal pagamento")
        OPERATOR = "operator", _("Operatore")

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    source = models.CharField(max_length=16, choices=Source.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.payment_id}: {self.from_status} -> {self.to_status}"


class ReportingFlow(models.Model):
    """A reporting flow (flusso di rendicontazione, FdR) received from a PSP, with its reconciliation report."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="reporting_flows")
    flow_id = models.CharField(_("identificativo del flusso"), max_length=35)
    flow_at = models.DateTimeField(_("data e ora del flusso"))
    settlement_ref = models.CharField(_("riferimento del regolamento"), max_length=35)
    settlement_date = models.DateField(_("data di regolamento"))
    sender = models.CharField(_("istituto mittente"), max_length=140)
    total_count = models.PositiveIntegerField()
    total_cents = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    report = models.JSONField(default=dict)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("flusso di rendicontazione")
        verbose_name_plural = _("flussi di rendicontazione")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "flow_id"], name="reporting_flow_unique"),
        ]

    def __str__(self) -> str:
        return self.flow_id


class SandboxPosition(models.Model):
    """The pagoPA sandbox's own record of a debt position (what GPD would hold), for the demo and the tests."""

    creditor_fiscal_code = models.CharField(max_length=11)
    iupd = models.CharField(max_length=35)
    iuv = models.CharField(max_length=17)
    amount_cents = models.PositiveIntegerField()
    description = models.CharField(max_length=140)
    transfers = models.JSONField(default=list)
    status = models.CharField(max_length=16, default=Status.PENDING)
    return_urls = models.JSONField(default=dict, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    psp = models.CharField(max_length=140, blank=True)
    receipt_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["creditor_fiscal_code", "iupd"], name="sandbox_position_unique")
        ]

    def __str__(self) -> str:
        return f"sandbox {self.iupd}"


class PeriodicExport(models.Model):
    """One morning's accounting export of a municipality: written and e-mailed once per day."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE)
    day = models.DateField()
    rows = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "day"], name="periodic_export_unique")]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.day}"


class AccountingExport(models.Model):
    """A long accounting export built by a task; its page shows the progress, then offers the file."""

    class State(models.TextChoices):
        QUEUED = "queued", _("In coda")
        RUNNING = "running", _("In preparazione")
        DONE = "done", _("Pronto")
        FAILED = "failed", _("Non riuscito")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    date_from = models.DateField()
    date_to = models.DateField()
    export_format = models.CharField(max_length=8)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.date_from}..{self.date_to}"

    @property
    def percent(self) -> int:
        return 100 if self.state == self.State.DONE else (100 * self.done // self.total if self.total else 0)
