from rest_framework import permissions
from rest_framework.views import APIView

from ..permissions import StaffScope
from ..throttling import rate_limit_headers


class ApiView(APIView):
    """Every API view: throttled before the permission checks (failed attempts count too), rate-limit headers
    on every answer."""

    permission_classes = [StaffScope]
    required_scopes: dict[str, str] = {}
    cache_control = "private, no-store"  # personal data is never cacheable

    def check_permissions(self, request):
        self.check_throttles(request)  # before the permissions, so that refused attempts count too
        super().check_permissions(request)

    def check_throttles(self, request):
        if not getattr(request, "_throttle_checked", False):  # DRF's initial() calls it again afterwards
            request._throttle_checked = True
            super().check_throttles(request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        rate_limit_headers(request, response)
        response.headers.setdefault("Cache-Control", self.cache_control)
        return response


class PublicView(ApiView):
    permission_classes = [permissions.AllowAny]
    cache_control = "public, max-age=60"


def day_start(day):
    """Local midnight (Europe/Rome) at the start of ``day``, aware: date filters mean Rome days."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time.min, tzinfo=ZoneInfo("Europe/Rome"))


def day_end(day):
    """Local midnight after ``day`` (exclusive upper bound)."""
    from datetime import timedelta

    return day_start(day + timedelta(days=1))
