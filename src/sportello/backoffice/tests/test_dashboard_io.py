"""The dashboard leads to "App IO da verificare" when there is something to verify, for the staff who may
verify it: administrators every uncertain delivery of the municipality, operators those of their services."""

import pytest
from bs4 import BeautifulSoup

from sportello.accounts.models import Role
from sportello.accounts.tests.factories import MembershipFactory
from sportello.notifications.tests.factories import IOBindingFactory
from sportello.notifications.tests.test_uncertain import _uncertain

pytestmark = pytest.mark.django_db
DASHBOARD = "/comune-di-mori/it/operatori/"
LIST = "/comune-di-mori/it/operatori/app-io/da-verificare/"


def _card(client, user):
    client.force_login(user)
    page = BeautifulSoup(client.get(DASHBOARD).content, "html.parser")
    return page.select_one("[data-element=io-uncertain]")


@pytest.fixture
def operators_service(mori, mori_operator):
    binding = IOBindingFactory(service__municipality=mori, service__name="Carta d'identità elettronica")
    binding.service.operators.set([mori_operator])
    return binding


def test_no_card_when_nothing_is_to_verify(client, mori_admin, mori_operator, operators_service):
    assert _card(client, mori_admin) is None
    assert _card(client, mori_operator) is None


def test_administrators_see_every_uncertain_delivery_operators_those_of_their_services(
    client, mori, mori_admin, mori_operator, operators_service
):
    other = IOBindingFactory(service__municipality=mori, service__name="Tributi")  # not the operator's
    _uncertain(operators_service, key="test:1")
    _uncertain(other, key="test:2")
    card = _card(client, mori_admin)
    assert "2 invii ad App IO con esito incerto" in card.get_text()
    assert card.select_one("a")["href"] == LIST
    card = _card(client, mori_operator)
    assert "1 invio ad App IO con esito incerto" in card.get_text()
    colleague = MembershipFactory(municipality=mori, role=Role.OPERATOR, user__username="collega").user
    assert _card(client, colleague) is None  # enabled on neither service


def test_another_municipalitys_uncertain_deliveries_do_not_count(client, trento, trento_admin, mori_admin):
    _uncertain(IOBindingFactory(service__municipality=trento))
    assert _card(client, mori_admin) is None
    client.force_login(trento_admin)
    page = BeautifulSoup(client.get("/comune-di-trento/it/operatori/").content, "html.parser")
    assert "1 invio ad App IO" in page.select_one("[data-element=io-uncertain]").get_text()
