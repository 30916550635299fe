from django.shortcuts import redirect

from sportello.core.urlutils import tenant_reverse

# Pages a user with a temporary password may still open.
ALLOWED_VIEWS = {"backoffice:password_change", "backoffice:logout", "backoffice:login", "healthz"}


class PasswordChangeRequiredMiddleware:
    """Until a temporary password is replaced, every page leads to the password change form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not user.must_change_password:
            return None
        if request.resolver_match and request.resolver_match.view_name in ALLOWED_VIEWS:
            return None
        municipality = request.municipality
        if municipality is None or not user.memberships.filter(municipality=municipality).exists():
            membership = user.memberships.select_related("municipality").order_by("pk").first()
            if membership is None:
                return None
            municipality = membership.municipality
        return redirect(tenant_reverse("backoffice:password_change", municipality))
