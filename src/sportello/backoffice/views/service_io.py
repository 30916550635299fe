"""The service editor's "Notifiche" step: the App IO binding, "Sincronizza con IO" and the IO history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sportello.core.urlutils import tenant_reverse
from sportello.notifications import services as notifications
from sportello.notifications.selectors import io_log_for_service

from ..decorators import admin_required
from ..io_forms import IOBindingForm
from .services import _next_step, _service, _step_context
from .staff import add_form_errors


@admin_required
def service_notifications(request, pk: int):
    service = _service(request, pk)
    binding = notifications.io_binding_get(service)
    initial = {"io_service_id": service.io_service_id, "provider": "io", "enabled": True}
    if binding is not None:
        initial |= {"provider": binding.provider, "enabled": binding.enabled}
    form = IOBindingForm(request.POST or None, initial=initial, binding=binding)
    if request.method == "POST" and form.is_valid():
        try:
            notifications.io_binding_save(service=service, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("Impostazioni delle notifiche salvate."))
            return _next_step(request, service, "notifications")
    context = _step_context(request, service, "notifications") | {
        "form": form,
        "binding": binding,
        "log": io_log_for_service(service=service),
    }
    return render(request, "backoffice/services/notifications.html", context)


@require_POST
@admin_required
def service_io_sync(request, pk: int):
    service = _service(request, pk)
    try:
        notifications.io_service_sync(
            service=service, actor=request.user, reason=_("Richiesta dal Back Office")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sincronizzazione con App IO avviata: l'esito compare nello storico."))
    return redirect(tenant_reverse("backoffice:service_notifications", request.municipality, pk=service.pk))
