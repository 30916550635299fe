from django.db.models import Q, QuerySet

from .models import Municipality


def municipality_get_active(*, slug: str) -> Municipality | None:
    return Municipality.objects.active().filter(slug=slug).first()


def municipality_search(*, query: str = "") -> QuerySet[Municipality]:
    """Active municipalities, alphabetical, optionally matching ``query`` on name, slug or IPA code."""
    municipalities = (
        Municipality.objects.active().only("name", "slug", "address", "logo", "languages").order_by("name")
    )
    query = (query or "").strip()
    if query:
        municipalities = municipalities.filter(
            Q(name__icontains=query) | Q(slug__icontains=query) | Q(ipa_code__iexact=query)
        )
    return municipalities
