"""Forms of the operators' applications pages: the list filters and the handling actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sportello.applications.selectors import DEFAULT_SORT, SORTS, UNASSIGNED, ApplicationFilters
from sportello.applications.states import State
from sportello.core.uploads import FILE_ERRORS, MultipleFileField
from sportello.formschema.build import FileValidator

UPLOAD_TYPES = ["pdf", "jpg", "jpeg", "png", "p7m", "odt", "docx"]
UPLOAD_MAX_MB = 10
UPLOAD_MAX_FILES = 10
UPLOAD_HELP = _("PDF, JPG, PNG, P7M, ODT o DOCX, al massimo 10 MB ciascuno.")
ACCEPT = ",".join(f".{extension}" for extension in UPLOAD_TYPES)

SORT_CHOICES = [
    ("-submitted_at", _("Data di invio, dalla più recente")),
    ("submitted_at", _("Data di invio, dalla meno recente")),
    ("applicant_name", _("Richiedente")),
    ("state", _("Stato")),
    ("service", _("Servizio")),
]
assert {value for value, _label in SORT_CHOICES} == set(SORTS)


# Dates outside these years are typing errors; bounding them also keeps "day + 1" and the time-zone
# conversion of the filters away from Python's date limits (year 1 and 9999).
FILTER_YEARS = (1900, 2100)


class FilterDateField(forms.DateField):
    def clean(self, value):
        day = super().clean(value)
        if day is not None and not FILTER_YEARS[0] <= day.year <= FILTER_YEARS[1]:
            raise forms.ValidationError(
                _("Indica una data tra il %(first)s e il %(last)s."),
                code="out_of_range",
                params={"first": FILTER_YEARS[0], "last": FILTER_YEARS[1]},
            )
        return day


class ApplicationFilterForm(forms.Form):
    """The list's GET filters (Italian parameter names, as in the address bar)."""

    q = forms.CharField(
        label=_("Cerca"),
        required=False,
        max_length=100,
        help_text=_("Numero di protocollo (2026/000123 o 123), codice fiscale o inizio del cognome."),
    )
    servizio = forms.TypedChoiceField(label=_("Servizio"), required=False, coerce=int, empty_value=None)
    stato = forms.ChoiceField(label=_("Stato"), required=False)
    dal = FilterDateField(
        label=_("Inviate dal"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    al = FilterDateField(
        label=_("Inviate fino al"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    assegnatario = forms.ChoiceField(label=_("Assegnata a"), required=False)
    ordine = forms.ChoiceField(label=_("Ordina per"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, services, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["servizio"].choices = [("", _("Tutti i servizi"))] + [(s.pk, s.name) for s in services]
        self.fields["stato"].choices = [("", _("Tutti gli stati"))] + [
            (value, label) for value, label in State.choices if value != State.DRAFT
        ]
        self.fields["assegnatario"].choices = [
            ("", _("Chiunque")),
            (UNASSIGNED, _("Nessuno (non assegnate)")),
        ] + [(str(user.pk), user.get_full_name() or user.username) for user in staff]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("dal"), cleaned.get("al")
        if start and end and start > end:
            self.add_error("al", _("La data finale precede quella iniziale."))
        return cleaned

    def filters(self) -> ApplicationFilters:
        """The valid filters (an invalid one is left out, and shown as an error)."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return ApplicationFilters(
            service=data.get("servizio"),
            state=data.get("stato") or "",
            submitted_from=data.get("dal"),
            submitted_to=data.get("al") if "al" not in self.errors else None,
            assigned=data.get("assegnatario") or "",
            q=data.get("q") or "",
            sort=data.get("ordine") or DEFAULT_SORT,
        )


# --- Uploads ---


def attachments_field() -> MultipleFileField:
    return MultipleFileField(
        types=UPLOAD_TYPES,
        max_size_mb=UPLOAD_MAX_MB,
        max_files=UPLOAD_MAX_FILES,
        label=_("Allegati"),
        help_text=UPLOAD_HELP,
    )


def text_field(label, *, required=True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Questo campo è obbligatorio."),
            "max_length": _("Il testo può contenere al massimo %(limit_value)d caratteri."),
        },
    )


# --- Actions ---


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assegna a"),
        queryset=None,
        empty_label=_("Scegli una persona"),
        error_messages={
            "required": _("Scegli a chi assegnare la pratica."),
            "invalid_choice": _("La persona scelta non è abilitata su questo servizio."),
        },
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.username


class IntegrationForm(forms.Form):
    body = text_field(_("Che cosa deve integrare il cittadino"))
    due = forms.DateField(
        label=_("Termine per le integrazioni"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("Facoltativo. Una data futura."),
        error_messages={"invalid": _("Inserisci una data valida (gg/mm/aaaa).")},
    )
    files = attachments_field()


class OutcomeForm(forms.Form):
    motivation = text_field(_("Motivazione"))
    document = forms.FileField(
        label=_("Documento dell'esito (facoltativo)"),
        required=False,
        max_length=200,
        help_text=UPLOAD_HELP,
        validators=[FileValidator(UPLOAD_TYPES, UPLOAD_MAX_MB)],
        error_messages=FILE_ERRORS,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class CancelForm(forms.Form):
    motivation = text_field(_("Motivazione dell'annullamento"))


class MessageForm(forms.Form):
    body = text_field(_("Testo"))
    files = attachments_field()
