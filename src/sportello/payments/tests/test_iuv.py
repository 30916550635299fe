import pytest

from sportello.payments import iuv as m


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


def test_qr_payload_exact_string():
    number = m.notice_number("01", "2026000000001")
    assert m.qr_payload(number, "00150940221", 2221) == "PAGOPA|002|301202600000000103|00150940221|2221"


@pytest.mark.parametrize(
    ("number", "cf", "cents"),
    [
        ("301202600000000104", "00150940221", 2221),
        ("301202600000000103", "0015094022", 2221),
        ("301202600000000103", "00150940221", 0),
        ("301202600000000103", "00150940221", 22.21),
        ("301202600000000103", "00150940221", True),
    ],
)
def test_qr_payload_refuses_bad_parts(number, cf, cents):
    with pytest.raises(ValueError):
        m.qr_payload(number, cf, cents)


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("22,21", 2221),
        ("22.21", 2221),
        ("5", 500),
        ("0,26", 26),
        ("16,79 €", 1679),
        ("0.1", 10),
        (" 27,37 ", 2737),
    ],
)
def test_parse_euro(text, cents):
    assert m.parse_euro(text) == cents


@pytest.mark.parametrize("text", ["22,211", "1.234,56", "-5", "abc", "", "1e3", "0,1,2"])
def test_parse_euro_refuses(text):
    with pytest.raises(ValueError):
        m.parse_euro(text)


def test_format_euro_and_decimal():
    assert m.format_euro(2221) == "22,21"
    assert m.format_euro(123456) == "1.234,56"
    assert m.format_euro(5) == "0,05"
    assert m.format_euro(-26) == "-0,26"
    assert m.format_decimal(2221) == "22.21"
    assert m.format_decimal(100000026) == "1000000.26"


def test_parse_decimal_round_trip_without_float_errors():
    for cents in range(0, 100_000, 37):
        assert m.parse_decimal(m.format_decimal(cents)) == cents
    assert m.parse_decimal("0.29") == 29  # float(0.29) * 100 == 28.999999999999996
    with pytest.raises(ValueError):
        m.parse_decimal("1.005")
    with pytest.raises(ValueError):
        m.parse_decimal("x")


def test_cie_split_adds_up():
    m.check_split(2221, [1679, 516, 26])
    m.check_split(2737, [1679, 1032, 26])


@pytest.mark.parametrize(
    ("total", "amounts", "message"),
    [
        (2221, [1679, 516, 25], "differenza 0,01 €"),
        (2221, [], "da 1 a 5"),
        (600, [100] * 6, "da 1 a 5"),
        (2221, [2221, 0], "maggiore di zero"),
        (2221, [2300, -79], "maggiore di zero"),
    ],
)
def test_split_errors_are_clear(total, amounts, message):
    with pytest.raises(m.SplitError, match=message):
        m.check_split(total, amounts)


CIE_RULES = [{"field": "motivo", "equals": "duplicato", "amounts": [1679, 1032, 26]}]


def test_resolve_amounts_cie_reason():
    default = [1679, 516, 26]
    assert m.resolve_amounts(default, CIE_RULES, {"motivo": "primo_rilascio"}) == default
    assert m.resolve_amounts(default, CIE_RULES, {"motivo": "duplicato"}) == [1679, 1032, 26]
    assert m.resolve_amounts(default, CIE_RULES, {}) == default
    assert m.resolve_amounts(default, CIE_RULES, {"motivo": ["duplicato", "x"]}) == [1679, 1032, 26]


def test_first_matching_rule_wins_and_wrong_length_refused():
    rules = [
        {"field": "a", "equals": "1", "amounts": [1, 2]},
        {"field": "a", "equals": "1", "amounts": [3, 4]},
    ]
    assert m.resolve_amounts([5, 5], rules, {"a": 1}) == [1, 2]
    with pytest.raises(m.SplitError):
        m.resolve_amounts([5, 5, 5], rules, {"a": "1"})
