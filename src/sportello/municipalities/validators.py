"""Django validators of the identifiers of an Italian public body (the checks are in ``core.identifiers``)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sportello.core.identifiers import (
    ipa_code_is_valid,
    numeric_fiscal_code_has_format,
    numeric_fiscal_code_is_valid,
)


def validate_numeric_fiscal_code(value: str) -> None:
    if not value or not numeric_fiscal_code_has_format(value):
        raise ValidationError(_("Il codice fiscale dell'ente è formato da 11 cifre."), code="format")
    if not numeric_fiscal_code_is_valid(value):
        raise ValidationError(
            _("Il codice fiscale dell'ente non è valido: la cifra di controllo non corrisponde."),
            code="check_digit",
        )


def validate_ipa_code(value: str) -> None:
    if not ipa_code_is_valid(value or ""):
        raise ValidationError(
            _("Il codice IPA contiene solo lettere minuscole, cifre e trattino basso (es. c_f728)."),
            code="format",
        )
