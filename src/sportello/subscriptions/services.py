"""Writes of subscription services: enrolment (from the service's form or an import), withdrawal, closing,
reminders. Each function owns its transaction; payments are created through ``payments.services``."""

import re
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sportello.core.identifiers import normalize_code, personal_fiscal_code_is_valid
from sportello.payments import iuv
from sportello.payments import services as payments
from sportello.payments.models import BUDGET_FIELDS, OPEN_STATUSES

from . import csv_import, plans
from .models import (
    RENEWABLE,
    Charge,
    PlanItem,
    Reminder,
    Sharer,
    Subscription,
    SubscriptionService,
    SubscriptionState,
)

# The keys the enrolment form uses (the catalogue service's form); "condivisione*" fields hold fiscal codes.
FIELD_FISCAL_CODE = "iscritto_codice_fiscale"
FIELD_FIRST_NAME = "iscritto_nome"
FIELD_LAST_NAME = "iscritto_cognome"
FIELD_SHARERS_PREFIX = "condivisione"
FIELD_ISEE = "isee"


class ServiceFull(ValidationError):
    pass


def _due_days() -> int:
    return getattr(settings, "SUBSCRIPTION_DUE_DAYS", 15)


def _take_seat(subscription_service: SubscriptionService) -> None:
    """One seat more, or ``ServiceFull``: the CHECK (seats_taken <= max_subscribers) decides, on the row."""
    try:
        with transaction.atomic():
            SubscriptionService.objects.filter(pk=subscription_service.pk).update(
                seats_taken=F("seats_taken") + 1
            )
    except IntegrityError:
        raise ServiceFull(
            _("Il servizio «%(name)s» è al completo: non ci sono più posti disponibili.")
            % {"name": subscription_service.name},
            code="full",
        ) from None


def _free_seat(subscription_service: SubscriptionService) -> None:
    SubscriptionService.objects.filter(pk=subscription_service.pk, seats_taken__gt=0).update(
        seats_taken=F("seats_taken") - 1
    )


def plan_items(subscription_service) -> list[PlanItem]:
    return list(subscription_service.items.prefetch_related("lines"))


def _plan(items) -> list[plans.Item]:
    return [
        plans.Item(i.code, i.kind, tuple(line.amount_cents for line in i.lines.all()), i.reducible)
        for i in items
    ]


def _rules(subscription_service) -> list[plans.Rule]:
    return [
        plans.Rule(r.kind, r.percent, r.isee_max_cents, r.sibling_rank)
        for r in subscription_service.reductions.all()
    ]


def _sibling_rank(subscription_service, holder_fiscal_code: str) -> int:
    """1 for the family's first child enrolled in this service, 2 for the second..."""
    family = (
        Subscription.objects.active()
        .filter(subscription_service=subscription_service)
        .filter(Q(holder_fiscal_code=holder_fiscal_code) | Q(sharers__fiscal_code=holder_fiscal_code))
        .distinct()
        .count()
    )
    return family + 1


def _purpose(subscription, item) -> str:
    return f"subscription:{subscription.pk}:{item.code}"


def _charge_create(*, subscription, item, amount: plans.ChargeAmount, due_date, actor=None) -> Charge:
    charge = Charge(subscription=subscription, item=item, amount_cents=amount.cents, due_date=due_date)
    if amount.cents:
        lines = [
            ({f: getattr(line, f) for f in BUDGET_FIELDS if f != "amount_cents"}, cents)
            for line, cents in zip(item.lines.all(), amount.lines, strict=True)
            if cents
        ]
        charge.payment = _position(subscription, item, lines, due_date, actor=actor)
    charge.save()
    return charge


