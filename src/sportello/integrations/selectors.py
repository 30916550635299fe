from .models import ApiToken, Webhook, WebhookDelivery


def api_token_list(*, municipality):
    return ApiToken.objects.for_municipality(municipality).select_related("user")


def webhook_list(*, municipality):
    return Webhook.objects.for_municipality(municipality).order_by("-is_active", "pk")


def webhook_delivery_list(*, municipality, limit: int = 50) -> list[WebhookDelivery]:
    return list(
        WebhookDelivery.objects.for_municipality(municipality)
        .select_related("webhook")
        .order_by("-created_at")[:limit]
    )
