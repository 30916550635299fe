"""Personal data is never cached: not by the browser's disk cache, a proxy or a shared computer's history."""

from django.utils.cache import patch_cache_control

# The session key listing the anonymous applications a browser started (written by the portal).
ANONYMOUS_APPLICATIONS_SESSION_KEY = "anonymous_applications"


class PrivateResponsesMiddleware:
    """Every response to a logged-in user (citizen or staff), or to a browser that owns anonymous applications,
    is ``Cache-Control: private, no-store`` (lists, details, attachments, exports, receipts, statistics)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or _owns_anonymous_applications(request):
            if "Cache-Control" in response:
                del response["Cache-Control"]  # e.g. the public max-age of the coat of arms
            patch_cache_control(response, private=True, no_store=True)
        return response


def _owns_anonymous_applications(request) -> bool:
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(ANONYMOUS_APPLICATIONS_SESSION_KEY))
