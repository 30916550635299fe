from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from sportello.municipalities.models import Municipality

from . import ratings
from .constants import Kind, Status
from .models import Rating, Service
from .topics import canonical_topic, topic_slug
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


def topics_in_use(*, municipality: Municipality) -> list[dict]:
    """The vocabulary topics of the listed services, with how many services each has (alphabetical)."""
    counts: dict[str, int] = {}
    for topics in service_public_list(municipality=municipality).values_list("topics", flat=True):
        for topic in {canonical_topic(t) for t in topics or []} - {None}:
            counts[topic] = counts.get(topic, 0) + 1
    return [{"name": t, "slug": topic_slug(t), "count": counts[t]} for t in sorted(counts, key=str.lower)]


def services_for_topic(*, municipality: Municipality, topic: str) -> list[Service]:
    """Listed services tagged with ``topic`` (filtered here: SQLite has no JSON containment lookup)."""
    return [
        service
        for service in service_public_list(municipality=municipality)
        if topic in {canonical_topic(t) for t in service.topics or []}
    ]


def rating_summary(*, municipality: Municipality) -> list[dict]:
    """Per service and page: how many ratings, the average stars and the follow-up answers chosen."""
    rows = (
        Rating.objects.for_municipality(municipality)
        .values("service_id", "service__name", "page")
        .annotate(count=Count("id"), average=Avg("stars"))
        .order_by("service__name", "page")
    )
    answers: dict[tuple, dict] = {}
    for row in (
        Rating.objects.for_municipality(municipality)
        .exclude(answer="")
        .values("service_id", "page", "stars", "answer")
        .annotate(count=Count("id"))
    ):
        label = str(dict(ratings.answers_for(row["stars"])).get(row["answer"], row["answer"]))
        bucket = answers.setdefault((row["service_id"], row["page"]), {})
        bucket[label] = bucket.get(label, 0) + row["count"]
    page_labels = dict(Rating.Page.choices)
    return [
        {
            "service": row["service__name"],
            "page": page_labels[row["page"]],
            "count": row["count"],
            "average": row["average"],
            "answers": sorted(
                answers.get((row["service_id"], row["page"]), {}).items(), key=lambda kv: -kv[1]
            ),
        }
        for row in rows
    ]


def service_next_visibility_change(*, municipality: Municipality, now=None):
    """The next moment a scheduled service of ``municipality`` appears or disappears (None: no such moment)."""
    now = now or timezone.now()
    moments = [
        moment
        for pair in Service.objects.for_municipality(municipality)
        .filter(status=Status.SCHEDULED)
        .filter(Q(publish_from__gt=now) | Q(publish_until__gt=now))
        .values_list("publish_from", "publish_until")
        for moment in pair
        if moment is not None and moment > now
    ]
    return min(moments, default=None)
