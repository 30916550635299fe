from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from sportello.accounts.models import Role
from sportello.municipalities.models import Municipality

LOGO_MAX_BYTES = 1024 * 1024


def language_choices() -> list[tuple[str, str]]:
    """The platform's languages named in the language of the page ("Italiano, Inglese, Tedesco")."""
    return [(code, get_language_info(code)["name_translated"]) for code, _name in settings.LANGUAGES]


class LogoInput(forms.ClearableFileInput):
    """The current coat of arms links to the page that serves it (media files have no public URL)."""

    url = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"] and self.url:
            context["widget"]["value"] = _CurrentFile(str(value), self.url)
        return context


class _CurrentFile(str):
    def __new__(cls, name, url):
        current = super().__new__(cls, name.rsplit("/", 1)[-1])
        current.url = url
        return current


class StaffInviteForm(forms.Form):
    first_name = forms.CharField(label=_("Nome"), max_length=150)
    last_name = forms.CharField(label=_("Cognome"), max_length=150)
    username = forms.SlugField(
        label=_("Nome utente"),
        max_length=150,
        help_text=_("Lettere minuscole, cifre e trattini, ad esempio mario-rossi."),
    )
    email = forms.EmailField(label=_("E-mail"), help_text=_("Qui arriva la password temporanea."))
    role = forms.ChoiceField(label=_("Ruolo"), choices=Role.choices, initial=Role.OPERATOR)
    language = forms.ChoiceField(label=_("Lingua delle comunicazioni"), choices=language_choices)


class StaffRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Ruolo"), choices=Role.choices)


class MunicipalitySettingsForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Lingue attive"),
        choices=language_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("L'italiano è sempre attivo ed è la lingua predefinita."),
    )

    class Meta:
        model = Municipality
        fields = [
            "name",
            "fiscal_code",
            "ipa_code",
            "email",
            "pec",
            "phone",
            "address",
            "site_url",
            "logo",
            "languages",
            "privacy_url",
            "legal_notes_url",
            "accessibility_url",
            "administration_url",
            "news_url",
            "living_url",
            "report_url",
        ]
        help_texts = {
            "privacy_url": _("Lascia vuoto per usare l'informativa predefinita della piattaforma."),
            "legal_notes_url": _("Lascia vuoto per usare le note legali predefinite."),
            "accessibility_url": _(
                "Indirizzo della dichiarazione di accessibilità pubblicata su AGID; vuoto per la pagina predefinita."
            ),
            "administration_url": _("Vuoto: la sezione /amministrazione del sito istituzionale."),
            "news_url": _("Vuoto: la sezione /novita del sito istituzionale."),
            "living_url": _("Vuoto: la sezione /vivere-il-comune del sito istituzionale."),
            "report_url": _(
                "Il servizio o la pagina per segnalare un disservizio; vuoto per scrivere all'e-mail dell'ente."
            ),
            "logo": _("PNG, JPEG o WebP, al massimo 1 MB."),
        }
        widgets = {"logo": LogoInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from sportello.core.urlutils import tenant_reverse

        if self.instance.pk:
            self.fields["logo"].widget.url = tenant_reverse("portal:logo", self.instance)

    def clean_languages(self):
        chosen = self.cleaned_data["languages"]
        return ["it"] + [code for code, _name in settings.LANGUAGES if code in chosen and code != "it"]

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > LOGO_MAX_BYTES:
            raise ValidationError(_("Lo stemma non può superare 1 MB."))
        return logo
