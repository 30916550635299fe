from django.db import DatabaseError, connection
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from ..problems import problem
from ..serializers import StatusSerializer
from .base import PublicView

RETRY_AFTER_SECONDS = 30


class StatusView(PublicView):
    cache_control = "no-store"

    """Health of the API (Italian guidelines: ``/status``): 200 when the database answers, else 503."""

    @extend_schema(
        operation_id="status",
        description="200 se il servizio e il suo database rispondono, altrimenti 503 con `Retry-After`.",
        summary="Stato del servizio",
        responses={200: StatusSerializer},
        tags=["stato"],
    )
    def get(self, request):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            return problem(
                503, _("Il database non risponde."), headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
            )
        return Response({"status": "ok"})
