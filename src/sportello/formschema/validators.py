"""Django validators of fiscal codes and IBANs (the checks are in ``core.identifiers``), phone numbers, and the
cadastral codes' place names."""

import functools
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sportello.core.identifiers import iban_is_valid, personal_fiscal_code_is_valid

_PHONE = re.compile(r"^\+?[0-9 ]+$")


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
