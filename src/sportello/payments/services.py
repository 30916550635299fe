"""Writes on payments. The provider is asked outside any transaction; what it says is applied by
``payment_apply_status`` under a row lock, idempotently: the same news twice changes nothing, and a late
"failed" after "paid" changes nothing (paid is final). A worker dying between the provider's confirmation and
the local update loses nothing: the poller asks again."""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sportello.applications import services as applications
from sportello.core import identifiers

from . import iuv
from .models import (
    BUDGET_FIELDS,
    OPEN_STATUSES,
    IuvCounter,
    Payment,
    PaymentEvent,
    PaymentLine,
    PaymentSettings,
    ServicePaymentConfig,
    Status,
    When,
)
from .providers import PositionStatus, ProviderError, ProviderUnavailable, get_provider
from .signals import payment_published, payment_settled, payment_still_pending

logger = logging.getLogger(__name__)
# Seconds to wait before asking the provider again after the n-th consecutive failure (then stays at the last).
BACKOFF = (60, 300, 900, 3600, 21600)
FINAL_FAILURES = (Status.FAILED, Status.EXPIRED, Status.CANCELLED)


def _allocate_base(municipality, year: int) -> str:
    """The next 13-digit IUV base: a per-year counter under a row lock (a unique constraint backs it up)."""
    IuvCounter.objects.get_or_create(municipality=municipality, year=year)
    counter = IuvCounter.objects.select_for_update().get(municipality=municipality, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return identifiers.iuv_base(year, counter.last)


def _settings(municipality) -> PaymentSettings:
    settings = PaymentSettings.objects.filter(municipality=municipality).first()
    if settings is None:
        raise ValidationError(_("I pagamenti non sono configurati per questo ente: rivolgiti all'ufficio."))
    return settings


def _record(payment, to_status, *, source, note="", actor=None):
    PaymentEvent.objects.create(
        payment=payment,
        from_status=payment.status if payment.pk else "",
        to_status=to_status,
        source=source,
        note=note[:300],
        actor=actor,
    )


@transaction.atomic
def payment_position_create(
    *,
    municipality,
    lines,
    description: str,
    due_date,
    debtor_fiscal_code: str,
    debtor_name: str,
    debtor_email: str = "",
    application=None,
    purpose: str = "",
    actor=None,
) -> Payment:
    """A debt position from explicit ``lines``: ``(budget keys, amount in cents)`` pairs, transfers 1-5.

    The budget keys are a mapping of ``BUDGET_FIELDS`` but the amount. Lines of zero cents are left out.
    Publication at the provider is a task enqueued in this transaction (retried on 5xx and timeouts).
    """
    from .tasks import payment_publish

    if not debtor_fiscal_code:
        raise ValidationError(_("Per pagare con pagoPA accedi con SPID o CIE."))
    chosen = [(keys, amount) for keys, amount in lines if amount]
    total = sum(amount for _keys, amount in chosen)
    try:
        iuv.check_split(total, [amount for _keys, amount in chosen])
    except iuv.SplitError as error:
        raise ValidationError(str(error)) from error
    settings = _settings(municipality)
    now = timezone.localtime()
    base = _allocate_base(municipality, now.year)
    code = identifiers.iuv(settings.segregation_code, base)
    payment = Payment(
        municipality=municipality,
        application=application,
        purpose=purpose,
        provider=settings.provider,
        creditor_fiscal_code=settings.creditor_fiscal_code,
        iupd=f"SPT-{code}",
        iuv_base=base,
        iuv=code,
        notice_number=identifiers.notice_number(settings.segregation_code, base),
        amount_cents=total,
        description=description[:140],
        due_date=due_date,
        debtor_fiscal_code=debtor_fiscal_code,
        debtor_name=debtor_name[:140],
        debtor_email=debtor_email or "",
    )
    payment.full_clean(exclude=["municipality", "application"])
    payment.save()
    PaymentLine.objects.bulk_create(
        PaymentLine(
            payment=payment,
            transfer_index=index,
            iban=settings.iban,
            **{f: keys.get(f, "") for f in BUDGET_FIELDS if f != "amount_cents"},
            amount_cents=amount,
        )
        for index, (keys, amount) in enumerate(chosen, start=1)
    )
    PaymentEvent.objects.create(
        payment=payment, to_status=Status.CREATED, source=PaymentEvent.Source.SYSTEM, actor=actor
    )
    payment_publish.enqueue(payment_id=payment.pk)
    return payment


@transaction.atomic
def payment_create(*, application, actor=None, due_date=None) -> Payment:
    """The fee of ``application`` from its service's configuration (amounts by the form's answers).

    ``due_date`` may bring the configured due date closer (a booked appointment is paid before its day).
    """
    config = ServicePaymentConfig.objects.filter(service=application.service).first()
    if config is None or config.when == When.NONE:
        raise ValidationError(_("Questo servizio non prevede un pagamento."))
    if application.payments.filter(purpose="", status__in=[*OPEN_STATUSES, Status.PAID]).exists():
        raise ValidationError(_("Per questa pratica c'è già un pagamento aperto o eseguito."))
    if not application.applicant_fiscal_code:
        raise ValidationError(_("Per pagare con pagoPA accedi con SPID o CIE."))
    lines = list(config.lines.all())
    amounts = iuv.resolve_amounts([line.amount_cents for line in lines], config.rules, application.data)
    applicant = application.applicant
    return payment_position_create(
        municipality=application.municipality,
        application=application,
        lines=[
            ({f: getattr(line, f) for f in BUDGET_FIELDS if f != "amount_cents"}, amount)
            for line, amount in zip(lines, amounts, strict=True)
        ],
        description=config.description or application.service.name,
        due_date=min(
            filter(None, [(timezone.localtime() + timedelta(days=config.due_days)).date(), due_date])
        ),
        debtor_fiscal_code=application.applicant_fiscal_code,
        debtor_name=application.applicant_name or (applicant.username if applicant else ""),
        debtor_email=(applicant.email if applicant else "") or "",
        actor=actor,
    )


@transaction.atomic
def payment_request_at_submission(*, application, user, due_date=None) -> Payment:
    """The citizen confirms a request paid at submission: the application waits, the position is created."""
    applications.application_request_payment(application=application, user=user)
    application.refresh_from_db()
    return payment_create(application=application, actor=user, due_date=due_date)


@transaction.atomic
def payment_request_deferred(*, application, user) -> Payment:
    """An operator asks for a deferred payment while handling the application."""
    config = ServicePaymentConfig.objects.filter(service=application.service).first()
    if config is None or config.when != When.DEFERRED:
        raise ValidationError(_("Per questo servizio il pagamento non è richiesto dall'ufficio."))
    if not applications.can_operate(user, application):
        raise ValidationError(_("Il pagamento si può chiedere solo per una pratica in istruttoria."))
    # The application waits for the payment ("In attesa del pagamento richiesto"), under its row lock.
    application = applications.application_payment_request(application=application, user=user)
    return payment_create(application=application, actor=user)


def _locked(payment) -> Payment:
    return Payment.objects.select_for_update(of=("self",)).select_related("application").get(pk=payment.pk)


@transaction.atomic
def payment_apply_status(*, payment, observed: PositionStatus, source=PaymentEvent.Source.POLL) -> Payment:
    """Apply what the provider says. Idempotent and order-safe: paid is final, other finals only yield to paid."""
    payment = _locked(payment)
    payment.checked_at = timezone.now()
    payment.sync_attempts, payment.sync_error = 0, ""
    new = observed.status
    changed = new != payment.status and (
        new == Status.PAID
        or (payment.status in OPEN_STATUSES and new in FINAL_FAILURES)
        or (payment.status == Status.CREATED and new == Status.PENDING)
    )
    if not changed:
        payment.save(update_fields=["checked_at", "sync_attempts", "sync_error", "updated_at"])
        return payment
    _record(payment, new, source=source)
    payment.status = new
    if new == Status.PENDING and payment.published_at is None:
        payment.published_at = timezone.now()
    if new == Status.PAID:
        payment.paid_at = observed.paid_at or timezone.now()
        payment.paid_cents = observed.paid_cents or payment.amount_cents
        payment.psp, payment.receipt_id = observed.psp, observed.receipt_id
    payment.save()
    if new in (Status.FAILED, Status.EXPIRED) and not payment.purpose:
        from .tasks import payment_failed_notify

        payment_failed_notify.enqueue(payment_id=payment.pk)
    if new == Status.PENDING:
        payment_published.send(sender=Payment, payment=payment)
    if new in (Status.PAID, *FINAL_FAILURES):
        _settled(payment)
    return payment


def _settled(payment, *, by_operator: bool = False) -> None:
    """A payment became final (once per payment and final state): its application's fee drives the application
    (what it does there is the application's transition table); every final state is announced."""
    if payment.application_id and not payment.purpose:
        if payment.status == Status.PAID:
            outcome = "succeeded"
            note = _("%(amount)s € pagati (avviso %(notice)s).")
        else:
            outcome = "cancelled" if by_operator else "failed"
            note = _("Pagamento di %(amount)s € %(status)s (avviso %(notice)s).")
        applications.application_payment_outcome(
            application=payment.application,
            outcome=outcome,
            note=note
            % {
                "amount": iuv.format_euro(payment.amount_cents),
                "notice": payment.notice_number,
                "status": payment.get_status_display().lower(),
            },
        )
    payment_settled.send(sender=Payment, payment=payment, status=payment.status)


@transaction.atomic
def _record_failure(*, payment, error: Exception, final: bool) -> Payment:
    """Keep the provider's failure visible to the operator; a definitive refusal fails the payment."""
    payment = _locked(payment)
    payment.checked_at = timezone.now()
    payment.sync_attempts += 1
    payment.sync_error = str(error)[:300]
    payment.save(update_fields=["checked_at", "sync_attempts", "sync_error", "updated_at"])
    if final and payment.status == Status.CREATED:
        return payment_apply_status(payment=payment, observed=PositionStatus(status=Status.FAILED))
    return payment


def payment_publish_now(*, payment) -> Payment:
    """Create the position at the provider (no transaction held during the call). Raises ProviderUnavailable."""
    if payment.status != Status.CREATED:
        return payment
    provider = get_provider(payment.municipality.payment_settings, payment.provider)
    try:
        provider.create_position(payment)
    except ProviderUnavailable as error:
        _record_failure(payment=payment, error=error, final=False)
        raise
    except (ProviderError, ValueError) as error:
        logger.warning("payment %s: publication refused: %s", payment.pk, error)
        return _record_failure(payment=payment, error=error, final=True)
    return payment_apply_status(
        payment=payment, observed=PositionStatus(status=Status.PENDING), source=PaymentEvent.Source.SYSTEM
    )


def payment_refresh(*, payment, source=PaymentEvent.Source.POLL) -> Payment:
    """Ask the provider for the position's state and apply it (creating the position first if still due)."""
    if payment.status == Status.CREATED:
        payment = payment_publish_now(payment=payment)
        if payment.status == Status.CREATED:
            return payment
    if not payment.is_open:
        return payment
    provider = get_provider(payment.municipality.payment_settings, payment.provider)
    try:
        observed = provider.position_status(payment)
    except ProviderError as error:
        _record_failure(payment=payment, error=error, final=False)
        raise
    if observed.status == Status.CREATED:  # the provider lost it or never got it: create it again
        return payment
    if observed.status == Status.PENDING and payment.due_date < timezone.localdate():
        observed = PositionStatus(status=Status.EXPIRED)
    return payment_apply_status(payment=payment, observed=observed, source=source)


def payment_checkout_start(*, payment, ok_url: str, cancel_url: str, error_url: str) -> str:
    """ "Paga online": the provider's checkout address; the application then waits for the outcome."""
    if payment.status == Status.CREATED:
        payment = payment_publish_now(payment=payment)
    if payment.status != Status.PENDING:
        raise ValidationError(
            _("Il pagamento non è disponibile in questo momento: riprova tra qualche minuto.")
        )
    provider = get_provider(payment.municipality.payment_settings, payment.provider)
    url = provider.checkout_url(payment, ok_url=ok_url, cancel_url=cancel_url, error_url=error_url)
    if payment.application_id and not payment.purpose:
        applications.application_payment_outcome(application=payment.application, outcome="started")
    return url


def _due_for_check(payment, now) -> bool:
    if payment.sync_attempts == 0 or payment.checked_at is None:
        return True
    delay = BACKOFF[min(payment.sync_attempts, len(BACKOFF)) - 1]
    return payment.checked_at + timedelta(seconds=delay) <= now


def payments_poll(*, limit: int = 500) -> int:
    """Ask the provider about the open payments (oldest check first, with backoff after failures)."""
    now = timezone.now()
    checked = 0
    open_payments = (
        Payment.objects.open()
        .select_related("municipality__payment_settings", "application")
        .order_by(F("checked_at").asc(nulls_first=True), "pk")[:limit]
    )
    for payment in open_payments:
        if not _due_for_check(payment, now):
            continue
        try:
            payment = payment_refresh(payment=payment)
        except ProviderError as error:  # recorded on the payment; the next tick retries after the backoff
            logger.warning("payment %s: provider error: %s", payment.pk, error)
        else:
            checked += 1
        # Still open, also while the provider does not answer: the citizen's held slot must not lapse meanwhile.
        if payment.is_open and payment.application_id:
            payment_still_pending.send(sender=Payment, payment=payment, application=payment.application)
    return checked


@transaction.atomic
def payment_cancel(*, payment, user, note: str = "") -> Payment:
    """An operator cancels an open payment: invalidated at the provider, then cancelled here."""
    provider = get_provider(payment.municipality.payment_settings, payment.provider)
    if payment.status == Status.PENDING:
        provider.invalidate(payment)
    payment = _locked(payment)
    if not payment.is_open:
        return payment
    PaymentEvent.objects.create(
        payment=payment,
        from_status=payment.status,
        to_status=Status.CANCELLED,
        source=PaymentEvent.Source.OPERATOR,
        actor=user,
        note=note[:300],
    )
    payment.status = Status.CANCELLED
    payment.save(update_fields=["status", "updated_at"])
    # A fee at submission is left to the operator; an application waiting for a deferred payment returns to handling.
    _settled(payment, by_operator=True)
    return payment


# --- configuration (administrators) ---

SECRET_FIELDS = ("gpd_subscription_key", "checkout_subscription_key")


@transaction.atomic
def payment_settings_save(*, municipality, values: dict, secrets: dict) -> PaymentSettings:
    """Save the creditor data; a secret is replaced only when a new value is given (write-only fields)."""
    from .models import Provider

    settings = PaymentSettings.objects.filter(municipality=municipality).first() or PaymentSettings(
        municipality=municipality
    )
    for name, value in values.items():
        setattr(settings, name, value)
    for name in SECRET_FIELDS:
        if secrets.get(name):
            setattr(settings, name, secrets[name])
    if settings.provider == Provider.PAGOPA:
        missing = [
            n for n in ("gpd_base_url", "checkout_base_url", *SECRET_FIELDS) if not getattr(settings, n)
        ]
        if missing:
            raise ValidationError(
                {n: _("Obbligatorio per collegarsi a pagoPA.") for n in missing}, code="pagopa_incomplete"
            )
    else:
        from django.conf import settings as django_settings

        if "pagopa_sandbox" not in django_settings.SANDBOX_PROVIDERS:
            raise ValidationError({"provider": _("L'ambiente di prova non è disponibile in produzione.")})
    settings.full_clean()
    settings.save()
    return settings


@transaction.atomic
def service_payment_save(
    *, service, when: str, description: str, due_days: int, total: int | None, lines: list[dict], rules: list
) -> ServicePaymentConfig:
    """The service's "Pagamento" step: 1-5 budget lines adding up exactly to ``total`` (cents)."""
    from .models import ServiceBudgetLine

    if when != When.NONE:
        amounts = [line["amount_cents"] for line in lines]
        try:
            iuv.check_split(total if total is not None else sum(amounts), amounts)
            for rule in rules:
                if len(rule["amounts"]) != len(lines):
                    raise iuv.SplitError(
                        _("Ogni regola deve indicare un importo per ciascuna voce di bilancio.")
                    )
                iuv.check_split(sum(rule["amounts"]), [a for a in rule["amounts"] if a])
        except iuv.SplitError as error:
            raise ValidationError(str(error), code="split") from error
    config, _created = ServicePaymentConfig.objects.select_for_update().get_or_create(service=service)
    config.when, config.description, config.due_days, config.rules = when, description, due_days, rules
    config.full_clean()
    config.save()
    config.lines.all().delete()
    for position, line in enumerate(lines, start=1):
        budget_line = ServiceBudgetLine(config=config, position=position, **line)
        budget_line.full_clean(exclude=["config"])
        budget_line.save()
    return config


@transaction.atomic
def accounting_export_request(*, municipality, user, date_from, date_to, export_format: str):
    """Queue a long accounting export; the task is enqueued in this transaction."""
    from .models import AccountingExport
    from .tasks import accounting_export_build

    export = AccountingExport.objects.create(
        municipality=municipality,
        requested_by=user,
        date_from=date_from,
        date_to=date_to,
        export_format=export_format,
    )
    accounting_export_build.enqueue(export_id=export.pk)
    return export
