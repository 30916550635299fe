"""The few reportlab pieces every PDF of Sportello shares: an A4 document and a two-column table."""

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle


def pdf_document(buffer, *, title: str, author: str) -> SimpleDocTemplate:
    """A4, 20 mm side margins, deterministic (``invariant``: same data, same bytes)."""
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=author,
        invariant=1,
    )


def pdf_table(rows, *, widths=(55 * mm, 115 * mm)) -> Table:
    """Label / value rows: labels bold, thin rules between rows."""
    table = Table(rows, colWidths=list(widths))
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
            ]
        )
    )
    return table
