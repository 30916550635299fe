"""The form-definition format: its JSON Schema and the checks JSON Schema cannot express.

A definition is the JSON a ``FormVersion`` row stores::

    {"pages": [{"title": {"it": "..."}, "fields": [FIELD, ...]}, ...]}

``validate_definition`` first checks the structure against ``DEFINITION_SCHEMA``; only when the structure
is sound does it apply the semantic rules (unique keys, options, regexes, ranges, defaults, prefill), so the
semantic checks never have to guard against malformed input.
"""

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

KEY_PATTERN = r"^[a-z][a-z0-9_]{0,49}$"
KEY_MAX_LENGTH = 50

TEXT_TYPES = ("text", "textarea", "email", "phone", "fiscal_code", "iban")
CHOICE_TYPES = ("select", "radio", "multiselect")
FIELD_TYPES = (
    "text",
    "textarea",
    "email",
    "phone",
    "number",
    "date",
    "select",
    "radio",
    "checkbox",
    "multiselect",
    "file",
    "fiscal_code",
    "iban",
    "address",
    "static",
)
PREFILL_SOURCES = ("name", "family_name", "fiscal_code", "email", "phone")
# Which identity attributes may prefill which field type.
PREFILL_BY_TYPE = {
    "text": frozenset(PREFILL_SOURCES),
    "email": frozenset({"email"}),
    "phone": frozenset({"phone"}),
    "fiscal_code": frozenset({"fiscal_code"}),
}
FILE_TYPES = ("pdf", "jpg", "jpeg", "png", "p7m", "odt", "docx", "xml", "txt")
MAX_FILE_SIZE_MB = 100
ADDRESS_PARTS = ("street", "postcode", "town", "province")

# The "validation" keys that mean something for each type; any other key is refused.
VALIDATION_KEYS_BY_TYPE = {
    "text": frozenset({"min_length", "max_length", "pattern", "pattern_message"}),
    "textarea": frozenset({"min_length", "max_length"}),
    "email": frozenset({"max_length"}),
    "number": frozenset({"min", "max", "integer"}),
    "date": frozenset({"min", "max"}),
}

_TRANSLATABLE = {
    "type": "object",
    "properties": {"it": {"type": "string", "minLength": 1}},
    "required": ["it"],
    "propertyNames": {"pattern": "^[a-z]{2}$"},
    "additionalProperties": {"type": "string"},
}

_NUMBER_OR_DATE = {"type": ["number", "string"]}

_FIELD = {
    "type": "object",
    "properties": {
        "key": {"type": "string", "pattern": KEY_PATTERN},
        "type": {"enum": list(FIELD_TYPES)},
        "label": {"$ref": "#/$defs/translatable"},
        "help": {"$ref": "#/$defs/translatable"},
        "required": {"type": "boolean"},
        "validation": {
            "type": "object",
            "properties": {
                "min_length": {"type": "integer", "minimum": 0},
                "max_length": {"type": "integer", "minimum": 1},
                "pattern": {"type": "string", "minLength": 1},
                "pattern_message": {"$ref": "#/$defs/translatable"},
                "min": _NUMBER_OR_DATE,
                "max": _NUMBER_OR_DATE,
                "integer": {"type": "boolean"},  # a count of people, children...: no decimals
            },
            "additionalProperties": False,
        },
        "default": {},
        "prefill": {"enum": list(PREFILL_SOURCES)},
        "privacy_notice": {"type": "boolean"},  # a checkbox about the privacy notice links the notice
        "options": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "value": {"type": "string", "minLength": 1, "maxLength": 100},
                    "label": {"$ref": "#/$defs/translatable"},
                },
                "required": ["value", "label"],
                "additionalProperties": False,
            },
        },
        "file": {
            "type": "object",
            "properties": {
                "types": {
                    "type": "array",
                    "minItems": 1,
                    "uniqueItems": True,
                    "items": {"enum": list(FILE_TYPES)},
                },
                "max_size_mb": {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_FILE_SIZE_MB},
            },
            "required": ["types", "max_size_mb"],
            "additionalProperties": False,
        },
        "content": {"$ref": "#/$defs/translatable"},
    },
    "required": ["key", "type"],
    "additionalProperties": False,
    "allOf": [
        {
            "if": {"properties": {"type": {"const": "static"}}},
            "then": {"required": ["content"]},
            "else": {"required": ["label"]},
        },
        {"if": {"properties": {"type": {"enum": list(CHOICE_TYPES)}}}, "then": {"required": ["options"]}},
        {"if": {"properties": {"type": {"const": "file"}}}, "then": {"required": ["file"]}},
    ],
}

