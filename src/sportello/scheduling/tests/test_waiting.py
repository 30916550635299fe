"""Waiting list: a freed earlier place goes, in order, to the waiting citizens with an exclusive hold."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from sportello.accounts.tests.factories import UserFactory
from sportello.scheduling import services
from sportello.scheduling.models import Appointment, Reservation, WaitingEntry
from sportello.scheduling.selectors import calendar_slots
from sportello.scheduling.services import SlotUnavailable
from sportello.scheduling.states import State
from sportello.scheduling.tasks import waiting_offer
from sportello.scheduling.tokens import entry_from_offer_token, offer_token

from .factories import CalendarFactory, OpeningRuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(mori):
    calendar = CalendarFactory(municipality=mori)
    OpeningRuleFactory(calendar=calendar, weekdays=list(range(7)), capacity=1, start="09:00", end="10:00")
    return calendar


def slots(calendar):
    today = timezone.localdate()
    return calendar_slots(calendar, date_from=today + timedelta(days=2), date_to=today + timedelta(days=20))


def book(calendar, start, citizen):
    held = services.appointment_hold(calendar=calendar, start=start, citizen=citizen)
    return services.appointment_confirm(appointment=held, user=citizen)


def queued_offers():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path="sportello.scheduling.tasks.waiting_offer")


def test_a_freed_place_is_offered_in_order_exclusively_and_moved_in_one_click(
    office, django_capture_on_commit_callbacks
):
    free = slots(office)
    early, late1, late2 = free[0], free[5], free[6]
    leaving = book(office, early.start, UserFactory())
    first, second = UserFactory(), UserFactory()
    a1, a2 = book(office, late1.start, first), book(office, late2.start, second)
    services.waiting_join(appointment=a2, user=second)  # order of request, not of appointment
    services.waiting_join(appointment=a1, user=first)
    services.appointment_cancel(appointment=leaving, user=leaving.citizen)
    assert queued_offers().count() == 1
    mail.outbox.clear()
    waiting_offer.call(calendar_id=office.pk, start=early.start.isoformat())
    entry = WaitingEntry.objects.get(appointment=a2)
    offer = entry.offer
    assert offer.state == State.HELD and offer.start == early.start and offer.citizen == second
    assert offer.hold_until - timezone.now() > timedelta(minutes=25)
    with pytest.raises(SlotUnavailable):  # exclusive: nobody else can take it
        services.appointment_hold(calendar=office, start=early.start, citizen=UserFactory())
    moved = services.waiting_offer_accept(entry=entry_from_offer_token(offer_token(entry)))
    assert moved.pk == a2.pk and moved.start == early.start and moved.sequence == a2.sequence + 1
    assert [r.start for r in Reservation.objects.filter(appointment=a2)] == [early.start]
    offer.refresh_from_db()
    assert offer.state == State.CANCELLED and not offer.reservations.exists()
    assert not WaitingEntry.objects.filter(appointment=a2).exists()
    starts = {datetime.fromisoformat(t.args_kwargs["kwargs"]["start"]) for t in queued_offers()}
    assert late2.start in starts  # its old place is offered in turn


def test_an_expired_offer_goes_to_the_next_in_line(office):
    free = slots(office)
    leaving = book(office, free[0].start, UserFactory())
    first, second = UserFactory(), UserFactory()
    a1, a2 = book(office, free[3].start, first), book(office, free[4].start, second)
    services.waiting_join(appointment=a1, user=first)
    services.waiting_join(appointment=a2, user=second)
    services.appointment_cancel(appointment=leaving, user=leaving.citizen)
    entry = services.waiting_offer_make(calendar=office, start=free[0].start)
    assert entry.appointment == a1
    later = timezone.now() + timedelta(minutes=31)
    with pytest.raises(SlotUnavailable):
        services.waiting_offer_accept(entry=entry, now=later)
    services.holds_release(now=later)  # the offer expires: the place frees again
    assert services.waiting_offer_make(calendar=office, start=free[0].start, now=later).appointment == a2
    assert services.waiting_offer_make(calendar=office, start=free[0].start, now=later) is None  # nobody else


def test_offers_only_go_to_later_appointments_and_the_email_has_the_link(office, run_tasks):
    free = slots(office)
    citizen = UserFactory()
    appointment = book(office, free[1].start, citizen)
    services.waiting_join(appointment=appointment, user=citizen)
    assert services.waiting_offer_make(calendar=office, start=free[2].start) is None  # later than the booking
    entry = services.waiting_offer_make(calendar=office, start=free[0].start)
    mail.outbox.clear()
    run_tasks()
    offers = [m for m in mail.outbox if m.to == [citizen.email] and "/appuntamenti/posto-libero/" in m.body]
    assert len(offers) == 1 and entry.offer.start.strftime("%H:%M") in offers[0].body


def test_tampered_offer_tokens_are_refused(office):
    assert entry_from_offer_token("nonsense") is None
    assert Appointment.objects.count() == 0
