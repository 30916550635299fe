import pytest

from sportello.payments.services import payment_request_at_submission

from .factories import cie_service, filled_application, payment_settings


@pytest.fixture
def mori_payments(mori):
    return payment_settings(mori)


@pytest.fixture
def cie(mori, mori_payments):
    return cie_service(mori)


@pytest.fixture
def awaiting(cie, citizen):
    """A CIE application confirmed by the citizen: waiting for its payment (position created, not published)."""
    application = filled_application(cie, citizen)
    payment = payment_request_at_submission(application=application, user=citizen)
    return payment
