import pytest
from django.core.exceptions import ValidationError

from sportello.municipalities.validators import (
    numeric_fiscal_code_is_valid,
    validate_ipa_code,
    validate_numeric_fiscal_code,
)


@pytest.mark.parametrize("code", ["00355870221", "00125390229", "80003170661", "01234567897"])
def test_real_and_computed_fiscal_codes_are_valid(code):
    assert numeric_fiscal_code_is_valid(code)


def test_every_wrong_check_digit_is_refused():
    valid = "00355870221"
    for digit in "0123456789":
        candidate = valid[:10] + digit
        assert numeric_fiscal_code_is_valid(candidate) is (candidate == valid)


def test_exactly_one_check_digit_fits_every_prefix():
    for prefix in ("0000000000", "1234567890", "9999999999", "0035587022", "5555555555"):
        assert sum(numeric_fiscal_code_is_valid(prefix + str(d)) for d in range(10)) == 1


def test_a_single_changed_digit_is_detected():
    valid = "00355870221"
    for position in range(10):
        for digit in "0123456789":
            if digit == valid[position]:
                continue
            assert not numeric_fiscal_code_is_valid(valid[:position] + digit + valid[position + 1 :])


@pytest.mark.parametrize(
    "value", ["", "0035587022", "003558702210", "0035587022A", " 00355870221", None, 355870221]
)
def test_malformed_fiscal_codes_are_refused(value):
    assert not numeric_fiscal_code_is_valid(value)


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
