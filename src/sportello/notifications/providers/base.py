"""The small interface every App IO provider implements (the real API client and the sandbox)."""

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Profile:
    sender_allowed: bool
    preferred_languages: list[str] = field(default_factory=list)


class IOError_(Exception):
    """A call to App IO failed. ``retry`` says whether trying again later may succeed."""

    retry = False

    def __init__(self, detail: str, *, status: int | None = None):
        super().__init__(detail)
        self.status = status


class IONotFound(IOError_):
    """404: no IO profile for the fiscal code (or no such message or service). Final."""


class IOForbidden(IOError_):
    """403: the service may not send to this citizen or at all (not allowed, key not enabled). Final."""


class IOTransient(IOError_):
    """429, 5xx or no connection: IO did not take the request; try again later."""

    retry = True


class IOUncertain(IOError_):
    """The request went out and no answer came back (read timeout): IO may or may not have accepted it."""


class IOClient(Protocol):
    def profile_get(self, fiscal_code: str) -> Profile: ...

    def message_submit(self, fiscal_code: str, message: dict) -> str:
        """``message`` is a ``NewMessage`` (time_to_live, content); returns IO's message id."""

    def message_get(self, fiscal_code: str, message_id: str) -> dict: ...

    def service_get(self, service_id: str) -> dict: ...

    def service_update(self, service_id: str, payload: dict) -> dict: ...

    def service_review(self, service_id: str, *, auto_publish: bool) -> None: ...
