"""From a validated definition to a Django form, and from cleaned data to JSON and to a summary.

Rendering static blocks: a ``static`` definition field becomes a ``StaticBlockField`` in the form, in its
place among the other fields, so ``{% for field in form %}`` meets it in order. It is disabled, never reads
the request and never appears in ``cleaned_data``. Templates recognise it by
``field.widget_type == "staticblock"`` (or ``field.field.is_static``) and render it with ``{{ field }}``,
which outputs ``<div class="form-static-block">`` with the escaped text, paragraphs kept; its optional
label is ``field.label``. ``form.static_keys`` lists the static keys, ``form.input_fields()`` the rest.
"""

import datetime
import os
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator
from django.template.defaultfilters import filesizeformat, linebreaks_filter
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.translation import gettext_lazy as _

from sportello.core.identifiers import normalize_code

from .filecontent import UnreadablePdf, pdf_active_content, signed_payload
from .schema import (
    ADDRESS_PARTS,
    CHOICE_TYPES,
    iter_fields,
    parse_decimal,
    parse_iso_date,
    validate_definition,
)
from .validators import validate_fiscal_code, validate_iban, validate_phone

DEFAULT_MAX_LENGTH = {"text": 500, "textarea": 5000, "email": 254}
NUMBER_MAX_DIGITS = 20
# HTML autocomplete tokens for the identity attributes a field can be prefilled with.
AUTOCOMPLETE = {
    "name": "given-name",
    "family_name": "family-name",
    "email": "email",
    "phone": "tel",
    "fiscal_code": "off",
}
# The first bytes a file of each type must start with; None means "text: no NUL byte".
_MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "odt": (b"PK\x03\x04",),
    "docx": (b"PK\x03\x04",),
    # A CAdES envelope: DER (an ASN.1 SEQUENCE) or its Base64/PEM forms.
    "p7m": (b"\x30", b"MI", b"-----BEGIN"),
    "xml": None,
    "txt": None,
}
_REQUIRED = _("Questo campo è obbligatorio.")


def _text(translatable: dict | None, language: str) -> str:
    """The text of ``translatable`` in ``language``, falling back to Italian."""
    if not translatable:
        return ""
    return translatable.get(language) or translatable.get("it", "")


def fallback_lang(translatable: dict | None, language: str) -> str:
    """``"it"`` when ``translatable`` has no text in ``language`` and shows the Italian one, else ``""``."""
    if not translatable or language == "it" or translatable.get(language):
        return ""
    return "it" if translatable.get("it") else ""


def _language(language: str) -> str:
    return (language or "it").split("-")[0].split("_")[0].lower()


# --- Widgets and fields ------------------------------------------------------------------------------------


class TelInput(forms.TextInput):
    input_type = "tel"


class StaticBlockWidget(forms.Widget):
    """Renders a text block; reads nothing from the request."""

    def __init__(self, content: str = "", attrs=None):
        super().__init__(attrs)
        self.content = content

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        element_id = final.get("id") or f"static_{name}"
        return format_html(
            '<div class="form-static-block" id="{}">{}</div>',
            element_id,
            linebreaks_filter(self.content, autoescape=True),
        )

    def value_from_datadict(self, data, files, name):
        return None

    def value_omitted_from_data(self, data, files, name):
        return True

    def id_for_label(self, id_):
        return ""

    def use_required_attribute(self, initial):
        return False


class StaticBlockField(forms.Field):
    """A text block shown among the fields; never required, never in ``cleaned_data``."""

    is_static = True

    def __init__(self, *, content: str, label: str = "", **kwargs):
        kwargs.update(required=False, disabled=True, widget=StaticBlockWidget(content))
        super().__init__(label=label, **kwargs)
        self.content = content

    def clean(self, value):
        return None

    def has_changed(self, initial, data):
        return False


_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


_ITALIAN_GROUPS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_ENGLISH_GROUPS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def normalize_number(value: str) -> str:
    """Return "1234.5" for "1234,5", "1234.5", "1.234,5", "1,234.5", "1 234,5"; other text unchanged.

    A single separator is the decimal mark ("1.234" is 1.234); groups of thousands need both marks or
    more than one group ("1.234.567").
    """
    value = re.sub(r"[\s\u00a0\u202f']", "", value)
    if re.fullmatch(r"[+-]?\d+([.,]\d+)?", value):
        return value.replace(",", ".")
    if _ITALIAN_GROUPS.match(value):
        return value.replace(".", "").replace(",", ".")
    if _ENGLISH_GROUPS.match(value):
        return value.replace(",", "")
    return value


