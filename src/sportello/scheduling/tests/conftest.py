from datetime import datetime, timedelta

import pytest

from sportello.scheduling.availability import ROME

from .factories import CalendarFactory, OpeningRuleFactory

NOW = datetime(2027, 1, 11, 8, 0, tzinfo=ROME)  # a Monday, 08:00


def at(hour, minute=0, days=0):
    return (NOW + timedelta(days=days)).replace(hour=hour, minute=minute)


@pytest.fixture
def calendar(mori):
    calendar = CalendarFactory(municipality=mori)
    OpeningRuleFactory(calendar=calendar)  # Mon-Fri 09:00-12:00, 15-minute slots, 2 desks
    return calendar


@pytest.fixture
def moderated(mori):
    calendar = CalendarFactory(municipality=mori, moderated=True, title="Sportello moderato")
    OpeningRuleFactory(calendar=calendar, capacity=1)
    return calendar
