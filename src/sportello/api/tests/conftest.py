from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from sportello.integrations.tests.factories import token_for
from sportello.rooms import services as rooms
from sportello.rooms.pricing import ROME
from sportello.rooms.tests.conftest import DETAILS
from sportello.rooms.tests.factories import RoomFactory, tariff
from sportello.scheduling.holidays import italian_holidays


@pytest.fixture
def mori_service(mori):
    from sportello.catalog.services import service_form_save
    from sportello.catalog.tests.factories import SIMPLE_DEFINITION, ServiceFactory

    service = ServiceFactory(municipality=mori, slug="carta-identita", status="published")
    service_form_save(service=service, definition=SIMPLE_DEFINITION)
    return service


@pytest.fixture
def mori_application(mori, mori_service, settings, tmp_path):
    from django.core.files.base import ContentFile

    from sportello.accounts.tests.factories import UserFactory
    from sportello.applications.models import Attachment
    from sportello.applications.tests.factories import submitted_application

    settings.MEDIA_ROOT = tmp_path
    application = submitted_application(
        municipality=mori, applicant=UserFactory(last_name="Rossi", first_name="Maria"), service=mori_service
    )
    attachment = Attachment(application=application, kind="form", name="a.pdf", size=8, sha256="0" * 64)
    attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    return application


@pytest.fixture
def mori_token(mori, mori_admin):
    return token_for(mori, mori_admin)


@pytest.fixture
def api(client):
    """``api(token).get(url)``: the test client with a Bearer token."""

    class Api:
        def __init__(self, token):
            self.headers = {"Authorization": f"Bearer {token}"} if token else {}

        def get(self, url, params=None, **kwargs):
            return client.get(url, params, headers=self.headers, **kwargs)

        def post(self, url, data=None, **kwargs):
            return client.post(
                url, data or {}, content_type="application/json", headers=self.headers, **kwargs
            )

    return Api


def first_free_slot(calendar, days=(1, 30)):
    from datetime import timedelta

    from django.utils import timezone

    from sportello.scheduling.selectors import calendar_slots

    today = timezone.localdate()
    slots = calendar_slots(
        calendar, date_from=today + timedelta(days=days[0]), date_to=today + timedelta(days=days[1])
    )
    return slots[0]


@pytest.fixture
def mori_calendar(mori):
    """A calendar of Mori serving a published appointment service, open every day, 2 desks."""
    from sportello.catalog.constants import Kind
    from sportello.catalog.tests.factories import ServiceFactory
    from sportello.scheduling.tests.factories import CalendarFactory, OpeningRuleFactory

    calendar = CalendarFactory(municipality=mori)
    OpeningRuleFactory(calendar=calendar, weekdays=list(range(7)), capacity=2)
    calendar.services.add(
        ServiceFactory(
            municipality=mori, kind=Kind.APPOINTMENT, slug="appuntamento-anagrafe", status="published"
        )
    )
    return calendar


@pytest.fixture
def mori_appointment(mori_calendar, citizen):
    """A citizen's approved appointment, booked through the real services."""
    from sportello.scheduling import services as scheduling

    slot = first_free_slot(mori_calendar)
    held = scheduling.appointment_hold(
        calendar=mori_calendar, start=slot.start, citizen=citizen, service=mori_calendar.services.get()
    )
    return scheduling.appointment_confirm(
        appointment=held, user=citizen, first_name="Maria", last_name="Rossi"
    )


@pytest.fixture
def mori_payment(mori, citizen):
    """A paid CIE fee of a citizen's application (3 budget lines), through the real payment services."""
    from django.utils import timezone

    from sportello.payments.providers import PositionStatus
    from sportello.payments.services import (
        payment_apply_status,
        payment_publish_now,
        payment_request_at_submission,
    )
    from sportello.payments.tests.factories import cie_service, filled_application, payment_settings

    payment_settings(mori)
    application = filled_application(cie_service(mori), citizen)
    payment = payment_request_at_submission(application=application, user=citizen)
    payment_publish_now(payment=payment)
    return payment_apply_status(
        payment=payment,
        observed=PositionStatus(
            status="paid", paid_at=timezone.now(), paid_cents=payment.amount_cents, psp="PSP", receipt_id="R1"
        ),
    )


# --- rooms ---


def booking_day(after_days=7):
    """A weekday (Monday-Friday, no public holiday) at least ``after_days`` from today."""
    day = timezone.localdate() + timedelta(days=after_days)
    while day.weekday() > 4 or day in italian_holidays(day.year):
        day += timedelta(days=1)
    return day


def at(day, hour):
    return datetime.combine(day, time(hour), ROME)


def requested(room, citizen, day, start=18, end=21, category="resident"):
    """A citizen's request sent through the real services (moderated room: "Richiesta inviata")."""
    booking = rooms.room_booking_hold(
        room=room, citizen=citizen, ranges=[(at(day, start), at(day, end))], category=category
    )
    rooms.room_booking_details_save(booking=booking, citizen=citizen, values=DETAILS)
    return rooms.room_booking_submit(booking=booking, citizen=citizen)


@pytest.fixture
def mori_room(mori):
    from sportello.payments.tests.factories import payment_settings

    payment_settings(mori)
    room = RoomFactory(
        municipality=mori, name="Sala consiliare", slug="sala-consiliare", capacity=80, deposit_cents=5000
    )
    tariff(room, "resident", 2000)
    tariff(room, "local_association", 0)
    return room


@pytest.fixture
def mori_booking(mori_room, citizen):
    return requested(mori_room, citizen, booking_day())