def _position(subscription, item, lines, due_date, *, actor=None):
    """The pagoPA position of a charge: payable at least ``SUBSCRIPTION_DUE_DAYS`` days from today, even for an
    instalment already due (it then shows as late, and can still be paid)."""
    service = subscription.subscription_service
    payable_until = max(due_date, timezone.localdate() + timedelta(days=_due_days()))
    return payments.payment_position_create(
        municipality=subscription.municipality,
        lines=lines,
        description=f"{service.name} - {item.label} - {subscription.subscriber_name}"[:140],
        due_date=payable_until,
        debtor_fiscal_code=subscription.holder_fiscal_code,
        debtor_name=subscription.holder_name,
        debtor_email=subscription.holder_email,
        application=None,
        purpose=_purpose(subscription, item),
        actor=actor,
    )


@transaction.atomic
def charge_payment_renew(*, charge, user=None) -> Charge:
    """A failed or expired position of a charge still owed: a new position, with the same budget lines."""
    from .models import RENEWABLE

    charge = (
        Charge.objects.select_for_update(of=("self",))
        .select_related("subscription__subscription_service", "item", "payment")
        .get(pk=charge.pk)
    )
    if charge.subscription.state != SubscriptionState.ACTIVE:
        raise ValidationError(_("L'iscrizione non è più attiva."), code="not_active")
    if charge.payment is None or charge.payment.status not in RENEWABLE:
        return charge
    lines = [
        ({f: getattr(line, f) for f in BUDGET_FIELDS if f != "amount_cents"}, line.amount_cents)
        for line in charge.payment.lines.all()
    ]
    charge.payment = _position(charge.subscription, charge.item, lines, charge.due_date, actor=user)
    charge.save(update_fields=["payment"])
    return charge


def _clean_code(value: str, label: str) -> str:
    code = normalize_code(value or "")
    if len(code) != 16 or not personal_fiscal_code_is_valid(code):
        raise ValidationError(
            _("Il codice fiscale %(label)s non è valido («%(code)s»).") % {"label": label, "code": code}
        )
    return code


@transaction.atomic
def subscription_create(
    *,
    subscription_service: SubscriptionService,
    subscriber_fiscal_code: str,
    first_name: str,
    last_name: str,
    holder_fiscal_code: str,
    holder_name: str,
    holder_email: str = "",
    holder=None,
    sharers=(),
    isee_cents: int | None = None,
    application=None,
    overrides: dict | None = None,
    actor=None,
) -> Subscription:
    """Enrol one subscriber: a seat (or ``ServiceFull``), the subscription and its sharers, one charge per
    required plan item with its pagoPA position (reductions applied, or the import's amounts)."""
    subscriber_fiscal_code = _clean_code(subscriber_fiscal_code, _("dell'iscritto"))
    holder_fiscal_code = _clean_code(holder_fiscal_code, _("del richiedente"))
    sharer_codes = []
    for code in sharers:
        code = _clean_code(code, _("di condivisione"))
        if code not in (holder_fiscal_code, subscriber_fiscal_code) and code not in sharer_codes:
            sharer_codes.append(code)
    if not (first_name or "").strip() or not (last_name or "").strip():
        raise ValidationError(_("Indica nome e cognome dell'iscritto."))
    subscription_service = SubscriptionService.objects.get(pk=subscription_service.pk)
    _take_seat(subscription_service)
    rank = _sibling_rank(subscription_service, holder_fiscal_code)
    subscription = Subscription(
        municipality=subscription_service.municipality,
        subscription_service=subscription_service,
        application=application,
        subscriber_fiscal_code=subscriber_fiscal_code,
        subscriber_first_name=first_name.strip()[:100],
        subscriber_last_name=last_name.strip()[:100],
        holder=holder,
        holder_fiscal_code=holder_fiscal_code,
        holder_name=holder_name[:200],
        holder_email=holder_email or "",
        isee_cents=isee_cents,
    )
    try:
        with transaction.atomic():
            subscription.save()
    except IntegrityError:
        raise ValidationError(
            _("%(name)s (%(code)s) è già iscritto a questo servizio.")
            % {"name": subscription.subscriber_name, "code": subscriber_fiscal_code},
            code="duplicate",
        ) from None
    Sharer.objects.bulk_create(Sharer(subscription=subscription, fiscal_code=c) for c in sharer_codes)
    items = {item.code: item for item in plan_items(subscription_service)}
    amounts = plans.plan_amounts(
        _plan(items.values()),
        _rules(subscription_service),
        isee_cents=isee_cents,
        sibling_rank=rank,
        overrides=overrides,
    )
    enrolled_on = timezone.localdate()
    for amount in amounts:
        item = items[amount.code]
        due = item.due_date or enrolled_on + timedelta(days=_due_days())
        _charge_create(subscription=subscription, item=item, amount=amount, due_date=due, actor=actor)
    return subscription


