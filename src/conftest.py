import pytest

from sportello.accounts.models import Role
from sportello.accounts.tests.factories import MembershipFactory, UserFactory
from sportello.municipalities.tests.factories import MunicipalityFactory


@pytest.fixture
def mori(db):
    return MunicipalityFactory(name="Comune di Mori", slug="comune-di-mori", ipa_code="c_f728")


@pytest.fixture
def trento(db):
    return MunicipalityFactory(name="Comune di Trento", slug="comune-di-trento", ipa_code="c_l378")


@pytest.fixture
def mori_admin(mori):
    return MembershipFactory(municipality=mori, role=Role.ADMIN, user__username="admin-mori").user


@pytest.fixture
def mori_operator(mori):
    return MembershipFactory(municipality=mori, role=Role.OPERATOR, user__username="operatore-mori").user


@pytest.fixture
def trento_admin(trento):
    return MembershipFactory(municipality=trento, role=Role.ADMIN, user__username="admin-trento").user


@pytest.fixture
def citizen(db):
    return UserFactory(username="cittadino", fiscal_code="RSSMRA80A01H501U")


@pytest.fixture
def run_tasks(transactional_db):
    """Run the queued tasks with the real database worker (it manages connections, hence transactional_db)."""
    from django.core.management import call_command

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    return run