DEFINITION_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://sportello.example/schemas/form-definition.json",
    "title": "Sportello form definition",
    "type": "object",
    "properties": {
        "pages": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "title": {"$ref": "#/$defs/translatable"},
                    "fields": {"type": "array", "items": {"$ref": "#/$defs/field"}},
                },
                "required": ["fields"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["pages"],
    "additionalProperties": False,
    "$defs": {"translatable": _TRANSLATABLE, "field": _FIELD},
}

_VALIDATOR = Draft202012Validator(DEFINITION_SCHEMA)


class DefinitionError(ValueError):
    """The definition is invalid; ``messages`` lists every problem found, in Italian."""

    def __init__(self, messages: list[str]):
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


def empty_definition() -> dict:
    """A valid definition with one untitled page and no fields."""
    return {"pages": [{"fields": []}]}


def iter_fields(definition: dict) -> Iterator[tuple[int, dict]]:
    """Yield ``(page_index, field)`` for every field of the form, in order."""
    for page_index, page in enumerate(definition.get("pages", [])):
        for field in page.get("fields", []):
            yield page_index, field


def validate_definition(definition: Any) -> None:
    """Raise ``DefinitionError`` listing every problem of ``definition``; return None when it is valid."""
    messages = _schema_messages(definition)
    if not messages:
        messages = _semantic_messages(definition)
    if messages:
        raise DefinitionError(messages)


# --- Structural errors -------------------------------------------------------------------------------------

# Italian names of the properties, with a flag for plural nouns (for "manca"/"mancano").
_PROPERTY_NAMES = {
    "pages": ("le pagine", True),
    "fields": ("l'elenco dei campi", False),
    "title": ("il titolo", False),
    "key": ("la chiave", False),
    "type": ("il tipo", False),
    "label": ("l'etichetta", False),
    "help": ("il testo di aiuto", False),
    "options": ("le opzioni", True),
    "value": ("il valore", False),
    "file": ("le impostazioni del file", True),
    "types": ("i tipi di file ammessi", True),
    "max_size_mb": ("la dimensione massima", False),
    "content": ("il contenuto", False),
    "pattern_message": ("il messaggio per il formato", False),
}
_LANGUAGE_NAMES = {"it": "italiano", "en": "inglese", "de": "tedesco"}

_JSON_TYPE_NAMES = {
    "object": "un oggetto",
    "array": "un elenco",
    "string": "un testo",
    "integer": "un numero intero",
    "number": "un numero",
    "boolean": "vero o falso",
}

_REQUIRED_PROPERTY = re.compile(r"^'(?P<name>[^']+)' is a required property")


def _schema_messages(definition: Any) -> list[str]:
    errors = sorted(_VALIDATOR.iter_errors(definition), key=lambda e: [str(p) for p in e.absolute_path])
    messages = []
    for error in errors:
        message = _describe_error(error, definition)
        if message not in messages:
            messages.append(message)
    return messages


def _missing(prefix: str, path: list) -> str:
    """ "manca l'etichetta in italiano." for the property at the end of ``path``."""
    name = str(path[-1]) if path else ""
    if name in _LANGUAGE_NAMES and len(path) >= 2:
        phrase, plural = _PROPERTY_NAMES.get(str(path[-2]), (f"«{path[-2]}»", False))
        phrase = f"{phrase} in {_LANGUAGE_NAMES[name]}"
    else:
        phrase, plural = _PROPERTY_NAMES.get(name, (f"«{name}»", False))
    if plural:
        return prefix + _("mancano %(what)s.") % {"what": phrase}
    return prefix + _("manca %(what)s.") % {"what": phrase}


