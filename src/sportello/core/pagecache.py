"""A cache of the public citizen pages as anonymous visitors see them, per municipality, language and address.

Only the pages decorated with ``@public_page`` are cached, and only for a GET from a visitor who is not logged in,
owns no anonymous application, has no message waiting to be shown and sends no query parameter other than the
ones the page declares. Such a page shows nothing personal: it is the same for every anonymous visitor.

Two values in a page do belong to one response, and are never replayed from the cache:
- the CSP nonce (``nonce="..."`` on inline scripts): stored as a placeholder, and replaced on every hit by this
  response's own nonce, which django-csp then writes in the header;
- the CSRF token of the forms (the rating component): stored as a placeholder, and replaced on every hit by a
  token of this visitor (``get_token``, which also sets the CSRF cookie as a normal render would).

Invalidation: the key carries the municipality's ``PageCacheVersion`` token, which ``version_bump`` replaces inside
the transaction of any change those pages show (receivers in ``portal/receivers.py`` and
``municipalities/receivers.py``). The tenant middleware reads the token in the same query as the municipality
(``municipality_resolve``), before anything else, so a cached hit costs that one query, and a page rendered from
data older than a change is stored under the old token and never served again. A page's lifetime is also capped
(``ttl``), e.g. by the next time a scheduled service appears.
"""

import hashlib
import re
import uuid
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token

from .middleware import ANONYMOUS_APPLICATIONS_SESSION_KEY
from .models import PageCacheVersion

NONCE_PLACEHOLDER = b"__sportello-csp-nonce__"
CSRF_PLACEHOLDER = b"__sportello-csrf-token__"
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
_KEPT_HEADERS = ("Content-Type",)
HEADER = "X-Page-Cache"
_VERSION_SQL = f"SELECT version FROM {PageCacheVersion._meta.db_table} WHERE municipality_id = %s"  # noqa: S608


def cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def version_get(municipality_id: int) -> str:
    with connection.cursor() as cursor:  # on every cached page view: plain SQL, no query to compile
        cursor.execute(_VERSION_SQL, [municipality_id])
        row = cursor.fetchone()
    version = row[0] if row else None
    if version is None:  # first use (or the database was restored): a new token, never an old one
        version = version_bump(municipality_id)
    return version


def version_bump(municipality_id: int) -> str:
    """Retire every cached page of the municipality (call it inside the transaction of the change)."""
    version = uuid.uuid4().hex
    PageCacheVersion.objects.bulk_create(
        [PageCacheVersion(municipality_id=municipality_id, version=version)],
        update_conflicts=True,
        unique_fields=["municipality_id"],
        update_fields=["version"],
    )
    return version


def _anonymous_and_stateless(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.get(ANONYMOUS_APPLICATIONS_SESSION_KEY):
        return False
    return len(get_messages(request)) == 0  # a message to show makes the page this visitor's own


def _key(request, version: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in sorted(request.GET.items()))
    raw = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"page:{request.municipality.pk}:{version}:{digest}"


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Cache-Control" not in response  # e.g. never_cache, or a private page
        and not getattr(getattr(request, "session", None), "modified", False)
        and response.get("Content-Type", "").startswith("text/html")
    )


def _entry(request, response) -> dict:
    content = response.content
    nonce = getattr(request, "_csp_nonce", None)  # set only when the page used it
    if nonce:
        content = content.replace(nonce.encode(), NONCE_PLACEHOLDER)
    content, csrf_count = _CSRF_INPUT.subn(rb"\1" + CSRF_PLACEHOLDER + rb"\2", content)
    return {
        "content": content,
        "nonce": bool(nonce),
        "csrf": bool(csrf_count),
        "headers": {name: response[name] for name in _KEPT_HEADERS if name in response},
    }


def _replay(request, entry: dict):
    content = entry["content"]
    if entry["nonce"]:
        content = content.replace(NONCE_PLACEHOLDER, str(request.csp_nonce).encode())
    if entry["csrf"]:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in entry["headers"].items():
        response[name] = value
    response[HEADER] = "hit"
    return response


def public_page(view=None, *, query=(), ttl=None):
    """Cache ``view`` for anonymous visitors. ``query``: the GET parameters that may vary the page (any other one
    bypasses the cache); ``ttl(request)``: an upper bound in seconds on this page's lifetime, or None."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            seconds = settings.PAGE_CACHE_SECONDS
            if (
                not seconds
                or request.method != "GET"
                or getattr(request, "municipality", None) is None
                or not set(request.GET) <= set(query)
                or not _anonymous_and_stateless(request)
            ):
                return view(request, *args, **kwargs)
            version = getattr(request, "page_cache_version", None) or version_get(request.municipality.pk)
            key = _key(request, version)
            entry = cache().get(key)
            if entry is not None:
                return _replay(request, entry)
            response = view(request, *args, **kwargs)
            if _storable(request, response):
                if ttl is not None:
                    limit = ttl(request)
                    seconds = seconds if limit is None else max(0, min(seconds, int(limit)))
                if seconds:
                    cache().set(key, _entry(request, response), seconds)
                response[HEADER] = "miss"
            return response

        return wrapped

    return decorator(view) if view is not None else decorator
