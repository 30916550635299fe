"""The "Dati del form" editor: one Django form edits one field of a form definition (a JSON dict)."""

import copy
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

FIELD_TYPES = [
    ("text", _("Testo breve")),
    ("textarea", _("Testo lungo")),
    ("email", _("E-mail")),
    ("phone", _("Telefono")),
    ("number", _("Numero")),
    ("date", _("Data")),
    ("select", _("Menu a tendina")),
    ("radio", _("Scelta singola")),
    ("checkbox", _("Casella di spunta")),
    ("multiselect", _("Scelta multipla")),
    ("file", _("Allegato")),
    ("fiscal_code", _("Codice fiscale")),
    ("iban", _("IBAN")),
    ("address", _("Indirizzo")),
    ("static", _("Testo informativo")),
]
CHOICE_TYPES = {"select", "radio", "multiselect"}
PREFILL_CHOICES = [
    ("", _("Nessuno")),
    ("name", _("Nome")),
    ("family_name", _("Cognome")),
    ("fiscal_code", _("Codice fiscale")),
    ("email", _("E-mail")),
    ("phone", _("Telefono")),
]
FILE_TYPES = ["pdf", "jpg", "jpeg", "png", "p7m", "odt", "docx", "xml", "txt"]
LANGS = [code for code, _name in settings.LANGUAGES]


def translated(mapping: dict | None, language: str = "it") -> str:
    mapping = mapping or {}
    return mapping.get(language) or mapping.get("it") or ""