def _describe_error(error, definition: Any) -> str:
    path = list(error.absolute_path)
    where, rest = _location(path, definition)
    prefix = f"{where}: " if where else ""
    name = str(rest[-1]) if rest else ""
    validator = error.validator
    if not path and validator == "type":
        return _("La definizione deve essere un oggetto JSON.")
    if not path and validator == "required":
        return _("La definizione non contiene l'elenco delle pagine.")
    if path == ["pages"] and validator == "minItems":
        return _("Il modulo deve avere almeno una pagina.")
    if validator == "required":
        match = _REQUIRED_PROPERTY.match(error.message)
        return _missing(prefix, [*rest, match["name"] if match else "?"])
    if validator in ("minItems", "minLength"):
        return _missing(prefix, rest)
    if validator == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in error.instance if k not in allowed)
        return prefix + _("proprietà non prevista %(names)s.") % {"names": ", ".join(f"«{k}»" for k in extra)}
    if "propertyNames" in error.schema_path:
        return prefix + _("«%(name)s» contiene il codice lingua non valido «%(code)s».") % {
            "name": name,
            "code": error.instance,
        }
    if validator == "pattern" and name == "key":
        return prefix + _(
            "la chiave «%(key)s» non è valida: usare lettere minuscole, cifre e trattino basso, "
            "iniziando con una lettera (al massimo 50 caratteri)."
        ) % {"key": error.instance}
    if validator in ("enum", "const"):
        if name == "type":
            return prefix + _("il tipo «%(value)s» non è supportato.") % {"value": error.instance}
        if name == "prefill":
            return prefix + _("la precompilazione «%(value)s» non è supportata.") % {"value": error.instance}
        if len(rest) >= 2 and rest[-2] == "types":
            return prefix + _("il tipo di file «%(value)s» non è ammesso.") % {"value": error.instance}
        return prefix + _("valore non ammesso in «%(name)s».") % {"name": name}
    if validator == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        names = " o ".join(_JSON_TYPE_NAMES.get(t, t) for t in expected)
        return prefix + _("«%(name)s» deve essere %(type)s.") % {"name": name, "type": names}
    if validator == "maxLength":
        return prefix + _("«%(name)s» è troppo lungo (al massimo %(max)s caratteri).") % {
            "name": name,
            "max": error.validator_value,
        }
    if validator == "uniqueItems":
        return prefix + _("«%(name)s» contiene valori ripetuti.") % {"name": name}
    if name == "max_size_mb":
        return prefix + _("la dimensione massima deve essere maggiore di 0 e al massimo %(max)s MB.") % {
            "max": MAX_FILE_SIZE_MB
        }
    if validator in ("minimum", "exclusiveMinimum", "maximum"):
        return prefix + _("«%(name)s» è fuori dall'intervallo ammesso.") % {"name": name}
    return prefix + _("valore non valido in «%(name)s».") % {"name": name}


def _location(path: list, definition: Any) -> tuple[str, list]:
    """Split a JSON path into a human location ("Campo «x»", "Pagina 2") and the rest of the path."""
    if len(path) >= 2 and path[0] == "pages" and isinstance(path[1], int):
        page_number = path[1] + 1
        if len(path) >= 4 and path[2] == "fields" and isinstance(path[3], int):
            try:
                field = definition["pages"][path[1]]["fields"][path[3]]
            except (KeyError, IndexError, TypeError):
                field = None
            key = field.get("key") if isinstance(field, dict) else None
            if isinstance(key, str) and re.match(KEY_PATTERN, key):
                where = _("Campo «%(key)s»") % {"key": key}
            else:
                where = _("Pagina %(page)s, campo %(field)s") % {"page": page_number, "field": path[3] + 1}
            return where, path[4:]
        return _("Pagina %(page)s") % {"page": page_number}, path[2:]
    return "", path


# --- Semantic rules ----------------------------------------------------------------------------------------


def _semantic_messages(definition: dict) -> list[str]:
    messages: list[str] = []
    seen: set[str] = set()
    for _page_index, field in iter_fields(definition):
        key = field["key"]
        where = _("Campo «%(key)s»") % {"key": key}
        if key in seen:
            messages.append(_("%(where)s: la chiave è già usata da un altro campo.") % {"where": where})
        seen.add(key)
        messages.extend(f"{where}: {problem}" for problem in _field_problems(field))
    return messages


def _field_problems(field: dict) -> list[str]:
    kind = field["type"]
    problems: list[str] = []
    type_name = {"type": kind}

    if "options" in field and kind not in CHOICE_TYPES:
        problems.append(_("le opzioni non si applicano ai campi di tipo «%(type)s».") % type_name)
    if "file" in field and kind != "file":
        problems.append(_("le impostazioni del file si applicano solo ai campi di tipo «file».") % type_name)
    if field.get("privacy_notice") and kind != "checkbox":
        problems.append(_("il collegamento all'informativa privacy si applica solo alle caselle di spunta."))
    if "content" in field and kind != "static":
        problems.append(_("il contenuto si applica solo ai blocchi di testo (tipo «static»).") % type_name)
    if "prefill" in field and field["prefill"] not in PREFILL_BY_TYPE.get(kind, ()):
        problems.append(
            _("la precompilazione «%(prefill)s» non è ammessa per un campo di tipo «%(type)s».")
            % {"prefill": field["prefill"], "type": kind}
        )
    if kind == "static":
        for prop in ("default", "validation"):
            if prop in field:
                problems.append(_("un blocco di testo non può avere «%(prop)s».") % {"prop": prop})
    if kind == "file" and "default" in field:
        problems.append(_("un campo di tipo «file» non può avere un valore predefinito."))

    if kind in CHOICE_TYPES:
        values = [option["value"] for option in field["options"]]
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            problems.append(
                _("le opzioni hanno valori ripetuti: %(values)s.")
                % {"values": ", ".join(f"«{v}»" for v in duplicates)}
            )

    problems.extend(_validation_problems(field))
    if "default" in field and kind not in ("static", "file"):
        problem = _default_problem(field)
        if problem:
            problems.append(problem)
    return problems


