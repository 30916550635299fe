import json
import time

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from sportello.core.tasks import retry_later

from . import addresses, signing

TIMEOUT_SECONDS = 10
# Worth trying again later: no answer, a server error, "too many requests", "request timeout".
RETRY_STATUSES = {408, 425, 429}


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST ``body``; the HTTP status (redirects are not followed). OSError when nothing answers, AddressRefused
    when the host resolves only to internal addresses (addresses.py: checked on the address connected to)."""
    return addresses.post(url, body, headers, timeout=TIMEOUT_SECONDS)


@task()
def webhook_deliver(*, delivery_id: str, attempt: int = 0) -> str:
    """Send one delivery, record the outcome, and schedule a retry with backoff when it may succeed later."""
    from .models import WebhookDelivery

    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status == WebhookDelivery.Status.DELIVERED:
        return "skipped"
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
    headers = signing.headers(
        delivery.webhook.secret, msg_id=str(delivery.pk), timestamp=int(time.time()), body=body
    )
    headers["User-Agent"] = "Sportello-Webhooks/1"
    status, error, refused = None, "", False
    try:
        status = post(delivery.webhook.url, body, headers)
    except addresses.AddressRefused as exc:  # an internal address (SSRF): final, nothing was sent
        error, refused = f"{type(exc).__name__}: {exc}"[:500], True
    except (OSError, ValueError) as exc:  # refused, DNS, timeout, TLS; ValueError: a malformed address
        error = f"{type(exc).__name__}: {exc}"[:500]
    delivered = status is not None and 200 <= status < 300
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.status == WebhookDelivery.Status.DELIVERED:
            return "skipped"
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        delivery.response_status = status
        delivery.error = error or ("" if delivered else f"HTTP {status}")
        if delivered:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = delivery.last_attempt_at
        elif (not refused and (status is None or status >= 500 or status in RETRY_STATUSES)) and retry_later(
            webhook_deliver, attempt=attempt, delivery_id=delivery_id
        ):
            delivery.status = WebhookDelivery.Status.PENDING
        else:
            delivery.status = WebhookDelivery.Status.FAILED
        delivery.save()
    return delivery.status


@task()
def idempotency_keys_purge() -> int:
    from .services import idempotency_keys_purge as purge

    return purge()
