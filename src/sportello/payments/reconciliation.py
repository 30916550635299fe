"""Reporting flows (FdR, ``FlussoRiversamento`` 1.0.4): safe parsing, XSD validation, matching each line
(IUV + transfer index) to a payment's budget line, and a report per flow (totals per chapter, mismatches).

Parsing: lxml with no entity resolution, no network, no DTD, no huge trees, and a refusal of any DOCTYPE; size
limited by the caller and here. A flow that is malformed or invalid raises ``ValidationError`` and changes
nothing; the same flow twice is recognised (flow id + SHA-256) and changes nothing.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from lxml import etree

from . import iuv
from .models import PaymentLine, ReportingFlow

NS = "http://www.digitpa.gov.it/schemas/2011/Pagamenti/"
XSD = Path(__file__).parent / "data" / "FlussoRiversamento_1_0_4.xsd"
MAX_BYTES = 20 * 1024 * 1024
MAX_REPORTED = 1000  # mismatches listed one by one in the report (all are counted)
ESITO = {"0": "eseguito", "3": "revocato", "9": "eseguito senza RPT"}


@cache
def _schema() -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(XSD), parser))


@dataclass
class FlowLine:
    iuv: str
    collection_id: str
    index: int
    cents: int
    outcome: str
    outcome_date: date


@dataclass
class Flow:
    flow_id: str
    flow_at: datetime
    settlement_ref: str
    settlement_date: date
    sender: str
    receiver: str
    total_count: int
    total_cents: int
    lines: list[FlowLine] = field(default_factory=list)


def parse_flow(data: bytes) -> Flow:
    """Parse and validate a flow; ``ValidationError`` with an Italian message on any problem."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("Il flusso è troppo grande (al massimo 20 MB)."), code="size")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise ValidationError(
            _("Il file non è un XML valido: %(error)s") % {"error": str(error)[:200]}, code="xml"
        ) from None
    if root.getroottree().docinfo.doctype:
        raise ValidationError(_("Il flusso non può contenere una dichiarazione DOCTYPE."), code="doctype")
    schema = _schema()
    if not schema.validate(root):
        error = schema.error_log.last_error
        raise ValidationError(
            _("Il flusso non rispetta lo schema FlussoRiversamento 1.0.4 (riga %(line)s): %(message)s")
            % {"line": error.line, "message": error.message[:200]},
            code="xsd",
        )

    def text(node, path):
        found = node.find(path, {"p": NS})
        return found.text.strip() if found is not None and found.text else ""

    flow = Flow(
        flow_id=text(root, "p:identificativoFlusso"),
        flow_at=datetime.fromisoformat(text(root, "p:dataOraFlusso")),
        settlement_ref=text(root, "p:identificativoUnivocoRegolamento"),
        settlement_date=date.fromisoformat(text(root, "p:dataRegolamento")),
        sender=text(root, "p:istitutoMittente/p:denominazioneMittente")
        or text(root, "p:istitutoMittente/p:identificativoUnivocoMittente/p:codiceIdentificativoUnivoco"),
        receiver=text(
            root, "p:istitutoRicevente/p:identificativoUnivocoRicevente/p:codiceIdentificativoUnivoco"
        ),
        total_count=int(text(root, "p:numeroTotalePagamenti")),
        total_cents=iuv.parse_decimal(text(root, "p:importoTotalePagamenti")),
    )
    for node in root.iterfind("p:datiSingoliPagamenti", {"p": NS}):
        flow.lines.append(
            FlowLine(
                iuv=text(node, "p:identificativoUnivocoVersamento"),
                collection_id=text(node, "p:identificativoUnivocoRiscossione"),
                index=int(text(node, "p:indiceDatiSingoloPagamento") or 1),
                cents=iuv.parse_decimal(text(node, "p:singoloImportoPagato")),
                outcome=text(node, "p:codiceEsitoSingoloPagamento"),
                outcome_date=date.fromisoformat(text(node, "p:dataEsitoSingoloPagamento")),
            )
        )
    if flow.total_count != len(flow.lines) or flow.total_cents != sum(line.cents for line in flow.lines):
        raise ValidationError(
            _(
                "Il flusso non è coerente: numero o importo totale dei pagamenti diversi dalla somma delle righe."
            ),
            code="totals",
        )
    return flow


