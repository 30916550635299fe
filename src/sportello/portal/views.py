from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from sportello.core.urlutils import tenant_reverse
from sportello.municipalities.selectors import municipality_search

MUNICIPALITIES_PER_PAGE = 48


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
def home(request):
    return render(request, "portal/home.html", {"services": []})


LEGAL_PAGES = {
    "privacy": ("privacy_url", "portal/legal/privacy.html"),
    "legal_notes": ("legal_notes_url", "portal/legal/legal_notes.html"),
    "accessibility": ("accessibility_url", "portal/legal/accessibility.html"),
}


@require_safe
def legal_page(request, page: str):
    """The municipality's own page when it configured one, else a default text built from its data."""
    field, template = LEGAL_PAGES[page]
    configured = getattr(request.municipality, field)
    if configured:
        return redirect(configured)
    return render(request, template, {"platform_name": settings.PLATFORM_NAME})


@require_safe
@cache_control(max_age=3600, public=True)
def logo(request):
    municipality = request.municipality
    if not municipality.logo:
        raise Http404("No logo")
    return FileResponse(municipality.logo.open("rb"))
