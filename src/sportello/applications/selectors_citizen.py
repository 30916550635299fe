from .models import Application


def application_recent_for_citizen(*, user, municipality, limit: int = 5) -> list[Application]:
    """The citizen's latest applications in this municipality, drafts included (they can be resumed)."""
    return list(
        Application.objects.for_municipality(municipality)
        .for_citizen(user)
        .select_related("service")
        .order_by("-updated_at", "-pk")[:limit]
    )