def build_flow_xml(
    *,
    flow_id,
    flow_at,
    settlement_ref,
    settlement_date,
    sender_code,
    sender_name,
    creditor_fiscal_code,
    lines,
) -> bytes:
    """A ``FlussoRiversamento`` for ``lines`` = [(iuv, collection id, index, cents, outcome, date)]."""

    def sub(parent, name, value=None):
        element = etree.SubElement(parent, f"{{{NS}}}{name}")
        if value is not None:
            element.text = str(value)
        return element

    root = etree.Element(f"{{{NS}}}FlussoRiversamento", nsmap={"pay_i": NS})
    sub(root, "versioneOggetto", "1.0")
    sub(root, "identificativoFlusso", flow_id)
    sub(root, "dataOraFlusso", flow_at.strftime("%Y-%m-%dT%H:%M:%S"))
    sub(root, "identificativoUnivocoRegolamento", settlement_ref)
    sub(root, "dataRegolamento", settlement_date.isoformat())
    sender = sub(root, "istitutoMittente")
    sender_id = sub(sender, "identificativoUnivocoMittente")
    sub(sender_id, "tipoIdentificativoUnivoco", "B")
    sub(sender_id, "codiceIdentificativoUnivoco", sender_code)
    sub(sender, "denominazioneMittente", sender_name)
    receiver = sub(root, "istitutoRicevente")
    receiver_id = sub(receiver, "identificativoUnivocoRicevente")
    sub(receiver_id, "tipoIdentificativoUnivoco", "G")
    sub(receiver_id, "codiceIdentificativoUnivoco", creditor_fiscal_code)
    sub(root, "numeroTotalePagamenti", len(lines))
    sub(root, "importoTotalePagamenti", iuv.format_decimal(sum(line[3] for line in lines)))
    for code, collection, index, cents, outcome, when in lines:
        item = sub(root, "datiSingoliPagamenti")
        sub(item, "identificativoUnivocoVersamento", code)
        sub(item, "identificativoUnivocoRiscossione", collection)
        sub(item, "indiceDatiSingoloPagamento", index)
        sub(item, "singoloImportoPagato", iuv.format_decimal(cents))
        sub(item, "codiceEsitoSingoloPagamento", outcome)
        sub(item, "dataEsitoSingoloPagamento", when.isoformat())
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _match(flow: Flow, creditor_fiscal_code: str, flow_pk: int | None):
    """Match each flow line to a budget line; returns (matched line pks, report)."""
    wanted = sorted({line.iuv for line in flow.lines})
    targets = {}
    for start in range(0, len(wanted), 2000):
        chunk = wanted[start : start + 2000]
        for pk, code, index, cents, capitolo, reconciled in PaymentLine.objects.filter(
            payment__creditor_fiscal_code=creditor_fiscal_code, payment__iuv__in=chunk
        ).values_list(
            "pk", "payment__iuv", "transfer_index", "amount_cents", "capitolo", "reconciled_flow_id"
        ):
            targets[(code, index)] = (pk, cents, capitolo, reconciled)
    seen = set()
    matched = []
    per_chapter = defaultdict(int)
    counts = defaultdict(int)
    problems = []

    def problem(kind, line, **extra):
        counts[kind] += 1
        if len(problems) < MAX_REPORTED:
            problems.append(
                {"tipo": kind, "iuv": line.iuv, "indice": line.index, "importo": line.cents, **extra}
            )

    for line in flow.lines:
        key = (line.iuv, line.index)
        target = targets.get(key)
        if key in seen:
            problem("duplicato", line)
            continue
        seen.add(key)
        if line.outcome == "3":
            problem("revocato", line)
            continue
        if target is None:
            problem("iuv_sconosciuto", line)
            continue
        pk, cents, capitolo, reconciled = target
        if reconciled is not None and reconciled != flow_pk:
            problem("duplicato", line, nota="già riconciliato da un altro flusso")
            continue
        if cents != line.cents:
            problem("importo_diverso", line, atteso=cents)
            continue
        matched.append(pk)
        per_chapter[capitolo] += line.cents
        counts["riconciliati"] += 1
    report = {
        "righe": len(flow.lines),
        "conteggi": dict(counts),
        "totali_per_capitolo": dict(sorted(per_chapter.items())),
        "totale_riconciliato": sum(per_chapter.values()),
        "anomalie": problems,
    }
    return matched, report


@transaction.atomic
def flow_reconcile(*, municipality, data: bytes, user=None) -> tuple[ReportingFlow, bool]:
    """Load a flow and reconcile it; returns (flow, created). The same flow again returns it unchanged."""
    digest = hashlib.sha256(data).hexdigest()
    parsed = parse_flow(data)
    settings = municipality.payment_settings
    if parsed.receiver != settings.creditor_fiscal_code:
        raise ValidationError(
            _("Il flusso è destinato a un altro ente (codice fiscale %(code)s).") % {"code": parsed.receiver},
            code="receiver",
        )
    existing = ReportingFlow.objects.select_for_update().filter(
        municipality=municipality, flow_id=parsed.flow_id
    )
    existing = existing.first()
    if existing is not None:
        if existing.sha256 != digest:
            raise ValidationError(
                _("Il flusso %(id)s è già stato caricato con un contenuto diverso.") % {"id": parsed.flow_id},
                code="conflict",
            )
        return existing, False
    flow = ReportingFlow.objects.create(
        municipality=municipality,
        flow_id=parsed.flow_id,
        flow_at=parsed.flow_at if parsed.flow_at.tzinfo else parsed.flow_at.replace(tzinfo=_rome()),
        settlement_ref=parsed.settlement_ref,
        settlement_date=parsed.settlement_date,
        sender=parsed.sender[:140],
        total_count=parsed.total_count,
        total_cents=parsed.total_cents,
        sha256=digest,
        uploaded_by=user,
    )
    matched, report = _match(parsed, settings.creditor_fiscal_code, flow.pk)
    for start in range(0, len(matched), 2000):
        PaymentLine.objects.filter(pk__in=matched[start : start + 2000]).update(reconciled_flow=flow)
    flow.report = report
    flow.save(update_fields=["report"])
    return flow, True


def _rome():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Rome")
