"""The accounting export: the paid payments of a date range, one row per budget line, with stable column names
(documented in docs/payments.md). CSV and JSON carry amounts as ``16.79``; XLSX as numbers."""

import datetime
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

from sportello.core.exports import csv_stream, xlsx_bytes

from . import iuv
from .models import PaymentLine, Status

ROME = ZoneInfo("Europe/Rome")
COLUMNS = (
    "capitolo",
    "articolo",
    "accertamento",
    "codice_tassonomia",
    "importo",
    "iuv",
    "numero_avviso",
    "codice_fiscale_pagatore",
    "data_pagamento",
    "numero_pratica",
    "servizio",
    "descrizione_voce",
    "indice_trasferimento",
    "ufficio",
    "psp",
    "id_ricevuta",
)
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def accounting_lines(municipality, date_from: datetime.date, date_to: datetime.date):
    """Budget lines of payments paid between the two dates (inclusive, Rome time), in payment order."""
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=ROME)
    end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=ROME)
    return (
        PaymentLine.objects.filter(
            payment__municipality=municipality,
            payment__status=Status.PAID,
            payment__paid_at__gte=start,
            payment__paid_at__lt=end,
        )
        .select_related("payment__application__service")
        .order_by("payment__paid_at", "payment__iuv", "transfer_index")
    )


def _row(line) -> dict:
    payment = line.payment
    application = payment.application
    return {
        "capitolo": line.capitolo,
        "articolo": line.articolo,
        "accertamento": line.accertamento,
        "codice_tassonomia": line.taxonomy_code,
        "importo": iuv.format_decimal(line.amount_cents),
        "iuv": payment.iuv,
        "numero_avviso": payment.notice_number,
        "codice_fiscale_pagatore": payment.debtor_fiscal_code,
        "data_pagamento": payment.paid_at.astimezone(ROME).date().isoformat(),
        "numero_pratica": application.number if application else "",
        "servizio": application.service.name if application else payment.description,
        "descrizione_voce": line.description,
        "indice_trasferimento": line.transfer_index,
        "ufficio": line.ufficio,
        "psp": payment.psp,
        "id_ricevuta": payment.receipt_id,
    }


def accounting_rows(municipality, date_from, date_to):
    for line in accounting_lines(municipality, date_from, date_to).iterator(chunk_size=2000):
        yield _row(line)


def render(rows, export_format: str) -> bytes:
    """``rows`` (dicts of ``accounting_rows``) as a file in ``csv``, ``xlsx`` or ``json``."""
    if export_format == "json":
        return json.dumps(
            {"colonne": list(COLUMNS), "righe": list(rows)}, ensure_ascii=False, indent=1
        ).encode()
    if export_format == "csv":
        return "".join(csv_stream(COLUMNS, ([row[c] for c in COLUMNS] for row in rows))).encode("utf-8")
    if export_format == "xlsx":

        def typed(row):
            values = dict(row, importo=Decimal(row["importo"]))
            values["data_pagamento"] = datetime.date.fromisoformat(row["data_pagamento"])
            return [values[c] for c in COLUMNS]

        return xlsx_bytes(COLUMNS, (typed(row) for row in rows), sheet_title="Contabilità")
    raise ValueError(f"unknown format {export_format!r}")


def export_path(municipality, day: datetime.date, export_format: str) -> str:
    return f"contabilita/{municipality.slug}/pagamenti-{day:%Y-%m-%d}.{export_format}"


PROGRESS_EVERY = 500


def export_build(export) -> None:
    """Build a requested export, saving ``done`` every few hundred rows so its page can show the progress."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    lines = accounting_lines(export.municipality, export.date_from, export.date_to)
    total = lines.count()
    type(export).objects.filter(pk=export.pk).update(state="running", total=total, done=0)
    rows = []
    for line in lines.iterator(chunk_size=2000):
        rows.append(_row(line))
        if len(rows) % PROGRESS_EVERY == 0:
            type(export).objects.filter(pk=export.pk).update(done=len(rows))
    path = f"contabilita/{export.municipality.slug}/export-{export.pk}.{export.export_format}"
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(render(rows, export.export_format)))
    type(export).objects.filter(pk=export.pk).update(state="done", done=len(rows), path=path)
