from django import forms
from django.utils.translation import gettext_lazy as _

from sportello.notifications.models import IOProvider
from sportello.notifications.providers import sandbox_enabled


class IOBindingForm(forms.Form):
    io_service_id = forms.CharField(
        label=_("ID del servizio su App IO"),
        max_length=64,
        required=False,
        help_text=_(
            "L'identificativo che il Back Office di App IO ha assegnato al servizio; vuoto per scollegarlo."
        ),
    )
    provider = forms.ChoiceField(label=_("Fornitore"), choices=IOProvider.choices)
    api_key = forms.CharField(
        label=_("Chiave API del servizio"),
        required=False,
        max_length=128,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    manage_key = forms.CharField(
        label=_("Chiave «manage» dell'ente"),
        required=False,
        max_length=128,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Serve a «Sincronizza con IO» per aggiornare nome, descrizione e contatti del servizio su IO."
        ),
    )
    enabled = forms.BooleanField(label=_("Invia i messaggi ai cittadini anche su App IO"), required=False)

    def __init__(self, *args, binding=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not sandbox_enabled():
            self.fields["provider"].choices = [c for c in IOProvider.choices if c[0] != IOProvider.SANDBOX]
        stored = _("Una chiave è salvata: lascia vuoto per mantenerla.")
        if binding is not None and binding.api_key:
            self.fields["api_key"].help_text = stored
        if binding is not None and binding.manage_key:
            self.fields["manage_key"].help_text = stored
