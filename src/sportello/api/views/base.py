from datetime import date

from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions
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


def period(query_params, *, max_days: int) -> tuple[date, date]:
    """The ``from``/``to`` days of a public availability, bounded; a 400 problem with its reason otherwise."""
    try:
        date_from = date.fromisoformat(query_params.get("from", ""))
        date_to = date.fromisoformat(query_params.get("to", ""))
    except ValueError:
        raise exceptions.ParseError(
            _("Indica le date nei parametri from e to nel formato AAAA-MM-GG.")
        ) from None
    if date_to < date_from:
        raise exceptions.ParseError(_("La data to non può precedere la data from."))
    if (date_to - date_from).days >= max_days:
        raise exceptions.ParseError(
            _("L'intervallo può essere al massimo di %(days)s giorni.") % {"days": max_days}
        )
    if not (date_from.year >= 1900 and date_to.year <= 2100):  # the day after ``to`` must exist
        raise exceptions.ParseError(_("Indica una data tra il 1900 e il 2100."))
    return date_from, date_to
