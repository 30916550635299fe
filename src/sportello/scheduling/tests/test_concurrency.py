"""Real threads, real connections: the database, not a check before insert, keeps bookings within capacity."""

import threading

import pytest
from django.db import connection

from sportello.accounts.tests.factories import UserFactory
from sportello.scheduling import services
from sportello.scheduling.models import Appointment, Reservation
from sportello.scheduling.services import SlotUnavailable

from .conftest import NOW, at

THREADS = 12


def race(function, count=THREADS):
    barrier = threading.Barrier(count)
    outcomes = []
    lock = threading.Lock()

    def run(index):
        try:
            barrier.wait()
            result = function(index)
        except SlotUnavailable:
            result = "unavailable"
        except Exception as error:  # recorded, so the assertion shows what went wrong
            result = repr(error)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_holds_never_exceed_the_slot_capacity(calendar):
    citizens = [UserFactory() for _ in range(THREADS)]

    def take(index):
        return services.appointment_hold(calendar=calendar, start=at(9), citizen=citizens[index], now=NOW).pk

    outcomes = race(take)
    booked = [o for o in outcomes if isinstance(o, int)]
    assert len(booked) == 2, outcomes  # capacity 2
    assert outcomes.count("unavailable") == THREADS - 2, outcomes
    assert Reservation.objects.filter(calendar=calendar, start=at(9)).count() == 2
    assert sorted(Reservation.objects.values_list("place", flat=True)) == [0, 1]
    assert Appointment.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_confirm_books_once(calendar):
    citizen = UserFactory()
    appointment = services.appointment_hold(calendar=calendar, start=at(9), citizen=citizen, now=NOW)

    def confirm(_index):
        return services.appointment_confirm(appointment=appointment, user=citizen, now=NOW).state

    outcomes = race(confirm, count=6)
    assert outcomes == ["approved"] * 6, outcomes
    assert appointment.events.filter(transition="confirm").count() == 1
    assert Reservation.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_reschedules_into_the_last_place(calendar):
    appointments = [
        services.appointment_confirm(
            appointment=services.appointment_hold(
                calendar=calendar, start=at(10, days=2), citizen=c, now=NOW
            ),
            user=c,
            now=NOW,
        )
        for c in (UserFactory(), UserFactory())
    ]
    services.appointment_hold(
        calendar=calendar, start=at(11, days=2), citizen=UserFactory(), now=NOW
    )  # one place left

    def move(index):
        a = appointments[index]
        return services.appointment_reschedule(
            appointment=a, user=a.citizen, start=at(11, days=2), now=NOW
        ).pk

    outcomes = race(move, count=2)
    assert sorted(map(str, outcomes)) in (
        sorted([str(appointments[0].pk), "unavailable"]),
        sorted([str(appointments[1].pk), "unavailable"]),
    ), outcomes
    assert Reservation.objects.filter(start=at(11, days=2)).count() == 2
    assert Reservation.objects.filter(start=at(10, days=2)).count() == 1
