"""The pure CSV validation: every problem reported with its line."""

import pytest
from django.core.exceptions import ValidationError

from sportello.subscriptions import csv_import

from .factories import child_code

HEADER = "codice_fiscale;cognome;nome;cf_richiedente;nome_richiedente;email_richiedente;condivisa_con;isee;importo_rata-1"
PARENT = "RSSMRA80A01H501U"
OTHER = "BNCGLI85M41L378W"


def csv(*lines, header=HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def test_a_valid_file_gives_rows():
    report = csv_import.validate(
        csv(
            f"{child_code(1)};Rossi;Anna;{PARENT};Mario Rossi;mario@example.org;{OTHER};8500,50;120",
            f"{child_code(2).lower()};Rossi;Luca;{PARENT};Mario Rossi;;;;",
        ),
        item_codes=["rata-1"],
    )
    assert report.ok, report.errors
    first, second = report.rows
    assert first.sharers == [OTHER] and first.isee_cents == 850050 and first.amounts == {"rata-1": 12000}
    assert second.subscriber_fiscal_code == child_code(2) and second.amounts == {}


def test_errors_are_reported_line_by_line():
    report = csv_import.validate(
        csv(
            f"{child_code(1)};Rossi;Anna;{PARENT};Mario Rossi;;;;",
            f"RSSMRA80A01H501X;Rossi;Anna;{PARENT};Mario Rossi;;;;",
            f"{child_code(1)};Rossi;Anna;{PARENT};Mario Rossi;;;;",
            f"{child_code(3)};;Anna;{PARENT};Mario Rossi;non-email;XYZ;abc;12,345",
            f"{child_code(4)};Rossi",
        ),
        item_codes=["rata-1"],
    )
    assert not report.ok
    lines = dict(report.errors)
    assert set(lines) == {3, 4, 5, 6}
    assert "codice fiscale dell'iscritto non valido" in lines[3]
    assert "già presente alla riga 2" in lines[4]
    for expected in (
        "manca cognome",
        "e-mail",
        "condivisione non valido",
        "ISEE non valido",
        "importo non valido",
    ):
        assert expected in lines[5]
    assert "campi invece di 9" in lines[6]


def test_header_problems():
    report = csv_import.validate(csv("x", header="codice_fiscale;nome;colore"), item_codes=[])
    assert report.errors[0][0] == 1
    assert "cognome" in report.errors[0][1]
    assert "colore" in report.errors[1][1]


def test_comma_delimiter_and_bom():
    data = "\ufeffcodice_fiscale,cognome,nome,cf_richiedente,nome_richiedente\n".encode() + (
        f"{child_code(5)},Verdi,Ada,{PARENT},Mario Rossi\n".encode()
    )
    assert csv_import.validate(data, item_codes=[]).ok


@pytest.mark.parametrize("data", [b"", b"\xff\xfe\x00x"])
def test_empty_or_not_utf8_is_refused(data):
    with pytest.raises(ValidationError):
        csv_import.validate(data, item_codes=[])


def test_only_a_header_is_an_error():
    assert not csv_import.validate(csv(), item_codes=[]).ok


@pytest.mark.parametrize(("value", "cents"), [("1", 100), ("1,5", 150), ("1.05", 105), ("0", 0)])
def test_parse_euros(value, cents):
    assert csv_import.parse_euros(value) == cents


@pytest.mark.parametrize("value", ["", "-1", "1,234", "1e3", "abc"])
def test_parse_euros_refuses(value):
    with pytest.raises(ValueError):
        csv_import.parse_euros(value)
