"""The interface every payment provider implements, and the outcome it reports."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class ProviderError(Exception):
    """The provider refused the request (4xx): retrying the same request will not help."""


class ProviderUnavailable(ProviderError):
    """5xx, timeout or network failure: retry later."""


@dataclass(frozen=True)
class PositionStatus:
    """What the provider says of a debt position. ``status`` is one of the ``models.Status`` values."""

    status: str
    paid_at: datetime | None = None
    paid_cents: int | None = None
    psp: str = ""
    receipt_id: str = ""


class Provider(Protocol):
    def create_position(self, payment) -> None:
        """Create and publish the debt position (idempotent: an existing IUPD counts as created)."""

    def position_status(self, payment) -> PositionStatus:
        """The authoritative state of the position (never the citizen's return URL)."""

    def invalidate(self, payment) -> None:
        """Make the position no longer payable."""

    def checkout_url(self, payment, *, ok_url: str, cancel_url: str, error_url: str) -> str:
        """Where to send the citizen to pay now."""
