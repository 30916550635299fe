from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from sportello.accounts.roles import has_role
from sportello.accounts.services import user_password_change
from sportello.accounts.throttling import address_wait, device_remember, known_device
from sportello.core.clientip import client_ip
from sportello.core.urlutils import safe_next, tenant_reverse

from ..decorators import operator_required


class StaffLoginForm(AuthenticationForm):
    """Username and password, accepted only for staff of the municipality whose login page this is."""

    error_messages = {
        "invalid_login": gettext_lazy(
            "Nome utente o password non corretti. Dopo 5 tentativi errati l'accesso viene bloccato per 15 minuti."
        ),
        "inactive": gettext_lazy("Questo account è disattivato."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Nome utente")
        self.fields["password"].label = _("Password")

    def confirm_login_allowed(self, user):
        """An account without a role here gets the wrong-password answer, and counts as a failed attempt:
        neither the message nor the lockout tells an attacker that another office's password is right."""
        super().confirm_login_allowed(user)
        if not has_role(user, self.request.municipality):
            user_login_failed.send(
                sender=type(self), credentials={"username": user.get_username()}, request=self.request
            )
            raise self.get_invalid_login_error()


def _safe_next(request) -> str | None:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    """Shows the form even to a logged-in user: logging in here replaces the session (switch account)."""
    if request.method == "POST":
        if not known_device(request):
            wait = address_wait(client_ip(request))
            if wait:
                return _address_throttled(request, wait)
        form = StaffLoginForm(request, data=request.POST)
        if form.is_valid():
            user = form.get_user()
            login(request, user)
            response = redirect(
                _safe_next(request) or tenant_reverse("backoffice:dashboard", request.municipality)
            )
            device_remember(request, response, user.get_username())
            return response
    else:
        form = StaffLoginForm(request)
    return render(request, "backoffice/login.html", {"form": form, "next": _safe_next(request) or ""})


def _address_throttled(request, wait: int):
    """Too many failures from this address: this attempt is not even checked (see accounts.throttling)."""
    message = ngettext(
        "Troppi tentativi di accesso non riusciti da questa rete: riprova tra %(seconds)d secondo.",
        "Troppi tentativi di accesso non riusciti da questa rete: riprova tra %(seconds)d secondi.",
        wait,
    ) % {"seconds": wait}
    context = {"form": StaffLoginForm(request), "throttled": message, "next": _safe_next(request) or ""}
    response = render(request, "backoffice/login.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


def lockout(request, credentials, *args, **kwargs):
    """django-axes calls this when a username is locked out from this address."""
    municipality = getattr(request, "municipality", None)
    context = {"form": StaffLoginForm(request), "locked_out": True, "next": ""}
    if municipality is None:
        return render(request, "errors/locked_out.html", context, status=429)
    return render(request, "backoffice/login.html", context, status=429)


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("Sei uscito dall'area operatori."))
    return redirect(tenant_reverse("backoffice:login", request.municipality))


@operator_required
@sensitive_post_parameters()
@never_cache
def password_change(request):
    user = request.user
    form = PasswordChangeForm(user, request.POST or None)
    form.fields["old_password"].label = (
        _("Password temporanea") if user.must_change_password else _("Password attuale")
    )
    if request.method == "POST" and form.is_valid():
        user_password_change(user=user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, _("La password è stata cambiata."))
        return redirect(tenant_reverse("backoffice:dashboard", request.municipality))
    return render(request, "backoffice/password_change.html", {"form": form})