def _application_sharers(data: dict) -> list[str]:
    codes = []
    for key, value in data.items():
        if key.startswith(FIELD_SHARERS_PREFIX) and isinstance(value, str):
            codes.extend(c for c in re.split(r"[\s,;]+", value) if c)
    return codes


def _isee_cents(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        return round(float(value) * 100)
    except (TypeError, ValueError):
        return None


def subscription_from_application(*, application) -> Subscription | None:
    """A submitted enrolment (called inside the submitting transaction): the window must be open and a seat
    free, or the submission fails with the reason and nothing changes."""
    subscription_service = SubscriptionService.objects.filter(service=application.service).first()
    if subscription_service is None or Subscription.objects.filter(application=application).exists():
        return None
    now = timezone.now()
    if not subscription_service.enrol_from <= now < subscription_service.enrol_until:
        raise ValidationError(_("Le iscrizioni a questo servizio non sono aperte."), code="closed")
    data = application.data
    applicant = application.applicant
    return subscription_create(
        subscription_service=subscription_service,
        subscriber_fiscal_code=data.get(FIELD_FISCAL_CODE, ""),
        first_name=data.get(FIELD_FIRST_NAME, ""),
        last_name=data.get(FIELD_LAST_NAME, ""),
        holder=applicant,
        holder_fiscal_code=application.applicant_fiscal_code,
        holder_name=application.applicant_name,
        holder_email=(applicant.email if applicant else "") or "",
        sharers=_application_sharers(data),
        isee_cents=_isee_cents(data.get(FIELD_ISEE)),
        application=application,
        actor=applicant,
    )


def can_see(user, subscription: Subscription) -> bool:
    return Subscription.objects.visible_to(user).filter(pk=subscription.pk).exists()


def _locked(subscription) -> Subscription:
    return (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("subscription_service")
        .get(pk=subscription.pk)
    )


def _end(subscription, state, *, user, cancel_open: bool) -> Subscription:
    subscription = _locked(subscription)
    if subscription.state != SubscriptionState.ACTIVE:
        raise ValidationError(_("L'iscrizione non è più attiva."), code="not_active")
    subscription.state, subscription.ended_at = state, timezone.now()
    subscription.save(update_fields=["state", "ended_at"])
    _free_seat(subscription.subscription_service)
    if cancel_open:
        for charge in subscription.charges.select_related("payment").filter(
            payment__status__in=OPEN_STATUSES
        ):
            payments.payment_cancel(payment=charge.payment, user=user, note=_("Iscrizione ritirata").strip())
    return subscription


@transaction.atomic
def subscription_end_with_application(*, application) -> None:
    """The enrolment application was rejected, cancelled or withdrawn: so is its subscription."""
    subscription = Subscription.objects.filter(
        application=application, state=SubscriptionState.ACTIVE
    ).first()
    if subscription is not None:
        _end(subscription, SubscriptionState.WITHDRAWN, user=None, cancel_open=True)


@transaction.atomic
def subscription_withdraw(*, subscription, user) -> Subscription:
    """The family (or the office) withdraws: the seat frees, the unpaid positions are cancelled."""
    if not can_see(user, subscription) and not _is_staff(user, subscription):
        raise PermissionDenied("Not this citizen's subscription")
    return _end(subscription, SubscriptionState.WITHDRAWN, user=user, cancel_open=True)


@transaction.atomic
def subscription_close(*, subscription, user) -> Subscription:
    """The office closes it (end of the season, exclusion): the seat frees, what is owed stays owed."""
    if not _is_staff(user, subscription):
        raise PermissionDenied("Not staff of this municipality")
    return _end(subscription, SubscriptionState.CLOSED, user=user, cancel_open=False)


def _is_staff(user, subscription) -> bool:
    from sportello.accounts.roles import has_role

    return has_role(user, subscription.municipality)


class ImportRejected(ValidationError):
    def __init__(self, errors):
        self.line_errors = errors
        super().__init__([f"{line}: {message}" for line, message in errors])


def subscriptions_import(*, subscription_service, data: bytes, user) -> list[Subscription]:
    """All or nothing: every line valid and enrolled, or ``ImportRejected`` with the errors by line."""
    report = csv_import.validate(data, item_codes=[i.code for i in subscription_service.items.all()])
    if not report.ok:
        raise ImportRejected(report.errors)
    errors: list[tuple[int, str]] = []
    created: list[Subscription] = []
    try:
        with transaction.atomic():
            for row in report.rows:
                try:
                    created.append(
                        subscription_create(
                            subscription_service=subscription_service,
                            subscriber_fiscal_code=row.subscriber_fiscal_code,
                            first_name=row.first_name,
                            last_name=row.last_name,
                            holder_fiscal_code=row.holder_fiscal_code,
                            holder_name=row.holder_name,
                            holder_email=row.holder_email,
                            sharers=row.sharers,
                            isee_cents=row.isee_cents,
                            overrides=row.amounts,
                            actor=user,
                        )
                    )
                except ValidationError as error:
                    errors.append((row.line, " ".join(error.messages)))
            if errors:
                raise ImportRejected(errors)
    except ImportRejected:
        raise
    return created


# --- reminders ---


def _recipients(subscription):
    from sportello.accounts.models import User

    codes = {subscription.holder_fiscal_code, *subscription.sharers.values_list("fiscal_code", flat=True)}
    return list(User.objects.filter(fiscal_code__in=codes, is_active=True))


def _remind(charge, kind, *, user=None) -> Reminder:
    from sportello.notifications.services import io_message_enqueue

    from .tasks import reminder_send

    reminder = Reminder.objects.create(charge=charge, kind=kind, sent_by=user)
    subscription, payment = charge.subscription, charge.payment
    service = subscription.subscription_service
    subject = (
        _("Sollecito di pagamento: %(item)s")
        if kind == Reminder.Kind.LATE
        else _("Pagamento in scadenza: %(item)s")
    ) % {"item": charge.item.label}
    body = _(
        "Per l'iscrizione di %(name)s a %(service)s risulta da pagare «%(item)s» di %(amount)s euro, "
        "con scadenza il %(due)s. Puoi pagare dall'area personale, sezione «Le mie iscrizioni»."
    ) % {
        "name": subscription.subscriber_name,
        "service": service.name,
        "item": charge.item.label,
        "amount": iuv.format_euro(charge.amount_cents),
        "due": charge.due_date.strftime("%d/%m/%Y"),
    }
    due = timezone.make_aware(datetime.combine(charge.due_date, time(23, 59)))
    for citizen in _recipients(subscription):
        io_message_enqueue(
            user=citizen,
            service=service.service,
            event_key=f"subscription-reminder-{reminder.pk}",
            subject=subject,
            markdown=body + "\n\n" + _("Questo messaggio ti arriva perché l'iscrizione è condivisa con te."),
            due_date=due,
            payment_data={
                "amount": payment.amount_cents,
                "notice_number": payment.notice_number,
                "payee_fiscal_code": payment.creditor_fiscal_code,
            }
            if payment.is_open
            else None,
        )
    reminder_send.enqueue(reminder_id=reminder.pk)
    return reminder


@transaction.atomic
def reminders_late_send(*, subscription_service, user) -> int:
    """The office reminds every family late with a payment (e-mail and App IO)."""
    today = timezone.localdate()
    late = Charge.objects.filter(
        subscription__subscription_service=subscription_service,
        subscription__state=SubscriptionState.ACTIVE,
        payment__status__in=[*OPEN_STATUSES, *RENEWABLE],
        due_date__lt=today,
    ).select_related("subscription__subscription_service__service", "item", "payment")
    count = 0
    for charge in late:
        _remind(charge, Reminder.Kind.LATE, user=user)
        count += 1
    return count


def reminders_due_send(*, days: int | None = None) -> int:
    """Periodic: remind each open charge once, ``SUBSCRIPTION_REMINDER_DAYS`` days before it falls due."""
    days = days if days is not None else getattr(settings, "SUBSCRIPTION_REMINDER_DAYS", 5)
    today = timezone.localdate()
    due = Charge.objects.filter(
        subscription__state=SubscriptionState.ACTIVE,
        payment__status__in=OPEN_STATUSES,
        due_date__gte=today,
        due_date__lte=today + timedelta(days=days),
    ).exclude(reminders__kind=Reminder.Kind.DUE)
    sent = 0
    for pk in due.values_list("pk", flat=True)[:1000]:
        try:
            with transaction.atomic():
                charge = Charge.objects.select_related(
                    "subscription__subscription_service__service", "item", "payment"
                ).get(pk=pk)
                _remind(charge, Reminder.Kind.DUE)
        except IntegrityError:  # another run reminded it first (unique per charge)
            continue
        sent += 1
    return sent


# --- configuration (administrators) ---

SERVICE_FIELDS = (
    "code",
    "name",
    "service",
    "enrol_from",
    "enrol_until",
    "period_start",
    "period_end",
    "max_subscribers",
    "message",
)


@transaction.atomic
def subscription_service_save(*, municipality, values: dict, instance=None) -> SubscriptionService:
    """Create or update a subscription service; the maximum cannot go below the seats already taken."""
    if values.get("service") is not None and values["service"].municipality_id != municipality.pk:
        raise ValidationError({"service": _("Scegli un servizio di questo ente.")})
    if instance is None:
        instance = SubscriptionService(municipality=municipality)
    else:
        instance = SubscriptionService.objects.select_for_update().get(
            pk=instance.pk, municipality=municipality
        )
    for name in SERVICE_FIELDS:
        if name in values:
            setattr(instance, name, values[name])
    if instance.max_subscribers < instance.seats_taken:
        raise ValidationError(
            {
                "max_subscribers": _("Ci sono già %(taken)s iscritti: il massimo non può essere più basso.")
                % {"taken": instance.seats_taken}
            }
        )
    instance.full_clean(exclude=["municipality"])
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(
            _("Dati non validi: controlla codice, date e numero massimo di iscritti.")
        ) from None
    return instance


@transaction.atomic
def plan_item_add(*, subscription_service, values: dict, line: dict) -> PlanItem:
    """A new item of the payment plan with its budget line (charged to the subscriptions made from now on)."""
    from .models import PlanItemLine

    position = (subscription_service.items.aggregate(m=models_max("position"))["m"] or 0) + 1
    item = PlanItem(subscription_service=subscription_service, position=position, **values)
    item.full_clean()
    item.save()
    budget = PlanItemLine(item=item, position=1, **line)
    budget.full_clean(exclude=["item"])
    budget.save()
    return item


@transaction.atomic
def plan_item_delete(*, item) -> None:
    if item.charges.exists():
        raise ValidationError(_("Questa voce è già addebitata a degli iscritti: non si può eliminare."))
    item.delete()


@transaction.atomic
def reduction_add(*, subscription_service, values: dict):
    from .models import Reduction

    reduction = Reduction(subscription_service=subscription_service, **values)
    reduction.full_clean()
    try:
        with transaction.atomic():
            reduction.save()
    except IntegrityError:
        raise ValidationError(
            _("Per la fascia ISEE indica il limite; per i fratelli il figlio da cui vale (dal secondo).")
        ) from None
    return reduction


def models_max(field):
    from django.db.models import Max

    return Max(field)
