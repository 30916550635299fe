"""pagoPA's notice QR payload and money (the identifiers are tested in core/tests/test_identifiers.py)."""

import pytest

from sportello.core.identifiers import notice_number
from sportello.payments import iuv as m


def test_qr_payload_exact_string():
    number = notice_number("01", "2026000000001")
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
