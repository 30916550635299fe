"""Pure checks for Italian personal identifiers, IBANs and phone numbers, plus their Django validators."""

import functools
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sportello.municipalities.validators import numeric_fiscal_code_is_valid

# Omocodia: when two people share a code, digits are replaced, from the right, by these letters (0-9).
_OMOCODIA = "LMNPQRSTUV"
_OMOCODIA_TO_DIGIT = str.maketrans(_OMOCODIA, "0123456789")
_DIGIT_OR_OMOCODIA = "[0-9LMNPQRSTUV]"
_PERSONAL_CODE = re.compile(
    rf"^[A-Z]{{6}}{_DIGIT_OR_OMOCODIA}{{2}}[ABCDEHLMPRST]{_DIGIT_OR_OMOCODIA}{{2}}"
    rf"[A-Z]{_DIGIT_OR_OMOCODIA}{{3}}[A-Z]$"
)
# Values of the characters in odd positions (1st, 3rd, ...) for the check character; digits map like A-J.
_ODD_VALUES = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23),
        strict=True,
    )
)

# IBAN lengths of the SEPA countries; other countries only get the generic format and mod-97 checks.
IBAN_LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20,
    "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26,
    "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28,
    "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "VA": 22,
}  # fmt: skip
_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
# Italian (and San Marino) BBAN: CIN letter, ABI (5 digits), CAB (5 digits), account number (12 chars).
_ITALIAN_BBAN = re.compile(r"^[A-Z][0-9]{10}[A-Z0-9]{12}$")

_PHONE = re.compile(r"^\+?[0-9 ]+$")


def normalize_code(value: str) -> str:
    """Upper-case ``value`` and drop every whitespace (for fiscal codes and IBANs typed with spaces)."""
    return re.sub(r"\s+", "", value).upper()


def personal_fiscal_code_is_valid(code: str) -> bool:
    """True for a valid codice fiscale: 16 characters (omocodia included) or 11 digits (legal persons).

    Lower-case letters are accepted; inner spaces are not (use ``normalize_code`` first).
    """
    if not isinstance(code, str):
        return False
    code = code.strip().upper()
    if len(code) == 11:
        return numeric_fiscal_code_is_valid(code)
    if not _PERSONAL_CODE.match(code):
        return False
    day = int(code[9:11].translate(_OMOCODIA_TO_DIGIT))
    if not (1 <= day <= 31 or 41 <= day <= 71):
        return False
    return fiscal_code_check_character(code[:15]) == code[15]


def fiscal_code_check_character(first15: str) -> str:
    """The check character of the first 15 characters of a personal fiscal code."""
    total = 0
    for index, char in enumerate(first15):
        if index % 2 == 0:  # odd position, counting from 1
            total += _ODD_VALUES[char if char.isalpha() else "ABCDEFGHIJ"[int(char)]]
        else:
            total += int(char) if char.isdigit() else ord(char) - ord("A")
    return chr(ord("A") + total % 26)


def iban_is_valid(iban: str) -> bool:
    """True when ``iban`` passes the ISO 13616 checks (spaces and lower case allowed)."""
    if not isinstance(iban, str):
        return False
    iban = normalize_code(iban)
    if not _IBAN.match(iban):
        return False
    country = iban[:2]
    if country in IBAN_LENGTHS and len(iban) != IBAN_LENGTHS[country]:
        return False
    if country in ("IT", "SM") and not _ITALIAN_BBAN.match(iban[4:]):
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return int(digits) % 97 == 1


def phone_is_valid(phone: str) -> bool:
    """True for a phone number made of an optional leading + and 6-15 digits, spaces allowed."""
    if not isinstance(phone, str):
        return False
    phone = phone.strip()
    if not _PHONE.match(phone):
        return False
    return 6 <= sum(char.isdigit() for char in phone) <= 15


def validate_fiscal_code(value: str) -> None:
    if not personal_fiscal_code_is_valid(value):
        raise ValidationError(
            _("Il codice fiscale non è valido: controlla di averlo scritto correttamente (16 caratteri)."),
            code="fiscal_code",
        )


def validate_iban(value: str) -> None:
    if not iban_is_valid(value):
        raise ValidationError(
            _("L'IBAN non è valido: controlla di averlo scritto correttamente (in Italia 27 caratteri)."),
            code="iban",
        )


def validate_phone(value: str) -> None:
    if not phone_is_valid(value):
        raise ValidationError(
            _(
                "Il numero di telefono non è valido: usa solo cifre (da 6 a 15), eventualmente precedute da +."
            ),
            code="phone",
        )


_CADASTRAL_CODE = re.compile(r"^[A-Z]\d{3}$")


@functools.cache
def _cadastral_places() -> dict[str, str]:
    """Cadastral code -> current name, from python-codicefiscale's maintained list of the Italian
    municipalities (with their provinces) and of the foreign countries (codes Z...)."""
    from codicefiscale.data import get_countries_data, get_municipalities_data

    names: dict[str, tuple[str, str]] = {}
    for place in get_municipalities_data() + get_countries_data():
        province = place.get("province") or ""
        name = place["name"] if province in ("", "EE") else f"{place['name']} ({province})"
        # a code reused over time (boundary changes, renamings): keep the most recent record
        since = place.get("date_created") or ""
        if place["code"] not in names or since >= names[place["code"]][0]:
            names[place["code"]] = (since, name)
    return {code: name for code, (_since, name) in names.items()}


def cadastral_place_name(code: str) -> str:
    """ "Roma (RM)" for "H501", "Francia" for "Z110"; anything else (a name already, empty) unchanged."""
    value = (code or "").strip()
    if not _CADASTRAL_CODE.match(value.upper()):
        return value
    return _cadastral_places().get(value.upper(), value)
