import pytest

from sportello.payments.notices import notice_payload, render_notice_pdf

pytestmark = pytest.mark.django_db


def _decode_qr(pdf: bytes) -> list[str]:
    pdfium = pytest.importorskip("pypdfium2")
    zxingcpp = pytest.importorskip("zxingcpp")
    page = pdfium.PdfDocument(pdf)[0]
    image = page.render(scale=4).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def _text(pdf: bytes) -> str:
    pdfium = pytest.importorskip("pypdfium2")
    return pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range()


def test_qr_in_the_pdf_decodes_to_exactly_the_payload(awaiting, mori):
    pdf = render_notice_pdf(awaiting)
    expected = f"PAGOPA|002|{awaiting.notice_number}|{mori.fiscal_code}|2221"
    assert notice_payload(awaiting) == expected
    assert _decode_qr(pdf) == [expected]


def test_notice_shows_number_in_groups_amount_due_date_creditor_debtor_purpose(awaiting, mori):
    text = _text(render_notice_pdf(awaiting))
    number = awaiting.notice_number
    assert f"{number[:4]} {number[4:8]} {number[8:12]} {number[12:16]} {number[16:]}" in text
    assert "22,21 €" in text
    assert awaiting.due_date.strftime("%d/%m/%Y") in text
    assert mori.name in text and mori.fiscal_code in text
    assert "RSSMRA80A01H501U" in text and awaiting.debtor_name in text
    assert "Rilascio carta d'identità elettronica" in text
