from django import forms
from django.utils.translation import gettext_lazy as _

from sportello.catalog.models import Service
from sportello.payments.validators import validate_taxonomy_code
from sportello.subscriptions.csv_import import parse_euros
from sportello.subscriptions.models import ItemKind, ReductionKind, SubscriptionService


class SubscriptionServiceForm(forms.ModelForm):
    class Meta:
        model = SubscriptionService
        fields = [
            "code",
            "name",
            "service",
            "enrol_from",
            "enrol_until",
            "period_start",
            "period_end",
            "max_subscribers",
            "message",
        ]
        widgets = {
            "enrol_from": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "enrol_until": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "message": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        taken = SubscriptionService.objects.exclude(pk=self.instance.pk).values("service")
        self.fields["service"].queryset = Service.objects.for_municipality(municipality).exclude(pk__in=taken)
        self.fields["service"].help_text = _(
            "Il servizio del catalogo il cui modulo raccoglie le iscrizioni (campi iscritto_nome, "
            "iscritto_cognome, iscritto_codice_fiscale, condivisione..., isee)."
        )

    def validate_unique(self):  # the service checks uniqueness with the municipality, which is not a field
        pass


def _euros(value: str) -> int:
    try:
        return parse_euros(value)
    except ValueError:
        raise forms.ValidationError(_("Indica un importo in euro, ad esempio 140 o 12,50.")) from None


class PlanItemForm(forms.Form):
    code = forms.SlugField(label=_("Codice"), max_length=30)
    kind = forms.ChoiceField(label=_("Tipo"), choices=ItemKind.choices)
    label = forms.CharField(label=_("Descrizione"), max_length=140)
    due_date = forms.DateField(
        label=_("Scadenza"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Vuota: 15 giorni dopo l'iscrizione."),
    )
    reducible = forms.BooleanField(label=_("Riducibile (ISEE, fratelli)"), required=False, initial=True)
    amount = forms.CharField(label=_("Importo (euro)"), max_length=12)
    capitolo = forms.CharField(label=_("Capitolo"), max_length=30)
    articolo = forms.CharField(label=_("Articolo"), max_length=30, required=False)
    accertamento = forms.CharField(label=_("Accertamento"), max_length=30, required=False)
    ufficio = forms.CharField(label=_("Ufficio"), max_length=60, required=False)
    taxonomy_code = forms.CharField(
        label=_("Codice di tassonomia pagoPA"), max_length=40, validators=[validate_taxonomy_code]
    )

    def clean_amount(self):
        cents = _euros(self.cleaned_data["amount"])
        if cents <= 0:
            raise forms.ValidationError(_("L'importo deve essere maggiore di zero."))
        return cents

    def split(self):
        data = self.cleaned_data
        item = {k: data[k] for k in ("code", "kind", "label", "due_date", "reducible")}
        line = {k: data[k] for k in ("capitolo", "articolo", "accertamento", "ufficio", "taxonomy_code")}
        return item, {**line, "description": data["label"], "amount_cents": data["amount"]}


class ReductionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo"), choices=ReductionKind.choices)
    label = forms.CharField(label=_("Descrizione"), max_length=140)
    isee_max = forms.CharField(label=_("ISEE fino a (euro)"), max_length=12, required=False)
    sibling_rank = forms.IntegerField(label=_("Dal figlio numero"), min_value=2, max_value=20, required=False)
    percent = forms.IntegerField(label=_("Riduzione (%)"), min_value=1, max_value=100)

    def clean_isee_max(self):
        value = self.cleaned_data["isee_max"]
        return _euros(value) if value else None

    def values(self):
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "label": data["label"],
            "isee_max_cents": data["isee_max"],
            "sibling_rank": data["sibling_rank"],
            "percent": data["percent"],
        }
