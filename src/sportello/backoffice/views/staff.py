from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sportello.accounts import services
from sportello.accounts.models import Membership
from sportello.accounts.selectors import membership_get, membership_list
from sportello.core.urlutils import tenant_reverse

from ..decorators import admin_required
from ..forms import StaffInviteForm, StaffRoleForm


def _get_membership(request, pk: int) -> Membership:
    """Only this municipality's staff: another municipality's id is a 404."""
    membership = membership_get(municipality=request.municipality, pk=pk)
    if membership is None:
        raise Http404("No such staff member in this municipality")
    return membership


def add_form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@admin_required
def staff_list(request):
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(membership_list(municipality=request.municipality, query=query), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "backoffice/staff_list.html", {"page": page, "query": query})


@admin_required
def staff_invite(request):
    form = StaffInviteForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.staff_create(
                municipality=request.municipality, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request,
                _("Account %(username)s creato: la password temporanea è stata inviata a %(email)s.")
                % {"username": membership.user.username, "email": membership.user.email},
            )
            return redirect(tenant_reverse("backoffice:staff_list", request.municipality))
    return render(request, "backoffice/staff_invite.html", {"form": form})


@admin_required
def staff_detail(request, pk: int):
    membership = _get_membership(request, pk)
    form = StaffRoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_role_change(
                membership=membership, role=form.cleaned_data["role"], actor=request.user
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("Ruolo aggiornato."))
            return redirect(tenant_reverse("backoffice:staff_detail", request.municipality, pk=pk))
    return render(request, "backoffice/staff_detail.html", {"membership": membership, "form": form})


def _staff_action(request, pk: int, action, success_message: str):
    membership = _get_membership(request, pk)
    try:
        action(membership=membership, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success_message % {"username": membership.user.username})
    return redirect(tenant_reverse("backoffice:staff_detail", request.municipality, pk=pk))


@require_POST
@admin_required
def staff_deactivate(request, pk: int):
    return _staff_action(request, pk, services.staff_deactivate, _("Account %(username)s disattivato."))


@require_POST
@admin_required
def staff_reactivate(request, pk: int):
    return _staff_action(request, pk, services.staff_reactivate, _("Account %(username)s riattivato."))


@require_POST
@admin_required
def staff_password_reset(request, pk: int):
    return _staff_action(
        request,
        pk,
        services.staff_password_reset,
        _("Password di %(username)s reimpostata: la nuova password temporanea è stata inviata per e-mail."),
    )
