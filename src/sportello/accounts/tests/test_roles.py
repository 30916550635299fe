from sportello.accounts.models import Role
from sportello.accounts.roles import has_role, staff_role
from sportello.accounts.tests.factories import UserFactory


def test_roles_are_per_municipality(mori, trento, mori_admin, mori_operator):
    assert staff_role(mori_admin, mori) == Role.ADMIN
    assert staff_role(mori_operator, mori) == Role.OPERATOR
    assert staff_role(mori_admin, trento) is None
    assert has_role(mori_operator, mori)
    assert not has_role(mori_operator, mori, Role.ADMIN)


def test_deactivated_membership_or_user_has_no_role(mori, mori_operator):
    membership = mori_operator.memberships.get()
    membership.is_active = False
    membership.save()
    mori_operator.__dict__.pop("_staff_roles", None)
    assert staff_role(mori_operator, mori) is None


def test_citizens_have_no_staff_role(mori, citizen):
    assert staff_role(citizen, mori) is None


def test_platform_superuser_is_admin_everywhere(mori, trento, db):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert staff_role(superuser, mori) == Role.ADMIN
    assert staff_role(superuser, trento) == Role.ADMIN
