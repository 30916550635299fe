from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from sportello.accounts.models import Role
from sportello.accounts.roles import has_role
from sportello.applications.selectors import application_draft_get
from sportello.catalog.constants import Category, Status
from sportello.catalog.jsonld import service_jsonld
from sportello.catalog.selectors import (
    service_booking_list,
    service_featured,
    service_get_public,
    service_next_visibility_change,
    service_public_list,
)
from sportello.catalog.visibility import can_start, is_indexable, page_visible
from sportello.core.pagecache import public_page
from sportello.core.urlutils import tenant_reverse
from sportello.identity.levels import level_satisfies
from sportello.identity.session import citizen_level, login_url
from sportello.municipalities.selectors import municipality_search
from sportello.rooms.selectors import rooms_bound
from sportello.subscriptions.selectors import enrolment_status

from .applications import application_first_page

MUNICIPALITIES_PER_PAGE = 48


def until_next_visibility_change(request) -> float | None:
    """Cached pages that list services live until the next scheduled service appears or disappears."""
    moment = service_next_visibility_change(municipality=request.municipality)
    return None if moment is None else (moment - timezone.now()).total_seconds()


@require_safe
def index(request):
    """The installation's front page: every municipality, searchable and paginated."""
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(municipality_search(query=query), MUNICIPALITIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "portal/index.html", {"page": page, "query": query})


@require_safe
def municipality_root(request):
    """``/<slug>/`` -> the municipality's home in its default language."""
    municipality = request.municipality
    return redirect(tenant_reverse("portal:home", municipality, lang=municipality.default_language))


@require_safe
@public_page(ttl=until_next_visibility_change)
def home(request):
    services = service_featured(municipality=request.municipality)
    return render(request, "portal/home.html", {"services": services})


def _grouped_by_category(services):
    groups: dict[str, list] = {}
    for service in services:
        groups.setdefault(service.category, []).append(service)
    labels = dict(Category.choices)
    return [(key, labels.get(key, key), items) for key, items in groups.items()]


@require_safe
@public_page(query=("categoria",), ttl=until_next_visibility_change)
def service_list(request):
    query = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("categoria", "")
    if category not in dict(Category.choices):
        category = ""
    services = service_public_list(municipality=request.municipality, query=query, category=category)
    return render(
        request,
        "portal/service_list.html",
        {
            "groups": _grouped_by_category(services),
            "count": len(services),
            "query": query,
            "category": category,
            "categories": Category.choices,
        },
    )


def _visible_service(request, service_slug: str):
    """The service and its effective status, or 404 when this visitor may not see it."""
    service, status = service_get_public(municipality=request.municipality, slug=service_slug)
    if service is None or not page_visible(
        status, is_admin=has_role(request.user, request.municipality, Role.ADMIN)
    ):
        raise Http404("No such service")
    return service, status


@require_safe
@public_page(ttl=until_next_visibility_change)
def service_detail(request, service_slug: str):
    service, status = _visible_service(request, service_slug)
    municipality = request.municipality
    card = service.local
    jsonld = service_jsonld(
        name=str(card.name),
        category=service.get_category_display(),
        description=str(card.short_description),
        audience=service.addressed_to,
        operator=municipality.name,
        area=municipality.short_name,
        url=request.build_absolute_uri(
            tenant_reverse("portal:service_start", municipality, service_slug=service.slug)
        ),
        office_name=service.office_name,
        office_address=service.office_address,
        fallback_address=municipality.address,
    )
    enrolment = enrolment_status(service)
    response = render(
        request,
        "portal/service_detail.html",
        {
            "service": service,
            "card": card,
            "status": status,
            "can_start": can_start(status),
            "indexable": is_indexable(status),
            "deadlines": list(service.deadlines.all()),
            "enrolment": enrolment,
            "rooms_bound": rooms_bound(service),
            "Status": Status,
            "jsonld": jsonld,
        },
    )
    if (
        enrolment is not None
    ):  # seats and the enrolment window change without touching the service: not cached
        patch_cache_control(response, no_cache=True)
    return response


@require_safe
def booking(request):
    """The appointment booking entry (Modello Comuni ``appointment-booking``): pick the service to book."""
    return render(
        request, "portal/booking.html", {"services": service_booking_list(municipality=request.municipality)}
    )


LEGAL_PAGES = {
    "privacy": ("privacy_url", "portal/legal/privacy.html"),
    "legal_notes": ("legal_notes_url", "portal/legal/legal_notes.html"),
    "accessibility": ("accessibility_url", "portal/legal/accessibility.html"),
}


@require_safe
@public_page
def legal_page(request, page: str):
    """The municipality's own page when it configured one, else a default text built from its data."""
    field, template = LEGAL_PAGES[page]
    configured = getattr(request.municipality, field)
    if configured:
        return redirect(configured)
    site_url = request.build_absolute_uri(tenant_reverse("portal:home", request.municipality))
    return render(request, template, {"platform_name": settings.PLATFORM_NAME, "site_url": site_url})


@require_safe
@cache_control(max_age=3600, public=True)
def logo(request):
    municipality = request.municipality
    if not municipality.logo:
        raise Http404("No logo")
    return FileResponse(municipality.logo.open("rb"))


@require_safe
def service_conditions(request, service_slug: str):
    service, _status = _visible_service(request, service_slug)
    if not service.conditions_file:
        raise Http404("No conditions document")
    return FileResponse(
        service.conditions_file.open("rb"), content_type="application/pdf", filename="condizioni.pdf"
    )


@never_cache
def service_start(request, service_slug: str):
    """Start a service: status and access level are checked, then the citizen's draft is resumed, or the first
    page of a new one is shown (the draft is created when it is sent)."""
    service, status = _visible_service(request, service_slug)
    if not can_start(status):
        return render(request, "portal/service_unavailable.html", {"service": service}, status=409)
    enrolment = enrolment_status(service)
    if enrolment not in (None, "open"):  # a full subscription service says so before the form is filled
        return render(
            request,
            "portal/service_unavailable.html",
            {"service": service, "enrolment": enrolment},
            status=409,
        )
    if rooms_bound(service):  # "Prenotazione spazi comunali": the public rooms (SPID is asked at the request)
        return redirect(tenant_reverse("portal:room_list", request.municipality))
    if not level_satisfies(citizen_level(request), service.access_level):
        return redirect(login_url(request, next_url=request.get_full_path(), level=service.access_level))
    from .booking import first_step_url  # booking imports this module

    booking_url = first_step_url(request, service)
    if booking_url:
        return redirect(booking_url)
    if service.form_version is None:
        return render(
            request, "portal/service_unavailable.html", {"service": service, "no_form": True}, status=409
        )
    applicant = request.user if request.user.is_authenticated else None
    draft = application_draft_get(service=service, applicant=applicant) if applicant else None
    if draft is not None:
        return redirect(tenant_reverse("portal:application_fill", request.municipality, pk=draft.pk))
    return application_first_page(request, service)
