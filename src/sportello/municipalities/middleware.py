from django.conf import settings
from django.http import Http404
from django.utils import translation

from .selectors import municipality_resolve

TENANT_KWARGS = ("municipality_slug", "lang")


class TenantMiddleware:
    """Resolves ``/<slug>/<lang>/...`` into ``request.municipality`` and the active language.

    Every URL under a municipality carries the two kwargs; this middleware consumes them (views never see
    them), answers 404 for an unknown or inactive municipality or a language it has not enabled, and
    activates the language for the rest of the request. Other URLs run in the platform default language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.municipality = None
        request.page_cache_version = None
        parts = request.path.split("/")
        # "/?lang=en" on the index; "/<slug>/<lang>/..." elsewhere, read here too so that even a page that
        # does not exist (404) answers in the language of its address.
        language = request.GET.get("lang") if request.path == "/" else (parts[2] if len(parts) > 2 else None)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if "municipality_slug" not in view_kwargs:
            return None
        slug = view_kwargs.pop("municipality_slug")
        language = view_kwargs.pop("lang", None)
        municipality, version = municipality_resolve(slug=slug)
        if municipality is None or (language is not None and not municipality.has_language(language)):
            raise Http404("Unknown municipality or language")
        request.municipality = municipality
        # read with the municipality: the page cache needs no query of its own
        request.page_cache_version = version
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return None
