import pytest
from django.core.exceptions import ValidationError

from sportello.formschema.validators import (
    phone_is_valid,
    validate_fiscal_code,
    validate_iban,
    validate_phone,
)


def test_fiscal_code_validator_speaks_italian():
    validate_fiscal_code("RSSMRA85T10A562S")
    with pytest.raises(ValidationError) as error:
        validate_fiscal_code("RSSMRA85T10A562T")
    assert error.value.code == "fiscal_code"
    assert "codice fiscale non è valido" in str(error.value.messages[0])


def test_iban_validator_speaks_italian():
    validate_iban("IT60X0542811101000000123456")
    with pytest.raises(ValidationError) as error:
        validate_iban("IT60X0542811101000000123457")
    assert "IBAN non è valido" in str(error.value.messages[0])


@pytest.mark.parametrize(
    "phone", ["3331234567", "+39 333 123 4567", "06 1234567", "+41791234567", "123456", "123456789012345"]
)
def test_valid_phones_are_accepted(phone):
    assert phone_is_valid(phone)


@pytest.mark.parametrize(
    "phone",
    ["12345", "1234567890123456", "++393331234567", "333-1234567", "333 123 456a", "39+333", "", None, "+ "],
)
def test_invalid_phones_are_refused(phone):
    assert not phone_is_valid(phone)


def test_phone_validator_speaks_italian():
    validate_phone("+39 333 1234567")
    with pytest.raises(ValidationError) as error:
        validate_phone("abc")
    assert "numero di telefono non è valido" in str(error.value.messages[0])


@pytest.mark.parametrize(
    "code, name",
    [
        ("H501", "Roma (RM)"),
        ("F728", "Mori (TN)"),
        ("l378", "Trento (TN)"),
        ("Z110", "Francia"),
        ("Roma", "Roma"),  # already a name
        ("", ""),
        ("X999", "X999"),  # unknown: shown as received
    ],
)
def test_cadastral_place_name(code, name):
    from sportello.formschema.validators import cadastral_place_name

    assert cadastral_place_name(code) == name
