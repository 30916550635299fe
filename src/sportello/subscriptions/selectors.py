"""Reads of subscription services: staff lists, the paid/unpaid matrix, the citizen's subscriptions."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from sportello.accounts.models import Role
from sportello.accounts.roles import staff_role

from .models import Charge, PlanItem, Subscription, SubscriptionService, SubscriptionState


def subscription_services_for_staff(user, municipality):
    """Administrators: every one of the municipality; operators: those whose catalogue service they handle."""
    services = SubscriptionService.objects.for_municipality(municipality).select_related("service")
    role = staff_role(user, municipality)
    if role == Role.ADMIN:
        return services
    if role == Role.OPERATOR:
        return services.filter(service__operators=user)
    return services.none()


def service_is_full(service) -> bool:
    """For the service's page: a full subscription service says so before the form is filled."""
    subscription_service = SubscriptionService.objects.filter(service=service).first()
    return subscription_service is not None and subscription_service.is_full


def subscription_service_for(service):
    return SubscriptionService.objects.filter(service=service).first()


def _charges():
    return Prefetch("charges", queryset=Charge.objects.select_related("item", "payment"))


def subscriptions_for_citizen(user, municipality):
    return (
        Subscription.objects.for_municipality(municipality)
        .visible_to(user)
        .select_related("subscription_service")
        .prefetch_related(_charges(), "sharers")
        .order_by("-created_at", "-pk")
    )


def subscription_for_citizen(user, municipality, pk):
    return subscriptions_for_citizen(user, municipality).get(pk=pk)


def charge_for_citizen(user, municipality, pk):
    visible = Subscription.objects.for_municipality(municipality).visible_to(user)
    return Charge.objects.select_related(
        "item", "payment__municipality__payment_settings", "subscription__subscription_service"
    ).get(pk=pk, subscription__in=visible)


def paid_charges(subscription, year: int):
    """The charges of ``subscription`` paid in ``year`` (Europe/Rome), for the certificate."""
    return [
        c
        for c in subscription.charges.select_related("item", "payment").filter(payment__status="paid")
        if c.payment.paid_at and c.payment.paid_at.astimezone().year == year
    ]


@dataclass
class Column:
    item: PlanItem
    due_cents: int = 0
    paid_cents: int = 0
    paid: int = 0
    unpaid: int = 0
    late: int = 0


@dataclass
class Row:
    subscription: Subscription
    cells: list = field(default_factory=list)  # a Charge or None per column
    due_cents: int = 0
    paid_cents: int = 0


@dataclass
class Matrix:
    columns: list[Column]
    rows: list[Row]

    @property
    def due_cents(self) -> int:
        return sum(c.due_cents for c in self.columns)

    @property
    def paid_cents(self) -> int:
        return sum(c.paid_cents for c in self.columns)


def payment_matrix(subscription_service, *, states=(SubscriptionState.ACTIVE,), search: str = "") -> Matrix:
    """Per plan item, who has paid and who has not, with totals (subscriptions in ``states``)."""
    items = list(subscription_service.items.all())
    columns = [Column(item) for item in items]
    index = {item.pk: i for i, item in enumerate(items)}
    subscriptions = subscription_service.subscriptions.filter(state__in=states).prefetch_related(
        _charges(), "sharers"
    )
    if search:
        code = search.strip().upper()
        subscriptions = subscriptions.filter(
            Q(subscriber_fiscal_code=code)
            | Q(holder_fiscal_code=code)
            | Q(subscriber_last_name__icontains=search.strip())
        )
    rows = []
    for subscription in subscriptions:
        row = Row(subscription, [None] * len(columns))
        for charge in subscription.charges.all():
            i = index[charge.item_id]
            row.cells[i] = charge
            column, status = columns[i], charge.status
            column.due_cents += charge.amount_cents
            row.due_cents += charge.amount_cents
            if status in ("paid", "exempt"):
                column.paid += 1
                paid = charge.payment.paid_cents if status == "paid" else 0
                column.paid_cents += paid or 0
                row.paid_cents += paid or 0
            else:
                column.unpaid += 1
                column.late += status == "late"
        rows.append(row)
    return Matrix(columns, rows)


def enrolment_status(service, now=None) -> str | None:
    """For a catalogue service: None (not an enrolment form), ``open``, ``full``, ``not_open`` or ``ended``."""
    from django.utils import timezone

    subscription_service = subscription_service_for(service)
    if subscription_service is None:
        return None
    now = now or timezone.now()
    if now < subscription_service.enrol_from:
        return "not_open"
    if now >= subscription_service.enrol_until:
        return "ended"
    return "full" if subscription_service.is_full else "open"
