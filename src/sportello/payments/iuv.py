"""pagoPA's notice QR payload and money, pure (no ORM): cents, budget-line splits.

The identifiers (IUV, notice number, check digits, fiscal codes, IBAN) are in ``core.identifiers``. Amounts are
integer euro cents everywhere; text is parsed with ``Decimal``.
"""

import re
from decimal import Decimal, InvalidOperation

from sportello.core.identifiers import notice_number_is_valid

MAX_TRANSFERS = 5  # GPD: 1 to 5 transfers per payment option

_EURO = re.compile(r"^\d{1,9}([.,]\d{1,2})?$")


class SplitError(ValueError):
    """Budget lines that do not make a valid split of the total (message in Italian for the form)."""


def qr_payload(number: str, creditor_fiscal_code: str, cents: int) -> str:
    """The notice's QR code text: ``PAGOPA|002|<notice 18>|<creditor fiscal code 11>|<cents>``."""
    if not notice_number_is_valid(number):
        raise ValueError(f"invalid notice number {number!r}")
    if not re.match(r"^\d{11}$", creditor_fiscal_code or ""):
        raise ValueError("the creditor fiscal code has 11 digits")
    if not isinstance(cents, int) or isinstance(cents, bool) or cents <= 0:
        raise ValueError("the amount is a positive number of cents")
    return f"PAGOPA|002|{number}|{creditor_fiscal_code}|{cents}"


# --- money ---


def parse_euro(text: str) -> int:
    """``"22,21"``, ``"22.21"``, ``"5"`` -> cents. At most two decimals; never through a float."""
    text = (text or "").strip().replace("€", "").strip()
    if not _EURO.match(text):
        raise ValueError(f"not an amount in euro: {text!r}")
    return int(Decimal(text.replace(",", ".")) * 100)


def format_euro(cents: int) -> str:
    """Italian format for people: ``2221`` -> ``"22,21"``, ``123456`` -> ``"1.234,56"``."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros:,}".replace(",", ".") + f",{rest:02d}"


def format_decimal(cents: int) -> str:
    """Machine format (FdR ``singoloImportoPagato``, exports): ``2221`` -> ``"22.21"``."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros}.{rest:02d}"


def parse_decimal(text: str) -> int:
    """FdR amounts (``\\d+\\.\\d{2}``) -> cents; refuses anything with more precision."""
    try:
        cents = Decimal(text) * 100
    except (InvalidOperation, TypeError) as error:
        raise ValueError(f"not an amount: {text!r}") from error
    if not cents.is_finite() or cents != cents.to_integral_value():
        raise ValueError(f"not an amount in cents: {text!r}")
    return int(cents)


def check_split(total: int, amounts: list[int]) -> None:
    """Raise ``SplitError`` unless 1-5 positive line amounts add up exactly to ``total`` (all in cents)."""
    if not 1 <= len(amounts) <= MAX_TRANSFERS:
        raise SplitError(f"Servono da 1 a {MAX_TRANSFERS} voci di bilancio (ora sono {len(amounts)}).")
    if any(not isinstance(a, int) or isinstance(a, bool) or a <= 0 for a in amounts):
        raise SplitError("Ogni voce di bilancio deve avere un importo maggiore di zero.")
    if sum(amounts) != total:
        raise SplitError(
            f"La somma delle voci di bilancio ({format_euro(sum(amounts))} €) non è uguale al totale "
            f"({format_euro(total)} €): differenza {format_euro(total - sum(amounts))} €."
        )


def resolve_amounts(default: list[int], rules: list[dict], answers: dict) -> list[int]:
    """The line amounts for one application: the first rule whose answer matches, else ``default``.

    A rule is ``{"field": "motivo", "equals": "duplicato", "amounts": [1679, 1032, 26]}``: one amount per budget
    line, in order (a line may be 0 to drop it for that case). Answers are compared as text, lists by membership.
    """
    for rule in rules:
        answer = answers.get(rule["field"])
        wanted = str(rule["equals"])
        matches = wanted in [str(a) for a in answer] if isinstance(answer, list) else str(answer) == wanted
        if matches:
            amounts = list(rule["amounts"])
            if len(amounts) != len(default):
                raise SplitError("La regola deve indicare un importo per ogni voce di bilancio.")
            return amounts
    return list(default)
