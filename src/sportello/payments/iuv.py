"""pagoPA identifiers and money, pure (no ORM): IUV, notice number, QR payload, cents, budget-line splits.

Fiscal codes and IBANs are checked by ``municipalities.validators`` and ``formschema.validators``; this module
adds only what pagoPA defines. Amounts are integer euro cents everywhere; text is parsed with ``Decimal``.
"""

import re
from decimal import Decimal, InvalidOperation

AUX_DIGIT = "3"  # the only auxiliary digit current pagoPA rules allow
MAX_TRANSFERS = 5  # GPD: 1 to 5 transfers per payment option

_SEGREGATION = re.compile(r"^\d{2}$")
_BASE = re.compile(r"^\d{13}$")
_NOTICE = re.compile(r"^\d{18}$")
_EURO = re.compile(r"^\d{1,9}([.,]\d{1,2})?$")


class SplitError(ValueError):
    """Budget lines that do not make a valid split of the total (message in Italian for the form)."""


def segregation_code_is_valid(code: str) -> bool:
    """00-45 are assigned by pagoPA to creditor bodies (99 belongs to the Ministry of the Interior)."""
    return isinstance(code, str) and bool(_SEGREGATION.match(code)) and int(code) <= 45


def check_digits(segregation_code: str, base: str) -> str:
    """The two mod-93 check digits of an aux-3 IUV: ``int("3" + segregation + base) % 93``."""
    if not segregation_code_is_valid(segregation_code):
        raise ValueError(f"segregation code must be 00-45, not {segregation_code!r}")
    if not isinstance(base, str) or not _BASE.match(base):
        raise ValueError(f"IUV base must be 13 digits, not {base!r}")
    return f"{int(AUX_DIGIT + segregation_code + base) % 93:02d}"


def iuv(segregation_code: str, base: str) -> str:
    """The 17-digit IUV: segregation code, 13-digit base, check digits."""
    return segregation_code + base + check_digits(segregation_code, base)


def notice_number(segregation_code: str, base: str) -> str:
    """The 18-digit notice number (NAV): aux digit 3 followed by the IUV."""
    return AUX_DIGIT + iuv(segregation_code, base)


def iuv_base(year: int, sequence: int) -> str:
    """Year and a 9-digit zero-padded sequence: 13 digits, never repeated for one creditor."""
    if not 1000 <= year <= 9999 or not 1 <= sequence <= 999_999_999:
        raise ValueError("year must have 4 digits and the sequence 1-999999999")
    return f"{year:04d}{sequence:09d}"


def notice_number_is_valid(number: str) -> bool:
    """True for an aux-3 notice number with a valid segregation code and matching check digits."""
    if not isinstance(number, str) or not _NOTICE.match(number) or number[0] != AUX_DIGIT:
        return False
    segregation, base, check = number[1:3], number[3:16], number[16:]
    return segregation_code_is_valid(segregation) and check_digits(segregation, base) == check


def notice_number_grouped(number: str) -> str:
    """As printed on notices: groups of four digits (``3012 0260 0000 0001 23``)."""
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


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
