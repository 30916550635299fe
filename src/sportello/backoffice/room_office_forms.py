"""Forms of the office's own work on rooms: photos and bookings on behalf of an applicant."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sportello.rooms.forms import RangeChoiceForm
from sportello.rooms.models import ApplicantKind
from sportello.rooms.services import DECLARATIONS


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Foto (JPEG, PNG o WebP, al massimo 8 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(
        label=_("Descrizione della foto (testo alternativo)"),
        max_length=250,
        help_text=_(
            "Cosa si vede nella foto, per chi usa un lettore di schermo (es. «La sala con 80 sedie»)."
        ),
    )


class OfficeBookForm(RangeChoiceForm):
    """A phone or desk request typed in by the office: the range (as the citizen chooses it), the applicant
    and the details. The services check everything again; the form only parses."""

    channel = forms.ChoiceField(
        label=_("Richiesta ricevuta"),
        choices=[
            ("telefono", _("per telefono")),
            ("sportello", _("allo sportello")),
            ("e-mail", _("per e-mail")),
        ],
    )
    applicant_kind = forms.ChoiceField(
        label=_("Il richiedente è"), choices=ApplicantKind.choices, widget=forms.RadioSelect
    )
    applicant_name = forms.CharField(
        label=_("Nome e cognome (la persona, o il legale rappresentante)"), max_length=200
    )
    applicant_fiscal_code = forms.CharField(label=_("Codice fiscale della persona"), max_length=16)
    applicant_email = forms.EmailField(
        label=_("E-mail del richiedente"), help_text=_("Riceve la conferma e il link per pagare o annullare.")
    )
    organisation_name = forms.CharField(
        label=_("Denominazione dell'associazione, ente o impresa"), max_length=200, required=False
    )
    organisation_fiscal_code = forms.CharField(
        label=_("Codice fiscale dell'associazione, ente o impresa"), max_length=16, required=False
    )
    purpose = forms.CharField(label=_("Finalità dell'uso"), max_length=200)
    programme = forms.CharField(
        label=_("Breve programma"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attendance = forms.IntegerField(label=_("Partecipanti previsti"), min_value=1)
    equipment = forms.MultipleChoiceField(
        label=_("Dotazioni richieste"), required=False, widget=forms.CheckboxSelectMultiple
    )
    declarations_signed = forms.BooleanField(
        label=_(
            "Il richiedente ha sottoscritto le dichiarazioni del regolamento (capienza, divieto di fumo, "
            "affissioni, assicurazione, permessi SIAE e di sicurezza)"
        )
    )

    def __init__(self, *args, room, **kwargs):
        super().__init__(*args, room=room, **kwargs)
        self.fields["equipment"].choices = [(e, e) for e in room.equipment_list]
        if not room.equipment_list:
            del self.fields["equipment"]
        self.order_fields(["channel"])

    def applicant(self) -> dict:
        data = self.cleaned_data
        names = ("applicant_kind", "applicant_name", "applicant_fiscal_code", "applicant_email")
        values = {name: data[name] for name in names}
        if data["applicant_kind"] == ApplicantKind.ORGANISATION:
            values["organisation_name"] = data["organisation_name"]
            values["organisation_fiscal_code"] = data["organisation_fiscal_code"]
            values["legal_representative"] = data["applicant_name"]
        return values

    def details(self) -> dict:
        data = self.cleaned_data
        return {
            "purpose": data["purpose"],
            "programme": data["programme"],
            "attendance": data["attendance"],
            "equipment": data.get("equipment", []),
            "declarations": list(DECLARATIONS) if data["declarations_signed"] else [],
        }
