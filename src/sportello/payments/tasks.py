from django_tasks import task

from sportello.core.tasks import retry_later

from .providers import ProviderUnavailable


@task()
def payment_publish(*, payment_id: int, attempt: int = 0) -> None:
    """Create the debt position at the provider; 5xx/timeouts retry with backoff (the poller also retries)."""
    from .models import Payment
    from .services import payment_publish_now

    payment = Payment.objects.select_related("municipality__payment_settings").get(pk=payment_id)
    try:
        payment_publish_now(payment=payment)
    except ProviderUnavailable:
        retry_later(payment_publish, attempt=attempt, payment_id=payment_id)


@task()
def payments_poll() -> int:
    """Periodic: ask the provider about every open payment (settings.PERIODIC_TASKS)."""
    from .services import payments_poll as poll

    return poll()
