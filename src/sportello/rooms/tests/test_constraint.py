"""The database, not a check before insert, refuses overlapping active ranges of a room (PostgreSQL exclusion
constraint, SQLite triggers: migration 0002). Real threads with real connections race for the same evening."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from sportello.accounts.tests.factories import UserFactory
from sportello.rooms import services
from sportello.rooms.models import RoomBooking, RoomOccupancy
from sportello.rooms.services import RoomTaken

from .conftest import NOW, at

THREADS = 8


def _reserve(room, start, end, reason="Consiglio comunale", active=True):
    return RoomOccupancy.objects.create(room=room, start=start, end=end, reason=reason, active=active)


def test_overlapping_active_ranges_are_refused_by_the_database(room):
    _reserve(room, at(18), at(20))
    for start, end in [(at(19), at(21)), (at(17), at(18, 30)), (at(18), at(20)), (at(18, 30), at(19))]:
        with pytest.raises(IntegrityError), transaction.atomic():
            _reserve(room, start, end)
    assert RoomOccupancy.objects.count() == 1


def test_adjacent_inactive_and_other_rooms_ranges_are_allowed(room, free_room):
    _reserve(room, at(18), at(20))
    _reserve(room, at(20), at(22))  # [a, b) touches [b, c)
    _reserve(room, at(16), at(18))
    _reserve(room, at(18), at(20), active=False)  # a cancelled booking's range no longer occupies
    _reserve(free_room, at(18), at(20))
    assert RoomOccupancy.objects.filter(active=True).count() == 4


def test_reactivating_or_moving_into_a_taken_range_is_refused(room):
    _reserve(room, at(18), at(20))
    old = _reserve(room, at(18), at(20), active=False)
    other = _reserve(room, at(21), at(22))
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomOccupancy.objects.filter(pk=old.pk).update(active=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomOccupancy.objects.filter(pk=other.pk).update(start=at(19))


def race(function, count=THREADS):
    barrier = threading.Barrier(count)
    outcomes, lock = [], threading.Lock()

    def run(index):
        try:
            barrier.wait()
            result = function(index)
        except RoomTaken:
            result = "taken"
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
def test_concurrent_holds_of_overlapping_ranges_book_one(room):
    citizens = [UserFactory() for _ in range(THREADS)]
    # Every thread asks a different, overlapping two-hour range: 16-18, 16:30-18:30, ..., 19:30-21:30.
    ranges = [
        (at(16) + timedelta(minutes=30 * i), at(18) + timedelta(minutes=30 * i)) for i in range(THREADS)
    ]

    def hold(index):
        start, end = ranges[index]
        return services.room_booking_hold(
            room=room, citizen=citizens[index], ranges=[(start, end)], category="resident", now=NOW
        ).pk

    outcomes = race(hold)
    booked = [o for o in outcomes if isinstance(o, int)]
    unexpected = [o for o in outcomes if o != "taken" and not isinstance(o, int)]
    assert not unexpected and len(outcomes) == THREADS, unexpected
    active = list(RoomOccupancy.objects.filter(room=room, active=True).order_by("start"))
    for first, second in zip(active, active[1:], strict=False):
        assert first.end <= second.start, active  # never two overlapping ranges
    assert len(active) == len(booked) == RoomBooking.objects.count()
    assert 1 <= len(booked) <= 2, outcomes  # at most two of these ranges are disjoint (16-18, 18-20)


@pytest.mark.django_db(transaction=True)
def test_concurrent_holds_of_the_same_range_book_exactly_one(room):
    citizens = [UserFactory() for _ in range(THREADS)]

    def hold(index):
        return services.room_booking_hold(
            room=room, citizen=citizens[index], ranges=[(at(18), at(21))], category="resident", now=NOW
        ).pk

    outcomes = race(hold)
    assert len([o for o in outcomes if isinstance(o, int)]) == 1, outcomes
    assert outcomes.count("taken") == THREADS - 1, outcomes
    assert RoomOccupancy.objects.filter(room=room, active=True).count() == 1
