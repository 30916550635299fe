"""The privacy notice comes first: a citizen logged in with SPID or CIE accepts it before using any service."""

from django.conf import settings
from django.shortcuts import redirect

from sportello.accounts.selectors import privacy_consent_given
from sportello.core.urlutils import tenant_reverse
from sportello.identity.session import citizen_auth

# The portal pages where a citizen's data is submitted or shown; the public pages stay open.
NEEDS_CONSENT = {
    "portal:service_start",
    "portal:application_list",
    "portal:application_detail",
    "portal:application_fill",
    "portal:application_summary",
    "portal:application_submitted",
    "portal:application_receipt",
    "portal:application_withdraw",
    "portal:application_message",
    "portal:application_document",
    "portal:personal_area",
    "portal:subscription_list",
    "portal:subscription_detail",
    "portal:subscription_withdraw",
    "portal:subscription_certificate",
    "portal:charge_pay",
    "portal:charge_return",
    "portal:charge_notice",
    "portal:charge_receipt",
    "portal:room_booking_details",
    "portal:room_booking_summary",
    "portal:room_booking_detail",
    "portal:room_booking_list",
}


class PrivacyConsentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        municipality = getattr(request, "municipality", None)
        if match is None or match.view_name not in NEEDS_CONSENT or municipality is None:
            return None
        if citizen_auth(request) is None or privacy_consent_given(
            user=request.user, municipality=municipality, version=settings.PRIVACY_TERMS_VERSION
        ):
            return None
        back = request.method == "GET" and match.view_name != "portal:personal_area"  # where it goes anyway
        query = {"next": request.get_full_path()} if back else None
        return redirect(tenant_reverse("portal:personal_area_consent", municipality, query=query))
