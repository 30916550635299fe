from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sportello.core.urlutils import tenant_reverse
from sportello.municipalities.services import municipality_update

from ..decorators import admin_required
from ..forms import MunicipalitySettingsForm


@admin_required
def municipality_settings(request):
    municipality = request.municipality
    form = MunicipalitySettingsForm(request.POST or None, request.FILES or None, instance=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            municipality_update(municipality=form.instance)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Dati dell'ente salvati."))
            return redirect(tenant_reverse("backoffice:municipality_settings", municipality))
    return render(request, "backoffice/municipality_settings.html", {"form": form})
