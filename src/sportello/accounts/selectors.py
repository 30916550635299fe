from django.db.models import Q, QuerySet

from sportello.municipalities.models import Municipality

from .models import Membership


def membership_list(*, municipality: Municipality, query: str = "") -> QuerySet[Membership]:
    """The municipality's staff, active first, then by surname."""
    memberships = Membership.objects.for_municipality(municipality).select_related("user")
    if query:
        memberships = memberships.filter(
            Q(user__username__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(user__email__icontains=query)
        )
    return memberships.order_by("-is_active", "user__last_name", "user__first_name", "user__username")


def membership_get(*, municipality: Municipality, pk: int) -> Membership | None:
    """One of the municipality's staff; another municipality's id gives ``None``."""
    return Membership.objects.for_municipality(municipality).select_related("user").filter(pk=pk).first()