class NumberField(forms.DecimalField):
    """A DecimalField accepting both comma and dot as decimal separator; never a float."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            value = normalize_number(value)
            if not _PLAIN_NUMBER.match(value):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        number = super().to_python(value)
        if self.decimal_places == 0 and number is not None and number == number.to_integral_value():
            number = number.to_integral_value()  # "3,0" is the whole number 3
        return number


class NormalizedCodeField(forms.CharField):
    """A CharField for codes typed with spaces or in lower case (fiscal codes, IBANs)."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_code(value) if value else value


class PhoneField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return re.sub(r"\s+", " ", value) if value else value


class AddressWidget(forms.MultiWidget):
    def __init__(self, attrs=None):
        widgets = {
            "street": forms.TextInput(
                attrs={"autocomplete": "address-line1", "aria-label": _("Via e numero civico")}
            ),
            "postcode": forms.TextInput(
                attrs={
                    "autocomplete": "postal-code",
                    "inputmode": "numeric",
                    "maxlength": "5",
                    "aria-label": _("CAP"),
                }
            ),
            "town": forms.TextInput(attrs={"autocomplete": "address-level2", "aria-label": _("Comune")}),
            "province": forms.TextInput(
                attrs={
                    "autocomplete": "address-level1",
                    "maxlength": "2",
                    "autocapitalize": "characters",
                    "aria-label": _("Provincia (sigla)"),
                }
            ),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get(part, "") for part in ADDRESS_PARTS]
        return [None] * len(ADDRESS_PARTS)


