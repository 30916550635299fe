"""The PDF receipt of a submitted application (reportlab; deterministic for the same data)."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from sportello.core.pdf import pdf_document, pdf_table
from sportello.formschema import display_values


def render_receipt_pdf(application, *, language: str = "it") -> bytes:
    styles = getSampleStyleSheet()
    buffer = BytesIO()
    municipality = application.municipality
    document = pdf_document(
        buffer,
        title=_("Ricevuta della domanda %(number)s") % {"number": application.number},
        author=municipality.name,
    )
    text = lambda value: Paragraph(escape(str(value)).replace("\n", "<br/>"), styles["BodyText"])  # noqa: E731
    story = [
        Paragraph(escape(municipality.name), styles["Title"]),
        Paragraph(escape(_("Ricevuta di presentazione della domanda")), styles["Heading2"]),
        Spacer(1, 4 * mm),
    ]
    submitted = timezone.localtime(application.submitted_at)
    head = [
        [_("Servizio"), text(application.service.name)],
        [
            _("Numero di protocollo") if application.protocol_number else _("Numero della domanda"),
            text(application.number),
        ],
        [_("Data e ora di invio"), text(submitted.strftime("%d/%m/%Y %H:%M:%S"))],
        [_("Richiedente"), text(f"{application.applicant_name} — {application.applicant_fiscal_code}")],
        [_("Versione del modulo"), text(application.form_version.number)],
    ]
    story += [pdf_table(head), Spacer(1, 6 * mm), Paragraph(escape(_("Dati inviati")), styles["Heading3"])]
    rows = [
        [text(label), text(value or "—")]
        for label, value in display_values(application.form_version.definition, application.data, language)
    ]
    story += [pdf_table(rows or [[_("Nessun dato"), ""]]), Spacer(1, 6 * mm)]
    story.append(
        Paragraph(
            escape(_("Impronta SHA-256 dei dati inviati: %(hash)s") % {"hash": application.receipt_sha256}),
            styles["Code"],
        )
    )
    document.build(story)
    return buffer.getvalue()


def render_text_pdf(application, *, title: str, body: str, when) -> bytes:
    """A communication (message, outcome) as a PDF, the main document of its protocol entry."""
    styles = getSampleStyleSheet()
    buffer = BytesIO()
    document = pdf_document(buffer, title=title, author=application.municipality.name)
    story = [
        Paragraph(escape(application.municipality.name), styles["Title"]),
        Paragraph(escape(title), styles["Heading2"]),
        Paragraph(escape(f"{application.service.name} — {application.applicant_name}"), styles["BodyText"]),
        Paragraph(
            escape(timezone.localtime(when).strftime("%d/%m/%Y %H:%M") if when else ""), styles["BodyText"]
        ),
        Spacer(1, 6 * mm),
        Paragraph(escape(body or "—").replace("\n", "<br/>"), styles["BodyText"]),
    ]
    document.build(story)
    return buffer.getvalue()
