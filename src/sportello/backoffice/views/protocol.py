"""The protocol register: the municipality's settings (built-in or P.I.Tre.), the connection check, and where
each service's applications are filed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sportello.applications import registration
from sportello.applications.models import ProtocolSettings, ServiceProtocolSettings
from sportello.core.urlutils import tenant_reverse

from ..decorators import admin_required
from ..protocol_forms import SETTINGS_FIELDS, ProtocolSettingsForm, ServiceProtocolForm
from .services import _service
from .staff import add_form_errors


@admin_required
def protocol_settings(request):
    municipality = request.municipality
    current = registration.protocol_settings_for(municipality) or ProtocolSettings(
        municipality=municipality, provider=ProtocolSettings.Provider.BUILTIN
    )
    here = tenant_reverse("backoffice:protocol_settings", municipality)
    if request.method == "POST" and request.POST.get("azione") == "verifica":
        ok, text = registration.protocol_connection_check(municipality=municipality)
        (messages.success if ok else messages.error)(request, text)
        return redirect(here)
    form = ProtocolSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            registration.protocol_settings_save(
                municipality=municipality,
                values={name: form.cleaned_data[name] for name in SETTINGS_FIELDS},
                certificate=form.cleaned_data["certificate"],
                key=form.cleaned_data["key"],
                remove_certificate=form.cleaned_data["remove_certificate"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("Impostazioni del protocollo salvate."))
            return redirect(here)
    certificate = ""
    if current.client_certificate:
        try:
            certificate = registration.certificate_summary(current.client_certificate)
        except ValueError:
            certificate = _("certificato salvato, non leggibile")
    return render(
        request,
        "backoffice/protocol_settings.html",
        {"form": form, "protocol": current, "certificate": certificate, "has_key": bool(current.client_key)},
    )


@admin_required
def service_protocol(request, pk: int):
    service = _service(request, pk)
    current = ServiceProtocolSettings.objects.filter(service=service).first()
    form = ServiceProtocolForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        registration.service_protocol_save(service=service, **form.cleaned_data)
        messages.success(request, _("Fascicolazione del servizio salvata."))
        return redirect(tenant_reverse("backoffice:service_protocol", request.municipality, pk=service.pk))
    return render(request, "backoffice/services/protocol.html", {"form": form, "service": service})
