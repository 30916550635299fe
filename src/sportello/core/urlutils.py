"""Reversing URLs that live under a municipality (``/<slug>/<lang>/...``)."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def tenant_reverse(viewname: str, municipality, *, lang: str | None = None, query=None, **kwargs) -> str:
    """``reverse`` for a municipality's page, in ``lang`` (default: the active language if enabled)."""
    if lang is None:
        lang = translation.get_language() or settings.LANGUAGE_CODE
        if not municipality.has_language(lang):
            lang = municipality.default_language
    url = reverse(viewname, kwargs={"municipality_slug": municipality.slug, "lang": lang, **kwargs})
    if query:
        url += "?" + urlencode(query)
    return url


def absolute_url(path: str) -> str:
    """An absolute URL for links that leave the request (e-mails sent by the worker)."""
    return settings.SITE_URL + path


def path_in_language(path: str, lang: str) -> str:
    """The same municipality page in another language: ``/mori/it/x/`` -> ``/mori/en/x/``."""
    parts = path.split("/")
    if len(parts) > 2 and parts[2] in dict(settings.LANGUAGES):
        parts[2] = lang
        return "/".join(parts)
    return path


def safe_next(request, value: str | None) -> str | None:
    """``value`` when it is a path on this site to return to after a login, else None (no open redirects)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    if (
        value
        and value.startswith("/")
        and url_has_allowed_host_and_scheme(value, {request.get_host()}, request.is_secure())
    ):
        return value
    return None
