"""Reminders as stored rows sent once by a periodic task (appointments, room bookings).

A reminder model has ``send_at`` and ``sent_at``. ``reminders_due_send`` takes each due row under a row lock
(``skip_locked``: two workers never take the same row), calls ``send(row)`` and marks it sent in the same
transaction: a row is sent once, and a send that fails rolls back its mark, so the next tick tries it again.
"""

from django.db import transaction
from django.utils import timezone


def reminders_due_send(model, *, send, related=(), now=None, limit: int = 500) -> int:
    """Send the due, unsent rows of ``model``; ``send(row)`` returns whether it sent (False: the booking
    changed, nothing to remind). Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    due = model.objects.filter(sent_at__isnull=True, send_at__lte=now).order_by("send_at")
    for pk in due.values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            row = (
                model.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related(*related)
                .filter(pk=pk, sent_at__isnull=True)
                .first()
            )
            if row is None:
                continue
            if send(row):
                sent += 1
            row.sent_at = timezone.now()
            row.save(update_fields=["sent_at"])
    return sent
