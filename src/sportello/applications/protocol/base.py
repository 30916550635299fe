from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class ProtocolReceipt:
    year: int
    number: int
    registered_at: datetime
    # Filled by external registers (P.I.Tre.): the "segnatura", the register's document id and register code.
    segnatura: str = ""
    document_id: str = ""
    register: str = ""


class ProtocolProvider(Protocol):
    def register(self, application) -> ProtocolReceipt:
        """Register ``application`` in the protocol; called inside the submitting transaction."""
        ...
