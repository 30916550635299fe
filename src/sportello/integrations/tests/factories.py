from datetime import timedelta

from django.utils import timezone

from sportello.integrations.models import Scope
from sportello.integrations.services import api_token_create


def token_for(municipality, admin, *, scopes=tuple(Scope.values), days=30) -> str:
    """A clear token of ``municipality`` acting for ``admin``, through the real service."""
    return api_token_create(
        municipality=municipality,
        user=admin,
        name="Integrazione di prova",
        scopes=list(scopes),
        expires_at=timezone.now() + timedelta(days=days),
    ).raw
