"""The citizen's authentication in the Django session, and the guard for citizen pages."""

import functools

from django.shortcuts import redirect
from django.utils import timezone

from sportello.core.urlutils import tenant_reverse

from . import levels

SESSION_KEY = "citizen_auth"


def citizen_auth_set(request, *, level: str, idp: str, name_id: str, session_index: str | None) -> None:
    request.session[SESSION_KEY] = {
        "level": level,
        "idp": idp,
        "at": timezone.now().isoformat(),
        "name_id": name_id,
        "session_index": session_index,
    }


def citizen_auth(request) -> dict | None:
    """The SPID/CIE authentication of this session (None for anonymous visitors and staff logins)."""
    if not request.user.is_authenticated:
        return None
    return request.session.get(SESSION_KEY)


def citizen_level(request) -> str:
    auth = citizen_auth(request)
    return auth["level"] if auth else levels.ANONYMOUS


def login_url(request, *, next_url: str, level: str = levels.SPID2) -> str:
    query = {"next": next_url}
    if level != levels.SPID2:
        query["livello"] = level
    return tenant_reverse("identity:login", request.municipality, query=query)


def citizen_required(level: str = levels.SPID2):
    """Citizen pages: a session below ``level`` goes to the login page, which brings it back here."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not levels.level_satisfies(citizen_level(request), level):
                return redirect(login_url(request, next_url=request.get_full_path(), level=level))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
