from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from sportello.accounts.models import Role
from sportello.accounts.roles import has_role
from sportello.core.urlutils import tenant_reverse


def staff_required(*roles: Role):
    """Every back-office view: logged in, and staff of *this* municipality with one of ``roles``.

    Anonymous users go to this municipality's login; anyone else without the role gets 403.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(
                    request.get_full_path(), tenant_reverse("backoffice:login", request.municipality)
                )
            if not has_role(request.user, request.municipality, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.staff_roles = roles or tuple(Role)
        return wrapped

    return decorator


admin_required = staff_required(Role.ADMIN)
operator_required = staff_required()
