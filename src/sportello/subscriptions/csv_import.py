"""Pure validation of a subscribers' CSV (no ORM): every line checked, every error reported with its line.

Columns (header row, ``;`` or ``,``): ``codice_fiscale``, ``cognome``, ``nome`` (the subscriber, often a
minor), ``cf_richiedente``, ``nome_richiedente`` (the parent who pays), optional ``email_richiedente``,
``condivisa_con`` (fiscal codes separated by spaces), ``isee`` (euros) and one ``importo_<item code>`` column
per plan item whose amount the office sets (euros, e.g. ``120,50``).
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from sportello.core.identifiers import normalize_code, personal_fiscal_code_is_valid

REQUIRED = ("codice_fiscale", "cognome", "nome", "cf_richiedente", "nome_richiedente")
OPTIONAL = ("email_richiedente", "condivisa_con", "isee")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
_EUROS = re.compile(r"^(\d{1,7})(?:[.,](\d{1,2}))?$")


@dataclass
class Row:
    line: int
    subscriber_fiscal_code: str
    last_name: str
    first_name: str
    holder_fiscal_code: str
    holder_name: str
    holder_email: str = ""
    sharers: list[str] = field(default_factory=list)
    isee_cents: int | None = None
    amounts: dict[str, int] = field(default_factory=dict)


@dataclass
class Report:
    rows: list[Row]
    errors: list[tuple[int, str]]  # (line number, message); line 1 is the header

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_euros(value: str) -> int:
    """``"120"``, ``"120,5"``, ``"120.50"`` -> cents; ``ValueError`` otherwise."""
    match = _EUROS.match(value.strip())
    if not match:
        raise ValueError(value)
    return int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ValidationError(_("Il file è troppo grande (al massimo 2 MB)."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("Il file non è in UTF-8: salvalo come «CSV UTF-8».")) from None


def validate(data: bytes, *, item_codes) -> Report:
    """Check the whole file; ``Report.errors`` lists every problem by line (a file-level problem raises)."""
    text = _decode(data)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ValidationError(_("Il file è vuoto.")) from None
    amount_columns = {f"importo_{code}": code for code in item_codes}
    errors: list[tuple[int, str]] = []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        errors.append((1, _("Mancano le colonne: %(columns)s.") % {"columns": ", ".join(missing)}))
    unknown = [c for c in header if c and c not in (*REQUIRED, *OPTIONAL, *amount_columns)]
    if unknown:
        errors.append((1, _("Colonne sconosciute: %(columns)s.") % {"columns": ", ".join(unknown)}))
    if errors:
        return Report([], errors)
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            errors.append((line, _("Troppe righe: al massimo %(max)s.") % {"max": MAX_ROWS}))
            break
        if len(values) != len(header):
            errors.append(
                (
                    line,
                    _("La riga ha %(got)s campi invece di %(want)s.")
                    % {"got": len(values), "want": len(header)},
                )
            )
            continue
        record = {h: v.strip() for h, v in zip(header, values, strict=True)}
        problems = []
        subscriber = normalize_code(record["codice_fiscale"])
        holder = normalize_code(record["cf_richiedente"])
        if not personal_fiscal_code_is_valid(subscriber) or len(subscriber) != 16:
            problems.append(_("codice fiscale dell'iscritto non valido («%(code)s»)") % {"code": subscriber})
        elif subscriber in seen:
            problems.append(_("iscritto già presente alla riga %(line)s") % {"line": seen[subscriber]})
        if not personal_fiscal_code_is_valid(holder) or len(holder) != 16:
            problems.append(_("codice fiscale del richiedente non valido («%(code)s»)") % {"code": holder})
        for name, label in (
            ("cognome", _("cognome")),
            ("nome", _("nome")),
            ("nome_richiedente", _("nome del richiedente")),
        ):
            if not record[name]:
                problems.append(_("manca %(field)s") % {"field": label})
        email = record.get("email_richiedente", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("e-mail del richiedente non valida"))
        sharers = [normalize_code(c) for c in record.get("condivisa_con", "").split()]
        for code in sharers:
            if not personal_fiscal_code_is_valid(code) or len(code) != 16:
                problems.append(_("codice fiscale di condivisione non valido («%(code)s»)") % {"code": code})
        isee_cents = None
        if record.get("isee"):
            try:
                isee_cents = parse_euros(record["isee"])
            except ValueError:
                problems.append(_("ISEE non valido («%(value)s»)") % {"value": record["isee"]})
        amounts = {}
        for column, code in amount_columns.items():
            if record.get(column):
                try:
                    amounts[code] = parse_euros(record[column])
                except ValueError:
                    problems.append(
                        _("importo non valido in %(column)s («%(value)s»)")
                        % {"column": column, "value": record[column]}
                    )
        if problems:
            errors.append((line, "; ".join(problems)))
            continue
        seen[subscriber] = line
        rows.append(
            Row(
                line=line,
                subscriber_fiscal_code=subscriber,
                last_name=record["cognome"],
                first_name=record["nome"],
                holder_fiscal_code=holder,
                holder_name=record["nome_richiedente"],
                holder_email=email,
                sharers=[c for c in dict.fromkeys(sharers) if c not in (holder, subscriber)],
                isee_cents=isee_cents,
                amounts=amounts,
            )
        )
    if not rows and not errors:
        errors.append((1, _("Il file non contiene iscritti.")))
    return Report(rows, errors)
