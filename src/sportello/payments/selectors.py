"""Reads on payments that views share."""

from .models import OPEN_STATUSES, Payment, ServicePaymentConfig, Status, When


def payment_config(service) -> ServicePaymentConfig | None:
    return ServicePaymentConfig.objects.filter(service=service).prefetch_related("lines").first()


def paid_at_submission(service) -> bool:
    config = payment_config(service)
    return config is not None and config.when == When.SUBMISSION and config.lines.exists()


def application_payments(application):
    return Payment.objects.filter(application=application).prefetch_related("lines", "events").order_by("-pk")


def current_payment(application) -> Payment | None:
    """The application's payment that matters now: paid, else the open one, else the latest."""
    payments = list(application_payments(application))
    for wanted in ([Status.PAID], list(OPEN_STATUSES)):
        for payment in payments:
            if payment.status in wanted:
                return payment
    return payments[0] if payments else None


def citizen_payments(user, municipality):
    return (
        Payment.objects.for_municipality(municipality)
        .filter(application__applicant=user)
        .select_related("application__service")
        .order_by("-created_at", "-pk")
    )


def amount_due(service, answers: dict) -> int | None:
    """What a request of ``service`` paid at submission costs with these answers (cents), or None."""
    from .iuv import resolve_amounts

    config = payment_config(service)
    if config is None or config.when != When.SUBMISSION:
        return None
    lines = list(config.lines.all())
    if not lines:
        return None
    return sum(resolve_amounts([line.amount_cents for line in lines], config.rules, answers or {}))
