"""Who sees a service and when (pure: no ORM).

| status      | listed | direct URL                  | can be started |
|-------------|--------|-----------------------------|----------------|
| Bozza       | no     | administrators only (preview) | no           |
| Privato     | no     | everyone (noindex)          | yes            |
| Pubblicato  | yes    | everyone                    | yes            |
| Sospeso     | yes    | everyone                    | no             |
| Programmato | inside its window as Pubblicato, outside it as Bozza                  |
"""

from datetime import datetime

from .constants import Status


def effective_status(
    status: str, publish_from: datetime | None, publish_until: datetime | None, now: datetime
) -> str:
    """A scheduled service is published inside its window and a draft outside it."""
    if status != Status.SCHEDULED:
        return status
    started = publish_from is not None and publish_from <= now
    ended = publish_until is not None and publish_until <= now
    return Status.PUBLISHED if started and not ended else Status.DRAFT


def is_listed(status: str) -> bool:
    return status in (Status.PUBLISHED, Status.SUSPENDED)


def page_visible(status: str, *, is_admin: bool) -> bool:
    return status != Status.DRAFT or is_admin


def can_start(status: str) -> bool:
    return status in (Status.PUBLISHED, Status.PRIVATE)


def is_indexable(status: str) -> bool:
    return status in (Status.PUBLISHED, Status.SUSPENDED)
