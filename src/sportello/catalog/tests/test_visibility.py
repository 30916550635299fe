from datetime import timedelta

import pytest
from django.utils import timezone

from sportello.catalog.constants import Status
from sportello.catalog.visibility import (
    can_start,
    effective_status,
    is_indexable,
    is_listed,
    page_visible,
)

NOW = timezone.now()
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (NOW - HOUR, None, Status.PUBLISHED),
        (NOW - HOUR, NOW + HOUR, Status.PUBLISHED),
        (NOW + HOUR, None, Status.DRAFT),
        (NOW - 2 * HOUR, NOW - HOUR, Status.DRAFT),
        (NOW, NOW + HOUR, Status.PUBLISHED),
        (NOW - HOUR, NOW, Status.DRAFT),
        (None, None, Status.DRAFT),
    ],
)
def test_scheduled_services_are_published_only_inside_their_window(start, end, expected):
    assert effective_status(Status.SCHEDULED, start, end, NOW) == expected


def test_other_statuses_ignore_the_window():
    for status in (Status.DRAFT, Status.PRIVATE, Status.PUBLISHED, Status.SUSPENDED):
        assert effective_status(status, NOW + HOUR, None, NOW) == status


@pytest.mark.parametrize(
    "status, listed, public, admin, startable, indexable",
    [
        (Status.DRAFT, False, False, True, False, False),
        (Status.PRIVATE, False, True, True, True, False),
        (Status.PUBLISHED, True, True, True, True, True),
        (Status.SUSPENDED, True, True, True, False, True),
    ],
)
def test_visibility_rules(status, listed, public, admin, startable, indexable):
    assert is_listed(status) is listed
    assert page_visible(status, is_admin=False) is public
    assert page_visible(status, is_admin=True) is admin
    assert can_start(status) is startable
    assert is_indexable(status) is indexable