class FieldEditForm(forms.Form):
    type = forms.ChoiceField(label=_("Tipo di campo"), choices=FIELD_TYPES)
    key = forms.RegexField(
        label=_("Nome tecnico"),
        regex=r"^[a-z][a-z0-9_]{0,49}$",
        help_text=_(
            "Lettere minuscole, cifre e trattino basso, ad esempio data_nascita. Identifica il dato."
        ),
        error_messages={
            "invalid": _("Usa solo lettere minuscole, cifre e trattino basso, iniziando con una lettera.")
        },
    )
    page = forms.TypedChoiceField(label=_("Pagina"), coerce=int)
    label_it = forms.CharField(label=_("Etichetta (italiano)"), max_length=300)
    label_en = forms.CharField(label=_("Etichetta (inglese)"), max_length=300, required=False)
    label_de = forms.CharField(label=_("Etichetta (tedesco)"), max_length=300, required=False)
    help_it = forms.CharField(label=_("Aiuto (italiano)"), max_length=500, required=False)
    help_en = forms.CharField(label=_("Aiuto (inglese)"), max_length=500, required=False)
    help_de = forms.CharField(label=_("Aiuto (tedesco)"), max_length=500, required=False)
    required = forms.BooleanField(label=_("Obbligatorio"), required=False)
    min_length = forms.IntegerField(label=_("Lunghezza minima"), min_value=0, required=False)
    max_length = forms.IntegerField(label=_("Lunghezza massima"), min_value=1, required=False)
    pattern = forms.CharField(label=_("Formato (espressione regolare)"), max_length=200, required=False)
    minimum = forms.CharField(
        label=_("Valore minimo"), required=False, help_text=_("Per numeri e date (AAAA-MM-GG).")
    )
    maximum = forms.CharField(
        label=_("Valore massimo"), required=False, help_text=_("Per numeri e date (AAAA-MM-GG).")
    )
    integer = forms.BooleanField(
        label=_("Solo numeri interi"), required=False, help_text=_("Per i numeri: persone, figli, locali...")
    )
    default = forms.CharField(label=_("Valore predefinito"), required=False)
    prefill = forms.ChoiceField(
        label=_("Precompila dall'identità digitale"), choices=PREFILL_CHOICES, required=False
    )
    options = forms.CharField(
        label=_("Opzioni"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Una per riga, nella forma valore | etichetta (ad esempio: nido | Asilo nido)."),
    )
    file_types = forms.MultipleChoiceField(
        label=_("Tipi di file ammessi"),
        choices=[(t, t.upper()) for t in FILE_TYPES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    max_size_mb = forms.IntegerField(
        label=_("Dimensione massima (MB)"), min_value=1, max_value=50, required=False
    )
    content_it = forms.CharField(
        label=_("Testo informativo (italiano)"), required=False, widget=forms.Textarea
    )
    content_en = forms.CharField(
        label=_("Testo informativo (inglese)"), required=False, widget=forms.Textarea
    )
    content_de = forms.CharField(
        label=_("Testo informativo (tedesco)"), required=False, widget=forms.Textarea
    )

    def __init__(self, *args, pages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].choices = [
            (i, title or _("Pagina %(n)s") % {"n": i + 1}) for i, title in enumerate(pages)
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("type")
        if kind in CHOICE_TYPES and not self._parse_options(data.get("options", "")):
            self.add_error("options", _("Indica almeno un'opzione."))
        if kind == "file" and not data.get("file_types"):
            self.add_error("file_types", _("Indica almeno un tipo di file ammesso."))
        if kind == "static" and not data.get("content_it"):
            self.add_error("content_it", _("Scrivi il testo informativo in italiano."))
        return data

    @staticmethod
    def _parse_options(text: str) -> list[dict]:
        options = []
        for line in (text or "").splitlines():
            if not line.strip():
                continue
            value, _sep, label = line.partition("|")
            value, label = value.strip(), (label.strip() or value.strip())
            options.append({"value": value, "label": {"it": label}})
        return options

    def to_field(self) -> dict:
        """The definition entry for the cleaned data (empty settings are left out)."""
        data = self.cleaned_data
        kind = data["type"]
        field: dict = {"key": data["key"], "type": kind, "label": self._translations(data, "label")}
        help_text = self._translations(data, "help")
        if help_text:
            field["help"] = help_text
        if kind == "static":
            field["content"] = self._translations(data, "content")
            return field
        field["required"] = bool(data.get("required"))
        validation = {}
        if kind in {"text", "textarea", "fiscal_code", "iban", "phone", "email"}:
            for name in ("min_length", "max_length"):
                if data.get(name) is not None:
                    validation[name] = data[name]
            if data.get("pattern"):
                validation["pattern"] = data["pattern"]
        if kind in {"number", "date"}:
            for name, key in (("minimum", "min"), ("maximum", "max")):
                value = (data.get(name) or "").strip()
                if value:
                    validation[key] = self._number(value) if kind == "number" else value
        if kind == "number" and data.get("integer"):
            validation["integer"] = True
        if validation:
            field["validation"] = validation
        if (data.get("default") or "").strip():
            default = data["default"].strip()
            field["default"] = self._number(default) if kind == "number" else default
        if data.get("prefill"):
            field["prefill"] = data["prefill"]
        if kind in CHOICE_TYPES:
            field["options"] = self._parse_options(data.get("options", ""))
        if kind == "file":
            field["file"] = {"types": data["file_types"], "max_size_mb": data.get("max_size_mb") or 5}
        return field

    @staticmethod
    def _number(value: str):
        try:
            number = Decimal(value.replace(",", "."))
        except ArithmeticError:
            return value  # left for the definition validator to report
        return int(number) if number == number.to_integral_value() else str(number)

    @staticmethod
    def _translations(data: dict, prefix: str) -> dict:
        return {
            code: data[f"{prefix}_{code}"].strip()
            for code in LANGS
            if (data.get(f"{prefix}_{code}") or "").strip()
        }

    @classmethod
    def initial_for(cls, field: dict, page: int) -> dict:
        initial = {
            "type": field["type"],
            "key": field["key"],
            "page": page,
            "required": field.get("required", False),
        }
        for prefix, source in (("label", "label"), ("help", "help"), ("content", "content")):
            for code in LANGS:
                initial[f"{prefix}_{code}"] = (field.get(source) or {}).get(code, "")
        validation = field.get("validation") or {}
        initial.update(
            min_length=validation.get("min_length"),
            max_length=validation.get("max_length"),
            pattern=validation.get("pattern", ""),
            minimum=validation.get("min", ""),
            maximum=validation.get("max", ""),
            integer=validation.get("integer", False),
            default=field.get("default", ""),
            prefill=field.get("prefill", ""),
            options="\n".join(
                f"{o['value']} | {translated(o.get('label'))}" for o in field.get("options", [])
            ),
            file_types=(field.get("file") or {}).get("types", []),
            max_size_mb=(field.get("file") or {}).get("max_size_mb"),
        )
        return initial


def find_field(definition: dict, key: str) -> tuple[int, int] | None:
    for page_index, page in enumerate(definition["pages"]):
        for field_index, field in enumerate(page["fields"]):
            if field["key"] == key:
                return page_index, field_index
    return None


def definition_with_field(
    definition: dict, *, field: dict, page: int, replace_key: str | None = None
) -> dict:
    """A copy of ``definition`` with ``field`` added to ``page`` (or replacing ``replace_key`` in place)."""
    result = copy.deepcopy(definition)
    position = find_field(result, replace_key) if replace_key else None
    if position is not None:
        old_page, index = position
        if old_page == page:
            result["pages"][page]["fields"][index] = field
            return result
        del result["pages"][old_page]["fields"][index]
    result["pages"][page]["fields"].append(field)
    return result


def definition_without_field(definition: dict, key: str) -> dict:
    result = copy.deepcopy(definition)
    position = find_field(result, key)
    if position is not None:
        del result["pages"][position[0]]["fields"][position[1]]
    return result


def definition_with_field_moved(definition: dict, key: str, offset: int) -> dict:
    """Move a field up (-1) or down (+1) within its page, or across to the neighbouring page at the edges."""
    result = copy.deepcopy(definition)
    position = find_field(result, key)
    if position is None:
        return result
    page, index = position
    fields = result["pages"][page]["fields"]
    target = index + offset
    if 0 <= target < len(fields):
        fields[index], fields[target] = fields[target], fields[index]
    elif 0 <= page + offset < len(result["pages"]):
        field = fields.pop(index)
        neighbour = result["pages"][page + offset]["fields"]
        if offset < 0:
            neighbour.append(field)
        else:
            neighbour.insert(0, field)
    return result


def page_titles(definition: dict, language: str = "it") -> list[str]:
    return [translated(page.get("title"), language) for page in definition["pages"]]
