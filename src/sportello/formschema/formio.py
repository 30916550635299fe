"""Import of form.io JSON exports (the format of "Stanza del Cittadino") into a Sportello definition.

The import is best-effort: whatever cannot be mapped is left out and described, in Italian, in the report.
The returned definition always passes ``validate_definition``.

Choices worth knowing:
- In a wizard each top-level ``panel`` is a page; top-level non-panel components go to an untitled page.
  In a plain form every layout component (panel, fieldset, columns, well, container, table) is flattened.
- A ``textfield`` whose key names a fiscal code (``fiscal_code``, ``codice_fiscale``, ``cf``) becomes a
  ``fiscal_code`` field; common identity keys (nome, cognome, email, ...) get a prefill. Both are reported.
- A ``textfield`` with custom ``properties`` (Stanza del Cittadino uses them to link profile data) is imported
  as text; the properties are dropped and reported.
- Conditional visibility, calculated values and custom JavaScript validation are never imported (reported).
"""

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from .schema import (
    FILE_TYPES,
    KEY_MAX_LENGTH,
    MAX_FILE_SIZE_MB,
    DefinitionError,
    parse_decimal,
    validate_definition,
)

LAYOUT_TYPES = frozenset({"panel", "fieldset", "columns", "well", "container", "table", "tabs"})
SIMPLE_TYPES = {
    "textfield": "text",
    "textarea": "textarea",
    "email": "email",
    "phoneNumber": "phone",
    "number": "number",
    "currency": "number",
    "datetime": "date",
    "day": "date",
    "date": "date",
    "checkbox": "checkbox",
    "address": "address",
    "file": "file",
    "sdcfile": "file",
}
STATIC_TYPES = frozenset({"content", "htmlelement"})
DEFAULT_FILE_TYPES = ["pdf", "jpg", "jpeg", "png", "p7m"]
DEFAULT_FILE_SIZE_MB = 10
_MIME_TYPES = {
    "application/pdf": ["pdf"],
    "image/jpeg": ["jpg", "jpeg"],
    "image/jpg": ["jpg", "jpeg"],
    "image/png": ["png"],
    "image/*": ["jpg", "jpeg", "png"],
    "application/pkcs7-mime": ["p7m"],
    "application/pkcs7": ["p7m"],
    "application/vnd.oasis.opendocument.text": ["odt"],
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ["docx"],
    "application/xml": ["xml"],
    "text/xml": ["xml"],
    "text/plain": ["txt"],
}
_SIZE = re.compile(r"^\s*(?P<number>\d+(?:[.,]\d+)?)\s*(?P<unit>[KMG]?B)?\s*$", re.IGNORECASE)
_UNIT_IN_MB = {
    "B": Decimal(1) / (1024 * 1024),
    "KB": Decimal(1) / 1024,
    "MB": Decimal(1),
    "GB": Decimal(1024),
}
# Identity keys (after sanitising) -> (Sportello type, prefill source).
_IDENTITY_KEYS = {
    "nome": ("text", "name"),
    "name": ("text", "name"),
    "given_name": ("text", "name"),
    "cognome": ("text", "family_name"),
    "surname": ("text", "family_name"),
    "family_name": ("text", "family_name"),
    "fiscal_code": ("fiscal_code", "fiscal_code"),
    "codice_fiscale": ("fiscal_code", "fiscal_code"),
    "cf": ("fiscal_code", "fiscal_code"),
}


@dataclass
class ImportResult:
    definition: dict
    report: list[str] = field(default_factory=list)


def import_formio(data: dict) -> ImportResult:
    """Convert a form.io export (``{"display": "form"|"wizard", "components": [...]}``)."""
    return _Importer().run(data)


