from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from sportello.accounts.models import User
from sportello.catalog import content
from sportello.catalog.constants import Category, Status
from sportello.catalog.models import Service
from sportello.catalog.services import CARD_FIELDS, CARD_TEXTS, GENERAL_FIELDS
from sportello.catalog.topics import TOPICS, canonical_topic

CONDITIONS_MAX_BYTES = 10 * 1024 * 1024


class TopicsField(forms.CharField):
    """Topics typed as a comma-separated list of terms of the controlled vocabulary, stored as a JSON list."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value)
        topics, unknown = [], []
        for item in text.split(","):
            item = " ".join(item.split())
            if not item:
                continue
            topic = canonical_topic(item)
            if topic is None:
                unknown.append(item)
            elif topic not in topics:
                topics.append(topic)
        if unknown:
            raise forms.ValidationError(
                _("Non sono argomenti del vocabolario controllato: %(unknown)s. Scegli tra: %(topics)s.")
                % {"unknown": ", ".join(unknown), "topics": ", ".join(TOPICS)},
                code="topic",
            )
        return topics[:10]


class ServiceGeneralForm(forms.ModelForm):
    topics = TopicsField(
        label=_("Argomenti"),
        required=False,
        help_text=_(
            "Separati da virgole, dal vocabolario controllato del modello dei siti comunali, ad esempio: "
            "Anagrafe, Residenza"
        ),
    )
    operators = forms.ModelMultipleChoiceField(
        label=_("Operatori abilitati"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Le persone che gestiscono le pratiche di questo servizio."),
    )
    publish_from = forms.DateTimeField(
        label=_("Pubblicato dal"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Solo per lo stato Programmato."),
    )
    publish_until = forms.DateTimeField(
        label=_("Pubblicato fino al"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Solo per lo stato Programmato; vuoto per nessuna scadenza."),
    )
    confirm_name_change = forms.BooleanField(
        label=_("Confermo il cambio del nome anche su App IO"), required=False, widget=forms.CheckboxInput
    )

    class Meta:
        model = Service
        fields = list(GENERAL_FIELDS)
        widgets = {"short_description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "name": _(
                "Il nome con cui i cittadini trovano il servizio, ad esempio «Richiesta contributo asili nido»."
            ),
            "slug": _("Compare nell'indirizzo della pagina; solo lettere minuscole, cifre e trattini."),
            "short_description": _("Una o due frasi, al massimo 300 caratteri."),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operators"].queryset = User.objects.filter(
            memberships__municipality=municipality, memberships__is_active=True, is_active=True
        ).order_by("last_name", "first_name")
        self.fields["category"].choices = [("", "---------"), *Category.choices]
        if self.instance.pk:
            self.fields["operators"].initial = list(self.instance.operators.values_list("pk", flat=True))
        if not (self.instance.pk and self.instance.io_service_id):
            del self.fields["confirm_name_change"]

    def clean(self):
        data = super().clean()
        if data.get("status") == Status.SCHEDULED and not data.get("publish_from"):
            self.add_error("publish_from", _("Per un servizio programmato indica da quando è pubblicato."))
        return data


class ServiceCardForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = list(CARD_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in CARD_TEXTS} | {
            "office_hours": forms.Textarea(attrs={"rows": 3})
        }
        help_texts = {
            "description": _(
                "Testo in Markdown: **grassetto**, elenchi con «-», collegamenti [testo](https://...)."
            ),
            "conditions_file": _("PDF, al massimo 10 MB."),
        }

    def clean_conditions_file(self):
        upload = self.cleaned_data.get("conditions_file")
        if upload and hasattr(upload, "content_type"):
            if upload.size > CONDITIONS_MAX_BYTES:
                raise forms.ValidationError(_("Il documento non può superare 10 MB."))
            head = upload.read(5)
            upload.seek(0)
            if head != b"%PDF-":
                raise forms.ValidationError(_("Il documento deve essere un PDF."))
        return upload


class DeadlineForm(forms.Form):
    date = forms.DateField(label=_("Data"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    label = forms.CharField(label=_("Descrizione"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("date")) != bool(data.get("label")):
            raise forms.ValidationError(_("Indica sia la data sia la descrizione della scadenza."))
        return data


DeadlineFormSet = forms.formset_factory(DeadlineForm, extra=2, max_num=20)


TRANSLATION_LABELS = {
    "name": _("Nome del servizio"),
    "short_description": _("Descrizione breve"),
    "addressed_to": _("A chi è rivolto"),
    "description": _("Descrizione"),
    "how_to": _("Come fare"),
    "needed": _("Cosa serve"),
    "achieved": _("Cosa si ottiene"),
    "timing": _("Tempi e scadenze"),
    "cost": _("Quanto costa"),
    "more_info": _("Ulteriori informazioni"),
    "office_hours": _("Orari di apertura"),
}
LANGUAGE_NAMES = {"en": _("inglese"), "de": _("tedesco")}


class ServiceTranslationsForm(forms.Form):
    """The card's texts in each of ``languages`` (en, de); what is left empty is shown in Italian."""

    def __init__(self, *args, service: Service, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = [lang for lang in content.TRANSLATION_LANGUAGES if lang in languages]
        for lang in self.languages:
            texts = (service.translations or {}).get(lang) or {}
            for field in content.TRANSLATABLE:
                italian = getattr(service, field) or ""
                if field in content.PLAIN_TEXTS:
                    widget, limit = forms.TextInput(attrs={"lang": lang}), content.PLAIN_TEXTS[field]
                else:
                    widget, limit = (
                        forms.Textarea(attrs={"rows": 4, "lang": lang}),
                        content.MARKDOWN_MAX_LENGTH,
                    )
                self.fields[f"{lang}_{field}"] = forms.CharField(
                    label=f"{TRANSLATION_LABELS[field]} ({LANGUAGE_NAMES[lang]})",
                    required=False,
                    max_length=limit,
                    initial=texts.get(field, ""),
                    widget=widget,
                    help_text=_("In italiano: %(text)s") % {"text": Truncator(italian).chars(160)}
                    if italian
                    else _("Vuoto anche in italiano."),
                )

    def fieldsets(self):
        return [
            (lang, LANGUAGE_NAMES[lang], [self[f"{lang}_{field}"] for field in content.TRANSLATABLE])
            for lang in self.languages
        ]

    def translations(self) -> dict:
        return {
            lang: {field: self.cleaned_data[f"{lang}_{field}"] for field in content.TRANSLATABLE}
            for lang in self.languages
        }
