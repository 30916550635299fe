"""The Italian identifiers, pure (no ORM, no Django): fiscal codes (personal, with omocodia, and the 11-digit
numeric one of legal persons and public bodies), IBAN, IPA code, and pagoPA's IUV and notice number.

Every module checks these through here; the Django validators with their Italian messages stay next to the
models and forms that use them (``formschema.validators``, ``municipalities.validators``,
``payments.validators``) and call these functions. Tested exhaustively in ``core/tests/test_identifiers.py``.
"""

import re


def normalize_code(value: str) -> str:
    """Upper-case ``value`` and drop every whitespace (for fiscal codes and IBANs typed with spaces)."""
    return re.sub(r"\s+", "", value).upper()


# --- Fiscal codes ----------------------------------------------------------------------------------------------

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
_ELEVEN_DIGITS = re.compile(r"^\d{11}$")


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


def numeric_fiscal_code_is_valid(value: str) -> bool:
    """True when ``value`` is an 11-digit fiscal code / VAT number with a correct check digit.

    The check digit is a Luhn variant: digits in odd positions are added as they are, digits in even
    positions are doubled (minus 9 when the double exceeds 9); the last digit makes the sum a multiple of 10.
    """
    if not isinstance(value, str) or not _ELEVEN_DIGITS.match(value):
        return False
    total = 0
    for index, char in enumerate(value[:10]):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10 == int(value[10])


def numeric_fiscal_code_has_format(value: str) -> bool:
    """Eleven digits, whatever the check digit (to tell "wrong format" from "wrong check digit")."""
    return isinstance(value, str) and bool(_ELEVEN_DIGITS.match(value))


# --- IPA code (Indice delle Pubbliche Amministrazioni) --------------------------------------------------------

_IPA_CODE = re.compile(r"^[a-z0-9_]{2,20}$")


def ipa_code_is_valid(value: str) -> bool:
    """An IPA code as the register writes it: 2-20 lower-case letters, digits and underscores (``c_f728``)."""
    return isinstance(value, str) and bool(_IPA_CODE.match(value))


# --- IBAN ------------------------------------------------------------------------------------------------------

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


# --- pagoPA: IUV and notice number -----------------------------------------------------------------------------

AUX_DIGIT = "3"  # the only auxiliary digit current pagoPA rules allow

_SEGREGATION = re.compile(r"^\d{2}$")
_BASE = re.compile(r"^\d{13}$")
_NOTICE = re.compile(r"^\d{18}$")


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
