from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from sportello.accounts.roles import has_role
from sportello.integrations.models import ApiToken


class StaffScope(permissions.BasePermission):
    """Staff of *this* municipality: a token of it holding the view's ``required_scope`` (for its method), or a
    staff member's session. A token of another municipality is refused whatever its scopes."""

    message = _("Non hai i permessi per questa risorsa.")

    def has_permission(self, request, view):
        municipality = getattr(request._request, "municipality", None)
        if municipality is None or not request.user.is_authenticated:
            return False
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is not None:
            if token.municipality_id != municipality.pk:
                self.message = _("Il token non appartiene a questo ente.")
                return False
            scope = view.required_scopes.get(request.method, view.required_scopes.get("*"))
            if scope not in token.scopes:
                self.message = _("Il token non ha il permesso «%(scope)s».") % {"scope": scope}
                return False
        # The token's administrator (or the session's user) must still be staff of the municipality.
        return has_role(request.user, municipality)
