"""Staff role checks: the one place that decides who may act on a municipality's back office."""

from sportello.municipalities.models import Municipality

from .models import Membership, Role, User


def staff_role(user: User, municipality: Municipality | None) -> Role | None:
    """The role ``user`` holds in ``municipality``; platform superusers are administrators everywhere."""
    if municipality is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    cache = user.__dict__.setdefault("_staff_roles", {})
    if municipality.pk not in cache:
        role = (
            Membership.objects.active()
            .filter(user=user, municipality=municipality)
            .values_list("role", flat=True)
            .first()
        )
        cache[municipality.pk] = Role(role) if role else None
    return cache[municipality.pk]


def has_role(user: User, municipality: Municipality | None, *roles: Role) -> bool:
    """True when ``user`` is staff of ``municipality`` with one of ``roles`` (any staff role if none given)."""
    role = staff_role(user, municipality)
    return role is not None and (not roles or role in roles)