class AddressField(forms.MultiValueField):
    """Street and number, postcode, town, province; the cleaned value is a dict (or None when empty)."""

    widget = AddressWidget

    def __init__(self, **kwargs):
        fields = (
            forms.CharField(max_length=200),
            forms.CharField(
                validators=[RegexValidator(r"^\d{5}$", _("Il CAP è formato da 5 cifre."), code="postcode")]
            ),
            forms.CharField(max_length=100),
            forms.CharField(
                validators=[
                    RegexValidator(
                        r"^[A-Za-z]{2}$",
                        _("La provincia si indica con la sigla di 2 lettere."),
                        code="province",
                    )
                ]
            ),
        )
        error_messages = {"incomplete": _("Completa tutti i dati dell'indirizzo."), "required": _REQUIRED}
        super().__init__(fields, require_all_fields=False, error_messages=error_messages, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        value = dict(zip(ADDRESS_PARTS, data_list, strict=True))
        value["province"] = value["province"].upper()
        return value


class FileValidator:
    """Checks an upload's extension, its first bytes and its size."""

    def __init__(self, types: list[str], max_size_mb: float):
        self.types = list(types)
        self.max_bytes = int(Decimal(str(max_size_mb)) * 1024 * 1024)

    def __call__(self, upload: UploadedFile) -> None:
        extension = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
        if extension not in self.types:
            raise ValidationError(
                _("Il tipo di file non è ammesso: sono accettati %(types)s."),
                code="file_type",
                params={"types": ", ".join(self.types)},
            )
        if upload.size > self.max_bytes:
            raise ValidationError(
                _("Il file è troppo grande: la dimensione massima è %(size)s."),
                code="file_size",
                params={"size": filesizeformat(self.max_bytes)},
            )
        if not _content_matches(upload, extension):
            raise ValidationError(
                _("Il contenuto del file non corrisponde alla sua estensione (.%(extension)s)."),
                code="file_content",
                params={"extension": extension},
            )
        if extension in ("pdf", "p7m"):
            upload.seek(0)
            data = upload.read()
            upload.seek(0)
            _check_document(data, extension)


def _check_document(data: bytes, extension: str) -> None:
    """A .p7m must be a real signed envelope; a PDF, bare or signed, must not run anything when opened."""
    if extension == "p7m":
        data = signed_payload(data)
        if data is None:
            raise ValidationError(
                _(
                    "Il file .p7m non è un documento firmato digitalmente valido (CAdES): "
                    "invia il file firmato completo, con il documento al suo interno."
                ),
                code="file_signature",
            )
        if not data.startswith(b"%PDF-"):
            return
    try:
        active = pdf_active_content(data)
    except UnreadablePdf:
        raise ValidationError(
            _("Il PDF è protetto o non è leggibile: invia una copia senza password né protezioni."),
            code="file_unreadable",
        ) from None
    if active:
        raise ValidationError(
            _(
                "Il PDF contiene contenuti attivi (JavaScript o azioni che avviano programmi) e non può "
                "essere accettato: salvalo di nuovo come PDF semplice, ad esempio con «Stampa in PDF», e riprova."
            ),
            code="file_active_content",
        )


def _content_matches(upload: UploadedFile, extension: str) -> bool:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    signatures = _MAGIC[extension]
    if signatures is None:
        return b"\x00" not in head
    return any(head.startswith(signature) for signature in signatures)


class DateLimitValidator:
    def __init__(self, limit: datetime.date, *, lower: bool):
        self.limit, self.lower = limit, lower

    def __call__(self, value: datetime.date) -> None:
        params = {"limit": self.limit.strftime("%d/%m/%Y")}
        if self.lower and value < self.limit:
            raise ValidationError(
                _("La data non può essere precedente al %(limit)s."), code="min_value", params=params
            )
        if not self.lower and value > self.limit:
            raise ValidationError(
                _("La data non può essere successiva al %(limit)s."), code="max_value", params=params
            )

    def __eq__(self, other):
        return isinstance(other, DateLimitValidator) and (self.limit, self.lower) == (
            other.limit,
            other.lower,
        )


# --- The form ----------------------------------------------------------------------------------------------


class DefinitionForm(forms.Form):
    """Base class of the built forms; the class attributes are set by ``build_form_class``."""

    definition: dict = {}
    language = "it"
    page_index: int | None = None
    page_count = 1
    page_title = ""
    page_title_lang = ""
    static_keys: tuple[str, ...] = ()

    def clean(self):
        cleaned_data = super().clean()
        for key in self.static_keys:
            cleaned_data.pop(key, None)
        return cleaned_data

    def input_fields(self) -> list[forms.BoundField]:
        """The bound fields that take input (static blocks left out)."""
        return [bound for bound in self if bound.name not in self.static_keys]


def build_form_class(definition: dict, *, language: str, page: int | None = None) -> type[DefinitionForm]:
    """A Form class with one field per definition field (only those of ``page`` when given, 0-based)."""
    validate_definition(definition)
    language = _language(language)
    pages = definition["pages"]
    if page is not None and not 0 <= page < len(pages):
        raise ValueError(f"Page {page} does not exist: the form has {len(pages)} page(s).")
    attrs: dict[str, Any] = {
        "definition": definition,
        "language": language,
        "page_index": page,
        "page_count": len(pages),
        "page_title": _text(pages[page].get("title"), language) if page is not None else "",
        "page_title_lang": fallback_lang(pages[page].get("title"), language) if page is not None else "",
    }
    static_keys = []
    for page_index, spec in iter_fields(definition):
        if page is not None and page_index != page:
            continue
        attrs[spec["key"]] = build_field(spec, language=language)
        if spec["type"] == "static":
            static_keys.append(spec["key"])
    attrs["static_keys"] = tuple(static_keys)
    return type("DefinitionForm", (DefinitionForm,), attrs)


def build_field(spec: dict, *, language: str) -> forms.Field:
    """The Django form field for one definition field. ``label_lang`` / ``help_lang`` are ``"it"`` when the
    text is the Italian fallback of a missing translation (templates write ``lang="it"`` on it)."""
    field = _build_field(spec, language=language)
    field.label_lang = fallback_lang(spec.get("label"), language)
    field.help_lang = fallback_lang(spec.get("help") or spec.get("content"), language)
    return field


def _build_field(spec: dict, *, language: str) -> forms.Field:
    kind = spec["type"]
    label = _text(spec.get("label"), language)
    if kind == "static":
        return StaticBlockField(content=_text(spec["content"], language), label=label)
    rules = spec.get("validation", {})
    common: dict[str, Any] = {
        "label": label,
        "help_text": escape(_text(spec.get("help"), language)),
        "required": bool(spec.get("required", False)),
    }
    messages = {"required": _REQUIRED}
    attrs: dict[str, str] = {}
    if spec.get("prefill"):
        attrs["autocomplete"] = AUTOCOMPLETE[spec["prefill"]]

    if kind in ("text", "textarea"):
        validators = []
        if "pattern" in rules:
            message = _text(rules.get("pattern_message"), language) or _(
                "Il valore non è nel formato richiesto."
            )
            validators.append(RegexValidator(rf"^(?:{rules['pattern']})\Z", message, code="pattern"))
        widget = (
            forms.Textarea(attrs={"rows": "4", **attrs}) if kind == "textarea" else forms.TextInput(attrs)
        )
        return forms.CharField(
            max_length=rules.get("max_length", DEFAULT_MAX_LENGTH[kind]),
            min_length=rules.get("min_length"),
            validators=validators,
            widget=widget,
            error_messages={
                **messages,
                "max_length": _("Il testo può contenere al massimo %(limit_value)d caratteri."),
                "min_length": _("Il testo deve contenere almeno %(limit_value)d caratteri."),
            },
            **common,
        )
    if kind == "email":
        return forms.EmailField(
            max_length=rules.get("max_length", DEFAULT_MAX_LENGTH["email"]),
            widget=forms.EmailInput(attrs={"inputmode": "email", **attrs}),
            error_messages={
                **messages,
                "invalid": _("Inserisci un indirizzo email valido."),
                "max_length": _("L'indirizzo può contenere al massimo %(limit_value)d caratteri."),
            },
            **common,
        )
    if kind == "phone":
        return PhoneField(
            max_length=30,
            validators=[validate_phone],
            widget=TelInput(attrs={"inputmode": "tel", **attrs}),
            error_messages={**messages, "max_length": _("Il numero di telefono è troppo lungo.")},
            **common,
        )
    if kind == "fiscal_code":
        return NormalizedCodeField(
            max_length=16,
            validators=[validate_fiscal_code],
            widget=forms.TextInput(
                attrs={"autocapitalize": "characters", "spellcheck": "false", "maxlength": "20", **attrs}
            ),
            error_messages={**messages, "max_length": _("Il codice fiscale è di 16 caratteri.")},
            **common,
        )
    if kind == "iban":
        return NormalizedCodeField(
            max_length=34,
            validators=[validate_iban],
            widget=forms.TextInput(
                attrs={"autocapitalize": "characters", "spellcheck": "false", "maxlength": "42", **attrs}
            ),
            error_messages={**messages, "max_length": _("L'IBAN è al massimo di 34 caratteri.")},
            **common,
        )
    if kind == "number":
        low, high = parse_decimal(rules.get("min")), parse_decimal(rules.get("max"))
        integer = bool(rules.get("integer"))
        widget_attrs = {"inputmode": "numeric" if integer else "decimal"}
        return NumberField(
            max_digits=NUMBER_MAX_DIGITS,
            decimal_places=0 if integer else None,
            min_value=low,
            max_value=high,
            widget=forms.TextInput(attrs=widget_attrs),
            error_messages={
                **messages,
                "invalid": _("Inserisci un numero."),
                "min_value": _("Il valore deve essere almeno %(limit_value)s."),
                "max_value": _("Il valore deve essere al massimo %(limit_value)s."),
                "max_digits": _("Il numero è troppo lungo."),
                "max_whole_digits": _("Il numero è troppo lungo."),
                "max_decimal_places": _("Inserisci un numero intero, senza decimali."),
            },
            **common,
        )
    if kind == "date":
        low, high = parse_iso_date(rules.get("min")), parse_iso_date(rules.get("max"))
        validators = []
        widget_attrs = {}
        if low:
            validators.append(DateLimitValidator(low, lower=True))
            widget_attrs["min"] = low.isoformat()
        if high:
            validators.append(DateLimitValidator(high, lower=False))
            widget_attrs["max"] = high.isoformat()
        return forms.DateField(
            input_formats=["%Y-%m-%d", "%d/%m/%Y"],
            validators=validators,
            widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", **widget_attrs}),
            error_messages={**messages, "invalid": _("Inserisci una data valida (gg/mm/aaaa).")},
            **common,
        )
    if kind in CHOICE_TYPES:
        choices = [(option["value"], _text(option["label"], language)) for option in spec["options"]]
        invalid = {"invalid_choice": _("La scelta «%(value)s» non è tra le opzioni disponibili.")}
        if kind == "multiselect":
            return forms.MultipleChoiceField(
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                error_messages={**messages, **invalid, "invalid_list": _("Seleziona una o più opzioni.")},
                **common,
            )
        if kind == "select":
            choices = [("", _("Seleziona un'opzione")), *choices]
            widget = forms.Select
        else:
            widget = forms.RadioSelect
        return forms.ChoiceField(
            choices=choices, widget=widget, error_messages={**messages, **invalid}, **common
        )
    if kind == "checkbox":
        checkbox = forms.BooleanField(
            error_messages={"required": _("Seleziona la casella per proseguire.")},
            **common,
        )
        checkbox.privacy_notice = bool(spec.get("privacy_notice"))  # includes/field.html links the notice
        return checkbox
    if kind == "file":
        settings = spec["file"]
        accept = ",".join(f".{extension}" for extension in settings["types"])
        return forms.FileField(
            max_length=200,
            validators=[FileValidator(settings["types"], settings["max_size_mb"])],
            widget=forms.ClearableFileInput(attrs={"accept": accept}),
            error_messages={
                **messages,
                "empty": _("Il file inviato è vuoto."),
                "invalid": _("Nessun file inviato: controlla il modulo."),
                "max_length": _("Il nome del file è troppo lungo (al massimo %(max)d caratteri)."),
            },
            **common,
        )
    if kind == "address":
        return AddressField(**common)
    raise ValueError(f"Unknown field type {kind!r}")  # unreachable after validate_definition


# --- Data in and out ---------------------------------------------------------------------------------------


def initial_values(definition: dict, identity: dict) -> dict:
    """Initial form values: the definition defaults, overridden by the identity attributes to prefill.

    ``identity`` may hold ``name``, ``family_name``, ``fiscal_code``, ``email``, ``phone``; blank ones are ignored.
    """
    values: dict[str, Any] = {}
    for _page, spec in iter_fields(definition):
        key, kind = spec["key"], spec["type"]
        if "default" in spec:
            default = spec["default"]
            if kind == "number":
                default = parse_decimal(default)
            elif kind == "date":
                default = parse_iso_date(default)
            elif kind in ("multiselect", "address"):
                default = type(default)(default)
            values[key] = default
        source = spec.get("prefill")
        prefilled = (identity or {}).get(source) if source else None
        if isinstance(prefilled, str) and prefilled.strip():
            prefilled = prefilled.strip()
            if source == "fiscal_code":  # SPID sends "TINIT-<codice fiscale>"
                prefilled = normalize_code(prefilled).removeprefix("TINIT-")
            values[key] = prefilled
    return values


def serialize(definition: dict, cleaned_data: dict) -> dict:
    """JSON-safe data: dates as ISO strings, numbers as int or Decimal strings, files as name and size."""
    data: dict[str, Any] = {}
    for _page, spec in iter_fields(definition):
        key, kind = spec["key"], spec["type"]
        if kind == "static" or key not in cleaned_data:
            continue
        data[key] = _serialize_value(kind, cleaned_data[key])
    return data


def _serialize_value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "number":
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() else str(number)
    if kind == "date":
        return value.isoformat()
    if kind == "checkbox":
        return bool(value)
    if kind == "multiselect":
        return [str(item) for item in value]
    if kind == "file":
        if not value:
            return None
        return {"name": os.path.basename(value.name or ""), "size": int(value.size)}
    if kind == "address":
        return {part: str(value.get(part, "")) for part in ADDRESS_PARTS}
    return str(value)


EMPTY_DISPLAY = "—"


def display_values(definition: dict, data: dict, language: str) -> list[tuple[str, str]]:
    """``(label, value)`` pairs for a summary of ``data`` (as returned by ``serialize``), in form order."""
    language = _language(language)
    rows = []
    with translation.override(language):
        for _page, spec in iter_fields(definition):
            key, kind = spec["key"], spec["type"]
            if kind == "static" or key not in data:
                continue
            rows.append((_text(spec["label"], language), _display_value(spec, data[key], language)))
    return rows


def _display_value(spec: dict, value: Any, language: str) -> str:
    kind = spec["type"]
    if kind == "checkbox":
        return str(_("Sì") if value else _("No"))
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY_DISPLAY
    if kind in CHOICE_TYPES:
        labels = {option["value"]: _text(option["label"], language) for option in spec["options"]}
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(item), str(item)) for item in values)
    if kind == "date":
        day = value if isinstance(value, datetime.date) else parse_iso_date(value)
        return day.strftime("%d/%m/%Y") if day else str(value)
    if kind == "number":
        text = str(value)
        return text.replace(".", ",") if language != "en" else text
    if kind == "file":
        if isinstance(value, dict):
            return f"{value.get('name', '')} ({filesizeformat(value.get('size', 0))})"
        return str(getattr(value, "name", value))
    if kind == "address":
        if isinstance(value, dict):
            parts = {part: str(value.get(part, "")) for part in ADDRESS_PARTS}
            return "{street}, {postcode} {town} ({province})".format(**parts)
        return str(value)
    return str(value)
