"""The pagoPA payment notice ("avviso di pagamento") as a PDF, with its QR code (reportlab, ECC level M)."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

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


def render_notice_pdf(payment) -> bytes:
    settings = payment.municipality.payment_settings
    styles = getSampleStyleSheet()
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=_("Avviso di pagamento %(number)s")
        % {"number": iuv.notice_number_grouped(payment.notice_number)},
        author=settings.creditor_name,
        invariant=1,
    )
    text = lambda value: Paragraph(escape(str(value)), styles["BodyText"])  # noqa: E731
    rows = [
        [
            _("Ente creditore"),
            text(f"{settings.creditor_name} — {_('C.F.')} {settings.creditor_fiscal_code}"),
        ],
        [_("Destinatario"), text(f"{payment.debtor_name} — {_('C.F.')} {payment.debtor_fiscal_code}")],
        [_("Oggetto del pagamento"), text(payment.description)],
        [_("Importo"), text(f"{iuv.format_euro(payment.amount_cents)} €")],
        [_("Entro il"), text(date_format(payment.due_date, "d/m/Y"))],
        [_("Codice avviso"), text(iuv.notice_number_grouped(payment.notice_number))],
        [_("Codice fiscale ente"), text(payment.creditor_fiscal_code)],
    ]
    if settings.cbill:
        rows.append([_("Codice CBILL"), text(settings.cbill)])
    table = Table(rows, colWidths=[50 * mm, 120 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
            ]
        )
    )
    how = _(
        "Puoi pagare online su pagoPA, con l'app IO, dalla tua banca (home banking, CBILL), agli sportelli "
        "ATM, negli uffici postali, nei punti vendita abilitati (tabaccherie, ricevitorie) inquadrando il "
        "codice QR o indicando il codice avviso e il codice fiscale dell'ente."
    )
    story = [
        Paragraph(escape(settings.creditor_name), styles["Title"]),
        Paragraph(escape(_("Avviso di pagamento pagoPA")), styles["Heading2"]),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 6 * mm),
        Paragraph(escape(_("Inquadra il codice QR per pagare")), styles["Heading3"]),
        _QrCode(notice_payload(payment)),
        Spacer(1, 6 * mm),
        Paragraph(escape(how), styles["BodyText"]),
    ]
    document.build(story)
    return buffer.getvalue()


def render_receipt_pdf(payment) -> bytes:
    """The payment receipt (quietanza) as the platform knows it from the provider: paid at, PSP, receipt id."""
    from django.utils import timezone

    settings = payment.municipality.payment_settings
    styles = getSampleStyleSheet()
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        title=_("Ricevuta di pagamento"),
        invariant=1,
    )
    text = lambda value: Paragraph(escape(str(value)), styles["BodyText"])  # noqa: E731
    rows = [
        [_("Ente creditore"), text(f"{settings.creditor_name} — {payment.creditor_fiscal_code}")],
        [_("Pagato da"), text(f"{payment.debtor_name} — {payment.debtor_fiscal_code}")],
        [_("Oggetto del pagamento"), text(payment.description)],
        [_("Importo pagato"), text(f"{iuv.format_euro(payment.paid_cents or payment.amount_cents)} €")],
        [_("Data e ora del pagamento"), text(timezone.localtime(payment.paid_at).strftime("%d/%m/%Y %H:%M"))],
        [_("Prestatore del servizio di pagamento"), text(payment.psp or "—")],
        [_("Identificativo della ricevuta"), text(payment.receipt_id or "—")],
        ["IUV", text(payment.iuv)],
        [_("Codice avviso"), text(iuv.notice_number_grouped(payment.notice_number))],
    ]
    rows += [
        [f"{line.transfer_index}. {line.description}", text(f"{iuv.format_euro(line.amount_cents)} €")]
        for line in payment.lines.all()
    ]
    table = Table(rows, colWidths=[70 * mm, 100 * mm])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold")])
    )
    story = [
        Paragraph(escape(settings.creditor_name), styles["Title"]),
        Paragraph(escape(_("Ricevuta di pagamento pagoPA")), styles["Heading2"]),
        Spacer(1, 4 * mm),
        table,
    ]
    document.build(story)
    return buffer.getvalue()
