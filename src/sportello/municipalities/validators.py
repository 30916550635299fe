"""Pure checks for the identifiers of an Italian public body (no ORM)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ELEVEN_DIGITS = re.compile(r"^\d{11}$")
_IPA_CODE = re.compile(r"^[a-z0-9_]{2,20}$")


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


def validate_numeric_fiscal_code(value: str) -> None:
    if not value or not _ELEVEN_DIGITS.match(value):
        raise ValidationError(_("Il codice fiscale dell'ente è formato da 11 cifre."), code="format")
    if not numeric_fiscal_code_is_valid(value):
        raise ValidationError(
            _("Il codice fiscale dell'ente non è valido: la cifra di controllo non corrisponde."),
            code="check_digit",
        )


def validate_ipa_code(value: str) -> None:
    if not _IPA_CODE.match(value or ""):
        raise ValidationError(
            _("Il codice IPA contiene solo lettere minuscole, cifre e trattino basso (es. c_f728)."),
            code="format",
        )
