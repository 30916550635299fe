import pytest
from django.core.exceptions import ValidationError

from sportello.municipalities.validators import (
    validate_ipa_code,
    validate_numeric_fiscal_code,
)


def test_validation_messages_are_in_italian_and_distinguish_format_from_check_digit():
    with pytest.raises(ValidationError) as format_error:
        validate_numeric_fiscal_code("123")
    assert format_error.value.code == "format"
    assert "11 cifre" in format_error.value.messages[0]
    with pytest.raises(ValidationError) as check_error:
        validate_numeric_fiscal_code("00355870220")
    assert check_error.value.code == "check_digit"
    assert "cifra di controllo" in check_error.value.messages[0]


@pytest.mark.parametrize("value", ["c_f728", "c_l378", "ipa123"])
def test_ipa_codes(value):
    validate_ipa_code(value)


@pytest.mark.parametrize("value", ["", "C_F728", "c-f728", "c f728", "x" * 21])
def test_bad_ipa_codes(value):
    with pytest.raises(ValidationError):
        validate_ipa_code(value)
