"""Signed links to manage (cancel) a room booking without logging in, as for appointments: the signature covers
the booking, its state, first start and sequence, so any change invalidates the link."""

import hashlib

from django.core import signing

SALT = "sportello.rooms.manage"


def _fingerprint(booking) -> str:
    raw = f"{booking.pk}|{booking.state}|{int(booking.first_start.timestamp())}|{booking.sequence}"
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


def manage_token(booking) -> str:
    return signing.dumps({"r": booking.pk, "f": _fingerprint(booking)}, salt=SALT, compress=True)


def booking_from_token(token: str):
    from .models import RoomBooking

    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    booking = RoomBooking.objects.select_related("room", "municipality").filter(pk=payload.get("r")).first()
    if booking is None or payload.get("f") != _fingerprint(booking):
        return None
    return booking
