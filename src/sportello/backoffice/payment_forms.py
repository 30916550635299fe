"""Forms of the back-office payment pages: settings (write-only keys), the service's "Pagamento" step with its
budget lines and rules, the payments list filters, the accounting export and the reporting-flow upload."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from sportello.payments import iuv
from sportello.payments.models import PaymentSettings, Status, When
from sportello.payments.validators import taxonomy

DATE = {
    "input_formats": ["%Y-%m-%d", "%d/%m/%Y"],
    "widget": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
}
MAX_FLOW_BYTES = 20 * 1024 * 1024


class EuroField(forms.CharField):
    """An amount typed in euro (``22,21``) cleaned to integer cents."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 15)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return iuv.format_euro(value) if isinstance(value, int) else value

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        try:
            return iuv.parse_euro(value)
        except ValueError:
            raise forms.ValidationError(
                _("Scrivi l'importo in euro, con al massimo due decimali (es. 16,79).")
            ) from None


class PaymentSettingsForm(forms.ModelForm):
    gpd_subscription_key = forms.CharField(
        label=_("Chiave di sottoscrizione GPD"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    checkout_subscription_key = forms.CharField(
        label=_("Chiave di sottoscrizione Checkout"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = PaymentSettings
        fields = [
            "creditor_fiscal_code",
            "creditor_name",
            "iban",
            "segregation_code",
            "cbill",
            "provider",
            "gpd_base_url",
            "gpd_subscription_key",
            "checkout_base_url",
            "checkout_subscription_key",
            "accounting_email",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("gpd_subscription_key", "checkout_subscription_key"):
            is_set = bool(self.instance.pk and getattr(self.instance, name))
            self.initial[name] = ""
            self.fields[name].help_text = (
                _("Impostata: lascia vuoto per mantenerla, scrivi una nuova chiave per sostituirla.")
                if is_set
                else _("Non impostata.")
            )

    def clean_iban(self):
        return re.sub(r"\s+", "", self.cleaned_data["iban"]).upper()

    def values(self) -> dict:
        secret = {"gpd_subscription_key", "checkout_subscription_key"}
        return {k: v for k, v in self.cleaned_data.items() if k not in secret}

    def secrets(self) -> dict:
        return {
            k: self.cleaned_data.get(k, "") for k in ("gpd_subscription_key", "checkout_subscription_key")
        }


class ServicePaymentForm(forms.Form):
    when = forms.ChoiceField(label=_("Quando si paga"), choices=When.choices)
    description = forms.CharField(label=_("Causale"), max_length=140, required=False)
    due_days = forms.IntegerField(label=_("Scadenza (giorni dalla richiesta)"), min_value=1, max_value=365)
    total = EuroField(
        label=_("Importo totale (euro)"),
        required=False,
        help_text=_("Le voci di bilancio devono sommare a questo importo."),
    )
    rules = forms.CharField(
        label=_("Regole sull'importo"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Una regola per riga: «campo = valore: importi delle voci separati da ;». "
            "Es. «motivo = duplicato: 16,79; 10,32; 0,26». Vale la prima regola che corrisponde."
        ),
    )

    def clean_rules(self):
        rules = []
        for number, line in enumerate(self.cleaned_data["rules"].splitlines(), start=1):
            if not line.strip():
                continue
            match = re.match(r"^\s*([a-z0-9_]+)\s*=\s*([^:]+?)\s*:\s*(.+)$", line)
            try:
                if not match:
                    raise ValueError
                amounts = [
                    iuv.parse_euro(a) if a.strip() not in ("0", "") else 0 for a in match[3].split(";")
                ]
            except ValueError:
                raise forms.ValidationError(
                    _("Riga %(n)s: scrivi «campo = valore: importo; importo; ...».") % {"n": number}
                ) from None
            rules.append({"field": match[1], "equals": match[2], "amounts": amounts})
        return rules


class BudgetLineForm(forms.Form):
    description = forms.CharField(label=_("Descrizione"), max_length=140)
    capitolo = forms.CharField(label=_("Capitolo"), max_length=30)
    articolo = forms.CharField(label=_("Articolo"), max_length=30, required=False)
    accertamento = forms.CharField(label=_("Accertamento"), max_length=30, required=False)
    ufficio = forms.CharField(label=_("Ufficio"), max_length=60, required=False)
    taxonomy_code = forms.CharField(
        label=_("Codice di tassonomia pagoPA"),
        max_length=40,
        widget=forms.TextInput(attrs={"list": "tassonomia"}),
        help_text=_("Es. 9/0104100TS/ (carta d'identità elettronica): cerca nell'elenco."),
    )
    amount_cents = EuroField(label=_("Importo (euro)"))

    def clean_taxonomy_code(self):
        code = self.cleaned_data["taxonomy_code"].strip()
        if code not in taxonomy():
            raise forms.ValidationError(_("Non è un codice della tassonomia pagoPA: sceglilo dall'elenco."))
        return code


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=0, min_num=1, max_num=5, validate_max=True)


def empty_line_count(existing: int) -> int:
    return max(0, 5 - existing)


class PaymentFilterForm(forms.Form):
    servizio = forms.TypedChoiceField(label=_("Servizio"), required=False, coerce=int, empty_value=None)
    stato = forms.ChoiceField(label=_("Stato"), required=False)
    dal = forms.DateField(label=_("Creati dal"), required=False, **DATE)
    al = forms.DateField(label=_("Creati fino al"), required=False, **DATE)
    capitolo = forms.CharField(label=_("Capitolo"), required=False, max_length=30)
    q = forms.CharField(label=_("IUV, codice avviso o codice fiscale"), required=False, max_length=20)

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["servizio"].choices = [("", _("Tutti i servizi"))] + [(s.pk, s.name) for s in services]
        self.fields["stato"].choices = [("", _("Tutti gli stati")), *Status.choices]


class AccountingExportForm(forms.Form):
    dal = forms.DateField(label=_("Pagati dal"), **DATE)
    al = forms.DateField(label=_("Pagati fino al"), **DATE)
    formato = forms.ChoiceField(
        label=_("Formato"), choices=[("csv", "CSV"), ("xlsx", "XLSX (Excel)"), ("json", "JSON")]
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("dal") and cleaned.get("al") and cleaned["dal"] > cleaned["al"]:
            raise forms.ValidationError(_("La data iniziale è successiva a quella finale."))
        return cleaned


class FlowUploadForm(forms.Form):
    flow = forms.FileField(
        label=_("Flusso di rendicontazione (XML)"),
        help_text=_("File XML FlussoRiversamento, al massimo 20 MB."),
    )

    def clean_flow(self):
        upload = self.cleaned_data["flow"]
        if upload.size > MAX_FLOW_BYTES:
            raise forms.ValidationError(_("Il file è troppo grande: al massimo 20 MB."))
        return upload
