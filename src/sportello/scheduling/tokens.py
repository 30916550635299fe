"""Signed links to manage an appointment without logging in.

The signature covers the appointment, its state, start and ICS sequence: any change (cancelled, moved, approved)
invalidates the link by itself. It is also refused after the cancellation deadline.
"""

import hashlib

from django.core import signing
from django.utils import timezone

SALT = "sportello.scheduling.manage"


def _fingerprint(appointment) -> str:
    raw = f"{appointment.pk}|{appointment.state}|{int(appointment.start.timestamp())}|{appointment.sequence}"
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


def manage_token(appointment) -> str:
    return signing.dumps({"a": appointment.pk, "f": _fingerprint(appointment)}, salt=SALT, compress=True)


def appointment_from_token(token: str, *, now=None):
    """The appointment the token was made for, or None (bad signature, changed since, or past the deadline)."""
    from .models import Appointment
    from .services import cancel_deadline

    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    appointment = (
        Appointment.objects.select_related("calendar", "municipality").filter(pk=payload.get("a")).first()
    )
    if appointment is None or payload.get("f") != _fingerprint(appointment):
        return None
    if (now or timezone.now()) > cancel_deadline(appointment):
        return None
    return appointment


OFFER_SALT = "sportello.scheduling.offer"


def offer_token(entry) -> str:
    return signing.dumps({"w": entry.pk, "o": entry.offer_id}, salt=OFFER_SALT, compress=True)


def entry_from_offer_token(token: str):
    """The waiting entry whose current offer the token names, or None (bad signature or offer replaced)."""
    from .models import WaitingEntry

    try:
        payload = signing.loads(token, salt=OFFER_SALT)
    except signing.BadSignature:
        return None
    return (
        WaitingEntry.objects.select_related("offer__calendar", "appointment__calendar")
        .filter(pk=payload.get("w"), offer_id=payload.get("o"))
        .first()
    )
