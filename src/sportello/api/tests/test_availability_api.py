from datetime import timedelta

import pytest
from django.utils import timezone

from sportello.catalog.constants import Kind, Status
from sportello.catalog.tests.factories import ServiceFactory
from sportello.scheduling import services as scheduling
from sportello.scheduling.selectors import calendar_slots
from sportello.scheduling.tests.factories import CalendarFactory, OpeningRuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar(mori, citizen):
    calendar = CalendarFactory(municipality=mori)
    OpeningRuleFactory(calendar=calendar, weekdays=list(range(7)), capacity=2)
    calendar.services.add(ServiceFactory(municipality=mori, kind=Kind.APPOINTMENT))
    return calendar


def url(calendar, slug="comune-di-mori"):
    return f"/api/v1/{slug}/calendars/{calendar.pk}/availability"


def test_gives_free_slots_with_remaining_capacity_and_no_personal_data(client, calendar, citizen):
    day = timezone.localdate() + timedelta(days=3)
    while not calendar_slots(calendar, date_from=day, date_to=day):  # skip public holidays
        day += timedelta(days=1)
    slot = calendar_slots(calendar, date_from=day, date_to=day)[0]
    scheduling.appointment_hold(calendar=calendar, start=slot.start, citizen=citizen)
    response = client.get(url(calendar), {"from": day.isoformat(), "to": day.isoformat()})
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=30"
    data = response.json()
    assert data["calendar"]["id"] == calendar.pk and data["from"] == data["to"] == day.isoformat()
    assert data["slots"][0] == {
        "start": slot.start.isoformat(),
        "end": slot.end.isoformat(),
        "capacity": 2,
        "available": 1,
    }
    assert len(data["slots"]) == 12
    assert (
        citizen.last_name not in response.content.decode()
        and citizen.fiscal_code not in response.content.decode()
    )


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"from": "2027-13-01", "to": "2027-01-02"},
        {"from": "2027-01-05", "to": "2027-01-01"},
        {"from": "2027-01-01", "to": "2027-06-01"},
    ],
)
def test_bad_ranges_get_a_clear_400(client, calendar, query):
    response = client.get(url(calendar), query)
    assert response.status_code == 400 and response.json()["detail"]


def test_other_municipalities_and_unpublished_calendars_are_404(client, calendar, trento):
    assert (
        client.get(url(calendar, "comune-di-trento"), {"from": "2027-01-01", "to": "2027-01-02"}).status_code
        == 404
    )
    calendar.services.update(status=Status.DRAFT)
    assert client.get(url(calendar), {"from": "2027-01-01", "to": "2027-01-02"}).status_code == 404
