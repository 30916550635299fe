from django.db import transaction
from django.utils import timezone

from .base import ProtocolReceipt


class BuiltinProtocol:
    """Gap-free numbering per municipality and year.

    The counter row is locked (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite serialises writers with
    IMMEDIATE transactions) and incremented in the caller's transaction, so a rollback returns the number:
    no gaps. The unique constraint on (municipality, protocol_year, protocol_number) makes a duplicate
    impossible even if this code were bypassed.
    """

    def register(self, application) -> ProtocolReceipt:
        from ..models import ProtocolCounter

        now = timezone.localtime()
        with transaction.atomic():
            ProtocolCounter.objects.bulk_create(
                [ProtocolCounter(municipality_id=application.municipality_id, year=now.year)],
                ignore_conflicts=True,
            )
            counter = ProtocolCounter.objects.select_for_update().get(
                municipality_id=application.municipality_id, year=now.year
            )
            counter.last_number += 1
            counter.save(update_fields=["last_number"])
        return ProtocolReceipt(year=now.year, number=counter.last_number, registered_at=now)