def _validation_problems(field: dict) -> list[str]:
    kind = field["type"]
    rules = field.get("validation", {})
    allowed = VALIDATION_KEYS_BY_TYPE.get(kind, frozenset())
    problems = [
        _("la regola «%(rule)s» non si applica ai campi di tipo «%(type)s».") % {"rule": rule, "type": kind}
        for rule in rules
        if rule not in allowed
    ]
    if problems:
        return problems

    if "min_length" in rules and "max_length" in rules and rules["min_length"] > rules["max_length"]:
        problems.append(_("la lunghezza minima supera la lunghezza massima."))
    if "pattern_message" in rules and "pattern" not in rules:
        problems.append(_("il messaggio per il formato richiede un'espressione regolare («pattern»)."))
    if "pattern" in rules:
        try:
            re.compile(rules["pattern"])
        except re.error as exc:
            problems.append(_("l'espressione regolare non è valida (%(error)s).") % {"error": exc})

    if kind == "number":
        bounds = {}
        for rule in ("min", "max"):
            if rule in rules:
                value = rules[rule]
                if isinstance(value, bool) or not isinstance(value, int | float):
                    problems.append(_("«%(rule)s» deve essere un numero.") % {"rule": rule})
                else:
                    bounds[rule] = Decimal(str(value))
        if len(bounds) == 2 and bounds["min"] > bounds["max"]:
            problems.append(_("il valore minimo supera il valore massimo."))
        if rules.get("integer") and "default" in field:
            number = parse_decimal(field["default"])
            if number is not None and number != number.to_integral_value():
                problems.append(_("il valore predefinito deve essere un numero intero."))
    if kind == "date":
        bounds = {}
        for rule in ("min", "max"):
            if rule in rules:
                parsed = parse_iso_date(rules[rule])
                if parsed is None:
                    problems.append(
                        _("«%(rule)s» deve essere una data nel formato AAAA-MM-GG.") % {"rule": rule}
                    )
                else:
                    bounds[rule] = parsed
        if len(bounds) == 2 and bounds["min"] > bounds["max"]:
            problems.append(_("la data minima è successiva alla data massima."))
    return problems


def _default_problem(field: dict) -> str | None:
    kind = field["type"]
    default = field["default"]
    rules = field.get("validation", {})
    wrong_type = _("il valore predefinito non è del tipo giusto.")
    if kind in TEXT_TYPES:
        if not isinstance(default, str):
            return wrong_type
        if "max_length" in rules and len(default) > rules["max_length"]:
            return _("il valore predefinito supera la lunghezza massima.")
    elif kind == "number":
        number = parse_decimal(default)
        if number is None:
            return wrong_type
        if ("min" in rules and number < Decimal(str(rules["min"]))) or (
            "max" in rules and number > Decimal(str(rules["max"]))
        ):
            return _("il valore predefinito è fuori dall'intervallo ammesso.")
    elif kind == "date":
        day = parse_iso_date(default)
        if day is None:
            return _("il valore predefinito deve essere una data nel formato AAAA-MM-GG.")
        low, high = parse_iso_date(rules.get("min")), parse_iso_date(rules.get("max"))
        if (low and day < low) or (high and day > high):
            return _("il valore predefinito è fuori dall'intervallo ammesso.")
    elif kind == "checkbox":
        if not isinstance(default, bool):
            return wrong_type
    elif kind in ("select", "radio"):
        values = {option["value"] for option in field["options"]}
        if not isinstance(default, str):
            return wrong_type
        if default not in values:
            return _("il valore predefinito «%(value)s» non è tra le opzioni.") % {"value": default}
    elif kind == "multiselect":
        values = {option["value"] for option in field["options"]}
        if not isinstance(default, list) or not all(isinstance(v, str) for v in default):
            return wrong_type
        missing = [v for v in default if v not in values]
        if missing:
            return _("il valore predefinito «%(value)s» non è tra le opzioni.") % {"value": missing[0]}
    elif kind == "address" and (
        not isinstance(default, dict)
        or set(default) - set(ADDRESS_PARTS)
        or not all(isinstance(v, str) for v in default.values())
    ):
        return wrong_type
    return None


def parse_iso_date(value: Any) -> datetime.date | None:
    """The date of an ISO ``YYYY-MM-DD`` string, or None."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def parse_decimal(value: Any) -> Decimal | None:
    """A finite Decimal from a JSON number or a numeric string, or None (booleans are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
