from django.db.models import Q, QuerySet
from django.utils import timezone

from sportello.municipalities.models import Municipality

from .constants import Kind
from .models import Service
from .visibility import effective_status


def service_public_list(
    *, municipality: Municipality, query: str = "", category: str = "", kind: str = ""
) -> QuerySet[Service]:
    """The services citizens see listed: published, suspended, and scheduled ones inside their window."""
    services = Service.objects.for_municipality(municipality).listed(timezone.now())
    query = (query or "").strip()
    if query:
        services = services.filter(
            Q(name__icontains=query) | Q(short_description__icontains=query) | Q(topics__icontains=query)
        )
    if category:
        services = services.filter(category=category)
    if kind:
        services = services.filter(kind=kind)
    return services.order_by("category", "name")


def service_featured(*, municipality: Municipality, limit: int = 6) -> list[Service]:
    return list(service_public_list(municipality=municipality).filter(featured=True)[:limit])


def service_booking_list(*, municipality: Municipality) -> QuerySet[Service]:
    return service_public_list(municipality=municipality, kind=Kind.APPOINTMENT)


def service_get_public(*, municipality: Municipality, slug: str) -> tuple[Service | None, str]:
    """The service with ``slug`` and its effective status now (visibility is decided by the caller)."""
    service = Service.objects.for_municipality(municipality).filter(slug=slug).first()
    if service is None:
        return None, ""
    return service, effective_status(
        service.status, service.publish_from, service.publish_until, timezone.now()
    )


def service_admin_list(
    *, municipality: Municipality, query: str = "", status: str = "", category: str = ""
) -> QuerySet[Service]:
    services = Service.objects.for_municipality(municipality)
    if query:
        services = services.filter(Q(name__icontains=query) | Q(slug__icontains=query))
    if status:
        services = services.filter(status=status)
    if category:
        services = services.filter(category=category)
    return services.order_by("name")


def service_get_for_staff(*, municipality: Municipality, pk: int) -> Service | None:
    return Service.objects.for_municipality(municipality).filter(pk=pk).first()