def sanitize_key(raw: Any) -> str:
    """A key matching the definition key regex: lower case, invalid characters as ``_``, a leading letter."""
    key = re.sub(r"[^a-z0-9_]", "_", str(raw or "").strip().lower())
    key = re.sub(r"_+", "_", key).strip("_")
    if not key or not key[0].isalpha():
        key = f"campo_{key}".rstrip("_")
    return key[:KEY_MAX_LENGTH].rstrip("_")


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: block ends become line breaks, tags go, entities are decoded."""
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", "", markup or "")
    markup = re.sub(r"(?i)<br\s*/?>", "\n", markup)
    markup = re.sub(r"(?i)</(p|div|h[1-6]|li|tr|ul|ol)\s*>", "\n\n", markup)
    markup = re.sub(r"(?i)<li\b[^>]*>", "- ", markup)
    text = html.unescape(strip_tags(markup)).replace("\u00a0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class _Importer:
    def __init__(self):
        self.report: list[str] = []
        self.keys: set[str] = set()

    def run(self, data: dict) -> ImportResult:
        if not isinstance(data, dict) or not isinstance(data.get("components", []), list):
            self.report.append(_("Il file non è un modulo form.io: manca l'elenco dei componenti."))
            return ImportResult({"pages": [{"fields": []}]}, self.report)
        components = [c for c in data.get("components", []) if isinstance(c, dict)]
        pages: list[dict] = []
        if data.get("display") == "wizard":
            loose: list[dict] = []
            for component in components:
                if component.get("type") == "panel":
                    title = str(component.get("title") or component.get("label") or "").strip()
                    page: dict[str, Any] = {"title": {"it": title}} if title else {}
                    page["fields"] = self.fields_of(component.get("components", []))
                    pages.append(page)
                else:
                    loose.extend(self.fields_of([component]))
            if loose:
                pages.append({"fields": loose})
        else:
            pages.append({"fields": self.fields_of(components)})
        definition = {"pages": pages or [{"fields": []}]}
        validate_definition(definition)  # guaranteed by the per-field checks; fail loudly if not
        return ImportResult(definition, self.report)

    # -- traversal

    def fields_of(self, components: list) -> list[dict]:
        fields: list[dict] = []
        for component in components or []:
            if not isinstance(component, dict):
                continue
            kind = component.get("type")
            if kind in LAYOUT_TYPES:
                fields.extend(self.fields_of(list(_children(component))))
                continue
            if kind == "button" or component.get("key") == "submit":
                continue
            if kind in STATIC_TYPES:
                static = self.static(component)
                if static:
                    fields.append(static)
                continue
            if component.get("input") is False:
                continue
            converted = self.convert(component)
            if converted:
                fields.append(converted)
        return fields

    # -- components

    def name(self, component: dict) -> str:
        return str(component.get("label") or component.get("key") or component.get("type") or "?").strip()

    def skip(self, component: dict, reason: str) -> None:
        self.report.append(
            _("Componente «%(name)s» (tipo %(type)s) non importato: %(reason)s")
            % {"name": self.name(component), "type": component.get("type"), "reason": reason}
        )

    def note(self, component: dict, message: str) -> None:
        self.report.append(
            _("Componente «%(name)s»: %(message)s") % {"name": self.name(component), "message": message}
        )

    def new_key(self, raw: Any, fallback: str) -> str:
        base = sanitize_key(raw or fallback)
        key, counter = base, 2
        while key in self.keys:
            suffix = f"_{counter}"
            key = base[: KEY_MAX_LENGTH - len(suffix)] + suffix
            counter += 1
        self.keys.add(key)
        return key

    def static(self, component: dict) -> dict | None:
        markup = component.get("html") if component.get("type") == "content" else component.get("content")
        text = html_to_text(str(markup or ""))
        if not text:
            return None
        return {"key": self.new_key(component.get("key"), "testo"), "type": "static", "content": {"it": text}}

    def convert(self, component: dict) -> dict | None:
        kind = component.get("type")
        if kind in ("select", "radio", "selectboxes"):
            target, options = self.choices(component)
            if options is None:
                return None
        elif kind in SIMPLE_TYPES:
            target, options = SIMPLE_TYPES[kind], None
        else:
            self.skip(component, _("tipo non supportato."))
            return None

        label = str(component.get("label") or "").strip()
        raw_key = component.get("key") or label
        key = self.new_key(raw_key, "campo")
        spec: dict[str, Any] = {"key": key, "type": target, "label": {"it": label or key}}
        help_text = str(component.get("description") or component.get("tooltip") or "").strip()
        if help_text:
            spec["help"] = {"it": html_to_text(help_text) or help_text}
        validate = component.get("validate") if isinstance(component.get("validate"), dict) else {}
        if validate.get("required"):
            spec["required"] = True
        if options is not None:
            spec["options"] = options

        # Stanza del Cittadino nests identity data under dotted keys such as "applicant.data.name".
        identity_key = sanitize_key(str(raw_key).split(".")[-1])
        if target == "text" and identity_key in _IDENTITY_KEYS:
            spec["type"], spec["prefill"] = _IDENTITY_KEYS[identity_key]
            if spec["type"] == "fiscal_code":
                self.note(component, _("importato come codice fiscale."))
        elif target == "email" and identity_key in ("email", "e_mail", "mail"):
            spec["prefill"] = "email"
        elif target == "phone" and identity_key in ("phone", "telefono", "cellulare", "mobile"):
            spec["prefill"] = "phone"

        rules = self.rules(component, spec["type"], validate)
        if rules:
            spec["validation"] = rules
        if spec["type"] == "file":
            spec["file"] = self.file_settings(component)
        if spec["type"] == "date" and (kind == "datetime" and component.get("enableTime", True)):
            self.note(component, _("l'ora non viene importata, resta solo la data."))
        default = self.default(component, spec)
        if default is not None:
            spec["default"] = default

        if isinstance(component.get("properties"), dict) and component["properties"]:
            self.note(
                component,
                _("le proprietà personalizzate (%(names)s) non sono state importate.")
                % {"names": ", ".join(sorted(map(str, component["properties"])))},
            )
        conditional = component.get("conditional") if isinstance(component.get("conditional"), dict) else {}
        if conditional.get("when") or component.get("customConditional"):
            self.note(component, _("le condizioni di visibilità non sono state importate."))
        if component.get("calculateValue") or validate.get("custom"):
            self.note(component, _("i calcoli e le validazioni personalizzate non sono stati importati."))
        return self.ensure_valid(component, spec)

    def choices(self, component: dict) -> tuple[str, list | None]:
        kind = component.get("type")
        if kind == "select":
            target = "multiselect" if component.get("multiple") else "select"
            source = component.get("dataSrc", "values")
            values = (component.get("data") or {}).get("values") if source == "values" else None
            if values is None:
                self.skip(
                    component,
                    _("le opzioni provengono da una fonte esterna (%(source)s).") % {"source": source},
                )
                return target, None
        else:
            target = "radio" if kind == "radio" else "multiselect"
            values = component.get("values")
        options, seen = [], set()
        for item in values or []:
            if not isinstance(item, dict):
                continue
            value = str(item.get("value", "")).strip()[:100]
            if not value or value in seen:
                if value:
                    self.note(
                        component, _("l'opzione ripetuta «%(value)s» è stata ignorata.") % {"value": value}
                    )
                continue
            seen.add(value)
            options.append(
                {"value": value, "label": {"it": str(item.get("label") or value).strip() or value}}
            )
        if not options:
            self.skip(component, _("nessuna opzione definita."))
            return target, None
        return target, options

    def rules(self, component: dict, target: str, validate: dict) -> dict:
        rules: dict[str, Any] = {}
        if target in ("text", "textarea", "email"):
            for source, rule in (("minLength", "min_length"), ("maxLength", "max_length")):
                number = _positive_int(validate.get(source))
                if number is not None and (rule != "min_length" or target != "email"):
                    rules[rule] = number
            pattern = validate.get("pattern")
            if pattern and target == "text":
                try:
                    re.compile(pattern)
                except re.error:
                    self.note(component, _("l'espressione regolare non è valida ed è stata ignorata."))
                else:
                    rules["pattern"] = pattern
                    message = str(validate.get("customMessage") or "").strip()
                    if message:
                        rules["pattern_message"] = {"it": message}
            elif pattern:
                self.note(
                    component, _("l'espressione regolare non si applica a questo tipo ed è stata ignorata.")
                )
        if target == "number":
            for rule in ("min", "max"):
                number = parse_decimal(validate.get(rule))
                if number is not None:
                    rules[rule] = int(number) if number == number.to_integral_value() else float(number)
        if target == "date":
            date_rules = component.get("datePicker") or {}
            for source, rule in (("minDate", "min"), ("maxDate", "max")):
                value = str(date_rules.get(source) or "")[:10]
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                    rules[rule] = value
        return rules

    def file_settings(self, component: dict) -> dict:
        types: list[str] = []
        unknown: list[str] = []
        for item in str(component.get("filePattern") or "").split(","):
            item = item.strip().lower()
            if not item or item == "*":
                continue
            mapped = [item.lstrip(".")] if item.lstrip(".") in FILE_TYPES else _MIME_TYPES.get(item)
            if mapped:
                types.extend(t for t in mapped if t not in types)
            else:
                unknown.append(item)
        if unknown:
            self.note(
                component,
                _("i tipi di file %(types)s non sono ammessi e sono stati ignorati.")
                % {"types": ", ".join(unknown)},
            )
        if not types:
            types = list(DEFAULT_FILE_TYPES)
        size = _size_in_mb(component.get("fileMaxSize"))
        if size is None:
            size = DEFAULT_FILE_SIZE_MB
        if size > MAX_FILE_SIZE_MB:
            self.note(component, _("dimensione massima ridotta a %(max)s MB.") % {"max": MAX_FILE_SIZE_MB})
            size = MAX_FILE_SIZE_MB
        if component.get("multiple"):
            self.note(component, _("è ammesso un solo file invece di più file."))
        return {"types": types, "max_size_mb": size}

    def default(self, component: dict, spec: dict) -> Any:
        value = component.get("defaultValue")
        if value in (None, "", [], {}):
            return None
        kind = spec["type"]
        if kind == "checkbox":
            return value if isinstance(value, bool) else None
        if kind == "multiselect":
            if isinstance(value, dict):  # selectboxes: {"a": true, "b": false}
                chosen = [str(k) for k, v in value.items() if v]
                return chosen or None
            return [str(v) for v in value] if isinstance(value, list) else None
        if kind == "number":
            number = parse_decimal(value)
            if number is None:
                return None
            return int(number) if number == number.to_integral_value() else float(number)
        if kind == "date":
            return str(value)[:10]
        if kind in ("text", "textarea", "email", "phone", "fiscal_code", "select", "radio"):
            return str(value)
        return None

    def ensure_valid(self, component: dict, spec: dict) -> dict | None:
        """Drop what makes the field invalid (default, then rules); skip the field if nothing helps."""
        candidates = [spec]
        if "default" in spec:
            candidates.append({k: v for k, v in spec.items() if k != "default"})
        candidates.append({k: v for k, v in candidates[-1].items() if k != "validation"})
        for position, candidate in enumerate(candidates):
            try:
                validate_definition({"pages": [{"fields": [candidate]}]})
            except DefinitionError:
                continue
            if position:
                dropped = [
                    name for name in ("default", "validation") if name in spec and name not in candidate
                ]
                self.note(
                    component,
                    _("ignorati i valori non validi (%(names)s).") % {"names": ", ".join(dropped)},
                )
            return candidate
        self.skip(component, _("la definizione risultante non è valida."))
        self.keys.discard(spec["key"])
        return None


def _children(component: dict):
    kind = component.get("type")
    if kind == "columns":
        for column in component.get("columns") or []:
            yield from (column or {}).get("components") or []
    elif kind == "table":
        for row in component.get("rows") or []:
            for cell in row or []:
                yield from (cell or {}).get("components") or []
    elif kind == "tabs":
        for tab in component.get("components") or []:
            yield from (tab or {}).get("components") or []
    else:
        yield from component.get("components") or []


def _positive_int(value: Any) -> int | None:
    number = parse_decimal(value)
    if number is None or number != number.to_integral_value() or number < 0:
        return None
    return int(number)


def _size_in_mb(value: Any) -> float | int | None:
    match = _SIZE.match(str(value or ""))
    if not match:
        return None
    number = Decimal(match["number"].replace(",", ".")) * _UNIT_IN_MB[(match["unit"] or "B").upper()]
    if number <= 0:
        return None
    number = number.quantize(Decimal("0.001")) if number < 1 else number
    if number <= 0:
        return None
    return int(number) if number == number.to_integral_value() else float(number)
