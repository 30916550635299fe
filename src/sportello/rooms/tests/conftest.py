from datetime import datetime, timedelta

import pytest

from sportello.payments.tests.factories import payment_settings
from sportello.rooms.pricing import ROME

from .factories import RoomFactory, tariff

NOW = datetime(2027, 1, 11, 8, 0, tzinfo=ROME)  # a Monday, 08:00


def at(hour, minute=0, days=7):
    """An instant ``days`` after NOW (default a week: inside the notice rules) at hour:minute, Rome time."""
    return (NOW + timedelta(days=days)).replace(hour=hour, minute=minute)


@pytest.fixture
def room(mori):
    room = RoomFactory(municipality=mori, name="Sala consiliare", slug="sala-consiliare", deposit_cents=5000)
    tariff(room, "resident", 2000)
    tariff(room, "local_association", 0)
    return room


@pytest.fixture
def free_room(mori):
    room = RoomFactory(municipality=mori, name="Sala riunioni", slug="sala-riunioni", moderated=False)
    tariff(room, "local_association", 0)
    tariff(room, "resident", 1000)
    return room


@pytest.fixture
def mori_payments(mori):
    return payment_settings(mori)


DETAILS = {
    "purpose": "Assemblea dei soci",
    "programme": "Relazione annuale",
    "attendance": 30,
    "equipment": ["Proiettore"],
    "declarations": ["capacity", "no_smoking", "no_posters", "insurance", "permits"],
    "applicant_kind": "person",
}
