"""Webhook signatures, following the Standard Webhooks specification (standardwebhooks.com).

Headers ``webhook-id`` (the idempotency key, also sent as ``Idempotency-Key``), ``webhook-timestamp`` (Unix
seconds) and ``webhook-signature`` (``v1,<base64 HMAC-SHA256 of "id.timestamp.body">``). The secret is
``whsec_<base64 key>``. Pure functions: no ORM.
"""

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(_key(secret), signed, hashlib.sha256).digest()).decode()


def headers(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, msg_id=msg_id, timestamp=timestamp, body=body),
        "Idempotency-Key": msg_id,
    }


def verify(secret: str, *, msg_id: str, timestamp: str, signature: str, body: bytes, now: int) -> bool:
    """What a receiver does: the timestamp is recent and one of the (space-separated) signatures matches."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs(now - sent) > TOLERANCE_SECONDS:
        return False
    expected = sign(secret, msg_id=msg_id, timestamp=sent, body=body)
    return any(hmac.compare_digest(expected, candidate) for candidate in signature.split())
