import pytest

from sportello.accounts.tests.factories import UserFactory
from sportello.payments.tests.factories import payment_settings

from .factories import canteen

MARIO = "RSSMRA80A01H501U"
GIULIA = "BNCGLI85M41L378W"


@pytest.fixture
def mori_canteen(mori):
    payment_settings(mori)
    return canteen(mori)


@pytest.fixture
def mario(db):
    return UserFactory(
        username="mario", fiscal_code=MARIO, first_name="Mario", last_name="Rossi", email="mario@example.org"
    )


@pytest.fixture
def giulia(db):
    return UserFactory(
        username="giulia",
        fiscal_code=GIULIA,
        first_name="Giulia",
        last_name="Bianchi",
        email="giulia@example.org",
    )
