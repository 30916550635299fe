"""The Italian identifiers (``core.identifiers``), exhaustively: personal and numeric fiscal codes, IPA code,
IBAN, pagoPA's IUV and notice number. Pure: no database."""

import pytest

from sportello.core import identifiers as m
from sportello.core.identifiers import (
    fiscal_code_check_character,
    iban_is_valid,
    ipa_code_is_valid,
    normalize_code,
    numeric_fiscal_code_has_format,
    numeric_fiscal_code_is_valid,
    personal_fiscal_code_is_valid,
)

# --- Personal fiscal codes -------------------------------------------------------------------------------------

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
def test_malformed_personal_fiscal_codes_are_refused(code):
    assert not personal_fiscal_code_is_valid(code)


# --- Numeric fiscal codes (legal persons, public bodies) -------------------------------------------------------


@pytest.mark.parametrize("code", ["00355870221", "00125390229", "80003170661", "01234567897"])
def test_real_and_computed_numeric_fiscal_codes_are_valid(code):
    assert numeric_fiscal_code_is_valid(code)


def test_every_wrong_numeric_check_digit_is_refused():
    valid = "00355870221"
    for digit in "0123456789":
        candidate = valid[:10] + digit
        assert numeric_fiscal_code_is_valid(candidate) is (candidate == valid)


def test_exactly_one_check_digit_fits_every_prefix():
    for prefix in ("0000000000", "1234567890", "9999999999", "0035587022", "5555555555"):
        assert sum(numeric_fiscal_code_is_valid(prefix + str(d)) for d in range(10)) == 1


def test_a_single_changed_digit_of_a_numeric_code_is_detected():
    valid = "00355870221"
    for position in range(10):
        for digit in "0123456789":
            if digit == valid[position]:
                continue
            assert not numeric_fiscal_code_is_valid(valid[:position] + digit + valid[position + 1 :])


@pytest.mark.parametrize(
    "value", ["", "0035587022", "003558702210", "0035587022A", " 00355870221", None, 355870221]
)
def test_malformed_numeric_fiscal_codes_are_refused(value):
    assert not numeric_fiscal_code_is_valid(value)


def test_numeric_format_is_told_apart_from_the_check_digit():
    assert numeric_fiscal_code_has_format("00355870220") and not numeric_fiscal_code_is_valid("00355870220")
    assert not numeric_fiscal_code_has_format("0035587022") and not numeric_fiscal_code_has_format(None)


def test_an_eleven_digit_personal_code_is_a_numeric_one():
    for code in ("00355870221", "00355870220"):
        assert personal_fiscal_code_is_valid(code) is numeric_fiscal_code_is_valid(code)


# --- IPA code ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["c_f728", "c_l378", "ipa123", "ab", "x" * 20])
def test_ipa_codes_are_accepted(value):
    assert ipa_code_is_valid(value)


@pytest.mark.parametrize("value", ["", "a", "C_F728", "c-f728", "c f728", "x" * 21, None, 728])
def test_bad_ipa_codes_are_refused(value):
    assert not ipa_code_is_valid(value)


# --- IBAN --------------------------------------------------------------------------------------------------------


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


def test_normalize_code_removes_spaces_and_uppercases():
    assert normalize_code(" it60 x054\t2811 ") == "IT60X0542811"


# --- pagoPA: IUV and notice number ------------------------------------------------------------------------------


def _mod93_by_long_division(digits: str) -> int:
    """An independent computation of the check: remainder digit by digit, as on paper."""
    rest = 0
    for d in digits:
        rest = (rest * 10 + int(d)) % 93
    return rest


@pytest.mark.parametrize(
    ("segregation", "base", "check"),
    [
        ("00", "0000000000000", "03"),  # 3 * 10**15, and 10**15 % 93 == 1
        ("01", "2026000000001", "03"),
        ("12", "2026000123456", "22"),
        ("45", "9999999999999", "75"),
    ],
)
def test_check_digits_known_vectors(segregation, base, check):
    assert m.check_digits(segregation, base) == check
    assert m.iuv(segregation, base) == segregation + base + check
    number = m.notice_number(segregation, base)
    assert number == "3" + segregation + base + check and len(number) == 18
    assert m.notice_number_is_valid(number)


def test_check_digits_agree_with_long_division_over_many_bases():
    for seg in ("00", "07", "45"):
        for seq in range(1, 2000, 7):
            base = m.iuv_base(2026, seq)
            assert int(m.check_digits(seg, base)) == _mod93_by_long_division("3" + seg + base)


@pytest.mark.parametrize("seg", ["46", "99", "1", "ab", "", None, "001"])
def test_segregation_code_outside_00_45_is_refused(seg):
    assert not m.segregation_code_is_valid(seg)
    with pytest.raises(ValueError):
        m.check_digits(seg, "2026000000001")


def test_segregation_codes_00_to_45_accepted():
    assert all(m.segregation_code_is_valid(f"{n:02d}") for n in range(46))


@pytest.mark.parametrize("base", ["202600000001", "20260000000012", "2026a00000001", ""])
def test_base_must_be_13_digits(base):
    with pytest.raises(ValueError):
        m.iuv("01", base)


def test_iuv_base_is_year_and_sequence():
    assert m.iuv_base(2026, 1) == "2026000000001"
    assert m.iuv_base(2026, 999_999_999) == "2026999999999"
    for bad in [(2026, 0), (2026, 1_000_000_000), (999, 1)]:
        with pytest.raises(ValueError):
            m.iuv_base(*bad)


@pytest.mark.parametrize(
    "number",
    [
        "301202600000000104",  # wrong check digits (03 is right)
        "201202600000000103",  # aux digit 2
        "30120260000000010",  # 17 digits
        "346202600000000103",  # segregation 46
        "30120260000000010a",
    ],
)
def test_invalid_notice_numbers(number):
    assert not m.notice_number_is_valid(number)


def test_one_wrong_digit_is_always_detected():
    number = m.notice_number("01", "2026000000001")
    for i in range(3, 16):
        for d in "0123456789":
            if d != number[i]:
                assert not m.notice_number_is_valid(number[:i] + d + number[i + 1 :])


def test_notice_number_in_groups_of_four():
    assert m.notice_number_grouped("301202600000000103") == "3012 0260 0000 0001 03"
