"""Forms of the protocol register settings: the client certificate and key are write-only (never rendered)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sportello.applications.models import ProtocolSettings, ServiceProtocolSettings

SETTINGS_FIELDS = [
    "provider",
    "base_url",
    "routing",
    "code_adm",
    "code_application",
    "username",
    "code_role",
    "code_register",
    "code_rf",
    "register_correspondence",
]


class ProtocolSettingsForm(forms.ModelForm):
    certificate = forms.CharField(
        label=_("Nuovo certificato client (PEM)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "Per la mutua autenticazione TLS. Lascia vuoto per tenere quello salvato: non viene mai mostrato."
        ),
    )
    key = forms.CharField(
        label=_("Nuova chiave privata (PEM)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Lascia vuoto per tenere quella salvata: non viene mai mostrata."),
    )
    remove_certificate = forms.BooleanField(label=_("Rimuovi certificato e chiave salvati"), required=False)

    class Meta:
        model = ProtocolSettings
        fields = SETTINGS_FIELDS
        widgets = {"provider": forms.RadioSelect, "routing": forms.RadioSelect}


class ServiceProtocolForm(forms.ModelForm):
    class Meta:
        model = ServiceProtocolSettings
        fields = ["classification_scheme", "project_code"]
        help_texts = {
            "project_code": _(
                "Se indicato, le domande sono fascicolate alla protocollazione (CreateDocumentAndAddInProject)."
            ),
        }
