from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class ProtocolReceipt:
    year: int
    number: int
    registered_at: datetime


class ProtocolProvider(Protocol):
    def register(self, application) -> ProtocolReceipt:
        """Register ``application`` in the protocol; called inside the submitting transaction."""
        ...
