import pytest
from django.core.exceptions import ValidationError

from sportello.formschema.validators import (
    fiscal_code_check_character,
    iban_is_valid,
    normalize_code,
    personal_fiscal_code_is_valid,
    phone_is_valid,
    validate_fiscal_code,
    validate_iban,
    validate_phone,
)

VALID_CODE = "RSSMRA85T10A562S"


@pytest.mark.parametrize(
    "code",
    [
        VALID_CODE,
        "rssmra85t10a562s",
        " RSSMRA85T10A562S ",
        "RSSMRA85T10A56NH",  # omocodia on the last digit of the place code
        "RSSMRA85T10A5SNT",  # omocodia on the last two digits
        "RSSMRA85T10ARSNO",  # omocodia on the whole place code
        "BNCLRA90A41F205I",  # a woman: day + 40
        "00355870221",  # 11-digit code of a legal person
    ],
)
def test_valid_fiscal_codes_are_accepted(code):
    assert personal_fiscal_code_is_valid(code)


def test_omocodic_variants_carry_their_own_check_character():
    for first15 in ("RSSMRA85T10A56N", "RSSMRA85T10A5SN", "RSSMRA85T1LA562", "RSSMRAUVT10A562"):
        code = first15 + fiscal_code_check_character(first15)
        assert personal_fiscal_code_is_valid(code), code


def test_every_wrong_check_character_is_refused():
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        candidate = VALID_CODE[:15] + letter
        assert personal_fiscal_code_is_valid(candidate) is (candidate == VALID_CODE)


def test_a_single_changed_character_is_detected():
    for position in range(15):
        for char in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ":
            if char == VALID_CODE[position]:
                continue
            candidate = VALID_CODE[:position] + char + VALID_CODE[position + 1 :]
            assert not personal_fiscal_code_is_valid(candidate), candidate


@pytest.mark.parametrize(
    "code",
    [
        "",
        None,
        12345678901,
        "RSSMRA85T10A562",  # 15 characters
        "RSSMRA85T10A562SS",
        "RSSMRA85Z10A562S",  # Z is not a month
        "RSSMRA85T00A562S",  # day 0
        "RSSMRA85T35A562S",  # day 35
        "RSSMRA85T10A56AS",  # A is not an omocodia letter
        "RSSMRA85T10A562 ",
        "RSS MRA85T10A562S",
        "00355870222",  # wrong check digit
        "1234567890",
        "<script>alert(1)</script>",
    ],
)
def test_malformed_fiscal_codes_are_refused(code):
    assert not personal_fiscal_code_is_valid(code)


def test_fiscal_code_validator_speaks_italian():
    validate_fiscal_code(VALID_CODE)
    with pytest.raises(ValidationError) as error:
        validate_fiscal_code("RSSMRA85T10A562T")
    assert error.value.code == "fiscal_code"
    assert "codice fiscale non è valido" in str(error.value.messages[0])


@pytest.mark.parametrize(
    "iban",
    [
        "IT60X0542811101000000123456",
        "IT60 X054 2811 1010 0000 0123 456",
        "it60x0542811101000000123456",
        "DE89370400440532013000",
        "GB82WEST12345698765432",
        "FR1420041010050500013M02606",
    ],
)
def test_valid_ibans_are_accepted(iban):
    assert iban_is_valid(iban)


@pytest.mark.parametrize(
    "iban",
    [
        "IT60X0542811101000000123457",  # one changed digit
        "IT61X0542811101000000123456",  # wrong check digits
        "IT60X054281110100000012345",  # 26 characters
        "IT60X05428111010000001234567",  # 28 characters
        "IT60005428111010000001234560",
        "DE8937040044053201300",  # wrong German length
        "",
        None,
        "IT60-X054-2811-1010-0000-0123-456",
        "XX",
    ],
)
def test_invalid_ibans_are_refused(iban):
    assert not iban_is_valid(iban)


def test_every_single_digit_change_of_an_iban_is_detected():
    valid = "IT60X0542811101000000123456"
    for position in range(5, 27):
        for digit in "0123456789":
            if digit != valid[position]:
                assert not iban_is_valid(valid[:position] + digit + valid[position + 1 :])


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


def test_normalize_code_removes_spaces_and_uppercases():
    assert normalize_code(" it60 x054\t2811 ") == "IT60X0542811"


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
