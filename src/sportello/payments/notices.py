"""The pagoPA payment notice ("avviso di pagamento") as a PDF, with its QR code (reportlab, ECC level M)."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from sportello.core import identifiers
from sportello.core.pdf import pdf_document, pdf_table

from . import iuv

QR_SIZE = 30 * mm  # printed about 25x25 mm plus the quiet zone


class _QrCode(Flowable):
    def __init__(self, payload: str):
        super().__init__()
        self.payload = payload
        self.width = self.height = QR_SIZE

    def draw(self):
        widget = QrCodeWidget(self.payload, barLevel="M")
        x1, y1, x2, y2 = widget.getBounds()
        drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x2 - x1), 0, 0, QR_SIZE / (y2 - y1), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, self.canv, 0, 0)


def notice_payload(payment) -> str:
    return iuv.qr_payload(payment.notice_number, payment.creditor_fiscal_code, payment.amount_cents)


def _parties(payment, settings, text, debtor_label):
    fiscal_code = _("C.F.")
    return [
        [
            _("Ente creditore"),
            text(f"{settings.creditor_name} — {fiscal_code} {settings.creditor_fiscal_code}"),
        ],
        [debtor_label, text(f"{payment.debtor_name} — {fiscal_code} {payment.debtor_fiscal_code}")],
        [_("Oggetto del pagamento"), text(payment.description)],
    ]


def _build(payment, *, title: str, heading: str, debtor_label: str, rows_for, extra) -> bytes:
    settings = payment.municipality.payment_settings
    styles = getSampleStyleSheet()
    buffer = BytesIO()
    document = pdf_document(buffer, title=title, author=settings.creditor_name)
    text = lambda value: Paragraph(escape(str(value)), styles["BodyText"])  # noqa: E731
    story = [
        Paragraph(escape(settings.creditor_name), styles["Title"]),
        Paragraph(escape(heading), styles["Heading2"]),
        Spacer(1, 4 * mm),
        pdf_table(
            _parties(payment, settings, text, debtor_label) + rows_for(settings, text),
            widths=(60 * mm, 110 * mm),
        ),
        *extra(styles),
    ]
    document.build(story)
    return buffer.getvalue()


def render_notice_pdf(payment) -> bytes:
    """The notice: creditor, debtor, purpose, amount, due date, notice number in groups of four, QR code."""

    def rows(settings, text):
        rows = [
            [_("Importo"), text(f"{iuv.format_euro(payment.amount_cents)} €")],
            [_("Entro il"), text(date_format(payment.due_date, "d/m/Y"))],
            [_("Codice avviso"), text(identifiers.notice_number_grouped(payment.notice_number))],
            [_("Codice fiscale ente"), text(payment.creditor_fiscal_code)],
        ]
        return rows + ([[_("Codice CBILL"), text(settings.cbill)]] if settings.cbill else [])

    how = _(
        "Puoi pagare online su pagoPA, con l'app IO, dalla tua banca (home banking, CBILL), agli sportelli "
        "ATM, negli uffici postali, nei punti vendita abilitati (tabaccherie, ricevitorie) inquadrando il "
        "codice QR o indicando il codice avviso e il codice fiscale dell'ente."
    )

    def extra(styles):
        return [
            Spacer(1, 6 * mm),
            Paragraph(escape(_("Inquadra il codice QR per pagare")), styles["Heading3"]),
            _QrCode(notice_payload(payment)),
            Spacer(1, 6 * mm),
            Paragraph(escape(how), styles["BodyText"]),
        ]

    number = identifiers.notice_number_grouped(payment.notice_number)
    return _build(
        payment,
        title=_("Avviso di pagamento %(number)s") % {"number": number},
        heading=_("Avviso di pagamento pagoPA"),
        debtor_label=_("Destinatario"),
        rows_for=rows,
        extra=extra,
    )


def render_receipt_pdf(payment) -> bytes:
    """The payment receipt as the platform knows it from the provider: paid at, PSP, receipt id, lines."""

    def rows(settings, text):
        return [
            [_("Importo pagato"), text(f"{iuv.format_euro(payment.paid_cents or payment.amount_cents)} €")],
            [
                _("Data e ora del pagamento"),
                text(timezone.localtime(payment.paid_at).strftime("%d/%m/%Y %H:%M")),
            ],
            [_("Prestatore del servizio di pagamento"), text(payment.psp or "—")],
            [_("Identificativo della ricevuta"), text(payment.receipt_id or "—")],
            ["IUV", text(payment.iuv)],
            [_("Codice avviso"), text(identifiers.notice_number_grouped(payment.notice_number))],
        ] + [
            [f"{line.transfer_index}. {line.description}", text(f"{iuv.format_euro(line.amount_cents)} €")]
            for line in payment.lines.all()
        ]

    return _build(
        payment,
        title=_("Ricevuta di pagamento"),
        heading=_("Ricevuta di pagamento pagoPA"),
        debtor_label=_("Pagato da"),
        rows_for=rows,
        extra=lambda styles: [],
    )
