"""Writes on integrations: API tokens (created, revoked, recognised) and webhook events and deliveries."""

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sportello.accounts.models import Role
from sportello.accounts.roles import has_role

from . import addresses, signing
from .models import ApiToken, Event, IdempotencyKey, Scope, Webhook, WebhookDelivery
from .tasks import webhook_deliver

TOKEN_PREFIX = "spt"
# last_used_at is written at most once a minute per token: a busy integration must not turn reads into writes.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(raw: str) -> str:
    # Tokens carry 256 random bits: a plain SHA-256 is the right hash (no password stretching needed).
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    raw: str  # shown once to the administrator, never stored


@transaction.atomic
def api_token_create(*, municipality, user, name: str, scopes: list[str], expires_at) -> CreatedToken:
    """A new token of ``municipality`` acting for the administrator ``user``; the clear token is returned once."""
    if not has_role(user, municipality, Role.ADMIN):
        raise ValidationError(_("Solo un amministratore dell'ente può creare token."))
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        raise ValidationError({"scopes": _("Scegli almeno un permesso valido.")})
    if expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("La scadenza deve essere nel futuro.")})
    prefix = secrets.token_hex(6)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        municipality=municipality,
        name=name.strip(),
        prefix=prefix,
        key_hash=_digest(raw),
        scopes=sorted(set(scopes)),
        user=user,
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return CreatedToken(token=token, raw=raw)


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The usable token ``raw`` stands for, or None; records when it was last used."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.usable().select_related("municipality", "user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.key_hash, _digest(raw)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def _check_url(url: str) -> None:
    if settings.PRODUCTION and not url.startswith("https://"):
        raise ValidationError({"url": _("In produzione l'indirizzo deve usare https.")})
    internal = addresses.url_refusal(url)
    if internal:
        raise ValidationError(
            {
                "url": _(
                    "L'indirizzo porta a una rete interna (%(address)s): i webhook possono essere inviati solo "
                    "a indirizzi pubblici."
                )
                % {"address": internal}
            }
        )


@dataclass(frozen=True)
class CreatedWebhook:
    webhook: Webhook
    secret: str  # shown once


@transaction.atomic
def webhook_create(*, municipality, url: str, events: list[str]) -> CreatedWebhook:
    _check_url(url)
    if not events or set(events) - set(Event.values):
        raise ValidationError({"events": _("Scegli almeno un evento.")})
    webhook = Webhook(
        municipality=municipality, url=url, events=sorted(set(events)), secret=signing.new_secret()
    )
    webhook.full_clean()
    webhook.save()
    return CreatedWebhook(webhook=webhook, secret=webhook.secret)


@transaction.atomic
def webhook_deactivate(*, webhook: Webhook) -> Webhook:
    webhook.is_active = False
    webhook.save(update_fields=["is_active"])
    return webhook


def webhook_event_emit(*, municipality, event: str, data: dict) -> list[WebhookDelivery]:
    """Record one delivery per active webhook of ``municipality`` listening to ``event`` and queue them.

    Called inside the transaction of the change it reports: the deliveries exist if and only if it committed.
    """
    deliveries = []
    for webhook in Webhook.objects.for_municipality(municipality).filter(is_active=True):
        if event not in webhook.events:
            continue
        delivery = WebhookDelivery(municipality=municipality, webhook=webhook, event=event, payload={})
        delivery.payload = {
            "id": str(delivery.pk),
            "type": event,
            "timestamp": timezone.now().isoformat(),
            "municipality": municipality.slug,
            "data": data,
        }
        delivery.save()
        webhook_deliver.enqueue(delivery_id=str(delivery.pk))
        deliveries.append(delivery)
    return deliveries


@transaction.atomic
def webhook_delivery_replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again (same payload and idempotency key), whatever happened to it before."""
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.save(update_fields=["status"])
    webhook_deliver.enqueue(delivery_id=str(delivery.pk))
    return delivery


# --- Idempotency-Key on the API's POSTs that create things ---


# How long a key is remembered (as Stripe's 24 hours): a client retries within minutes, not days.
IDEMPOTENCY_KEY_HOURS = 24


class IdempotencyKeyReused(Exception):
    """The key was already used, by this municipality, for a different request (method, path or body)."""


@dataclass(frozen=True)
class IdempotentOutcome:
    status_code: int
    response: object  # the JSON body
    replayed: bool


def idempotency_fingerprint(*, method: str, path: str, body) -> str:
    canonical = json.dumps([method.upper(), path, body], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def idempotent_request(
    *, municipality, key: str, fingerprint: str, perform: Callable[[], tuple[int, object]], token=None
) -> IdempotentOutcome:
    """Run ``perform`` (which returns its status code and JSON body) at most once per (municipality, key).

    The key's row is inserted first, in this transaction, and the database's unique constraint decides: a
    concurrent request with the same key waits on that insert until this transaction ends, then finds the row
    and replays the stored response. Only a success is stored: an error changed nothing, and the client may try
    again with the same key.
    """
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.create(
                municipality=municipality, key=key, fingerprint=fingerprint, token=token
            )
    except IntegrityError:
        record = IdempotencyKey.objects.get(municipality=municipality, key=key)
        if record.fingerprint != fingerprint or record.status_code is None:
            raise IdempotencyKeyReused(key) from None
        return IdempotentOutcome(record.status_code, record.response, replayed=True)
    status_code, response = perform()
    if 200 <= status_code < 300:
        record.status_code, record.response = status_code, response
        record.save(update_fields=["status_code", "response"])
    else:
        record.delete()
    return IdempotentOutcome(status_code, response, replayed=False)


def idempotency_keys_purge(*, now=None) -> int:
    """Forget the keys older than ``IDEMPOTENCY_KEY_HOURS`` (periodic); the number of keys deleted."""
    cutoff = (now or timezone.now()) - timedelta(hours=IDEMPOTENCY_KEY_HOURS)
    deleted, _rows = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
