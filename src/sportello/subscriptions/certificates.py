"""The payment certificate of a subscription for one year (for the tax deduction of school canteen and similar
fees): who the subscriber is, who paid what and when, per item, with the total (reportlab)."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from sportello.core.pdf import pdf_document, pdf_table
from sportello.payments import iuv


def render_certificate_pdf(subscription, year: int, charges) -> bytes:
    """``charges``: those of ``subscription`` paid in ``year`` (``selectors.paid_charges``)."""
    municipality = subscription.municipality
    service = subscription.subscription_service
    settings = getattr(municipality, "payment_settings", None)
    creditor = settings.creditor_name if settings else municipality.name
    styles = getSampleStyleSheet()
    text = lambda value: Paragraph(escape(str(value)), styles["BodyText"])  # noqa: E731
    buffer = BytesIO()
    document = pdf_document(
        buffer, title=_("Attestazione di pagamento %(year)s") % {"year": year}, author=creditor
    )
    total = sum(c.payment.paid_cents or c.amount_cents for c in charges)
    rows = [[_("Voce"), _("Pagato il"), _("Pagato da"), "IUV", _("Importo")]] + [
        [
            text(c.item.label),
            timezone.localtime(c.payment.paid_at).strftime("%d/%m/%Y"),
            text(f"{c.payment.debtor_name} ({c.payment.debtor_fiscal_code})"),
            text(c.payment.iuv),
            f"{iuv.format_euro(c.payment.paid_cents or c.amount_cents)} €",
        ]
        for c in charges
    ]
    rows.append(["", "", "", _("Totale"), f"{iuv.format_euro(total)} €"])
    table = Table(rows, colWidths=[42 * mm, 22 * mm, 50 * mm, 34 * mm, 22 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
            ]
        )
    )
    statement = _(
        "Si attesta che per l'iscrizione indicata sono stati pagati, nell'anno %(year)s, gli importi "
        "elencati, tramite il sistema pagoPA."
    ) % {"year": year}
    story = [
        Paragraph(escape(creditor), styles["Title"]),
        Paragraph(
            escape(_("Attestazione di pagamento - anno %(year)s") % {"year": year}), styles["Heading2"]
        ),
        Spacer(1, 4 * mm),
        pdf_table(
            [
                [_("Servizio"), text(service.name)],
                [
                    _("Iscritto"),
                    text(f"{subscription.subscriber_name} ({subscription.subscriber_fiscal_code})"),
                ],
                [_("Richiedente"), text(f"{subscription.holder_name} ({subscription.holder_fiscal_code})")],
                [
                    _("Periodo del servizio"),
                    text(f"{service.period_start:%d/%m/%Y} - {service.period_end:%d/%m/%Y}"),
                ],
            ]
        ),
        Spacer(1, 6 * mm),
        Paragraph(escape(statement), styles["BodyText"]),
        Spacer(1, 4 * mm),
        table if charges else Paragraph(escape(_("Nessun pagamento nell'anno.")), styles["BodyText"]),
        Spacer(1, 8 * mm),
        Paragraph(
            escape(
                _("Documento generato il %(date)s da %(platform)s.")
                % {"date": timezone.localdate().strftime("%d/%m/%Y"), "platform": municipality.name}
            ),
            styles["BodyText"],
        ),
    ]
    document.build(story)
    return buffer.getvalue()
