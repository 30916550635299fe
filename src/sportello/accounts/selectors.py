from django.db.models import Q, QuerySet

from sportello.municipalities.models import Municipality

from .models import LoginEvent, Membership, PrivacyConsent


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


def privacy_consent_given(*, user, municipality: Municipality, version: str) -> bool:
    return PrivacyConsent.objects.filter(user=user, municipality=municipality, version=version).exists()


def login_event_list(*, user, limit: int = 10):
    """The citizen's latest SPID/CIE logins, newest first."""
    return list(LoginEvent.objects.filter(user=user).select_related("municipality").order_by("-at")[:limit])
