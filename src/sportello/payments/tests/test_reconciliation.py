import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sportello.payments.models import PaymentLine, ReportingFlow
from sportello.payments.providers.sandbox import sandbox_flow
from sportello.payments.reconciliation import build_flow_xml, flow_reconcile, parse_flow
from sportello.payments.services import payment_apply_status, payment_publish_now
from sportello.payments.tests.test_services import _paid

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def paid(awaiting):
    payment_publish_now(payment=awaiting)
    return payment_apply_status(payment=awaiting, observed=_paid(awaiting))


def _flow(mori, lines, flow_id="2026-12-01PSPTEST-0001"):
    return build_flow_xml(
        flow_id=flow_id,
        flow_at=datetime.datetime(2026, 12, 1, 9, 0),
        settlement_ref="SCT-1",
        settlement_date=TODAY,
        sender_code="BPSPITM1",
        sender_name="Banca Esempio",
        creditor_fiscal_code=mori.fiscal_code,
        lines=lines,
    )


def _line(payment, index, cents, outcome="0"):
    return (payment.iuv, "RIS-1", index, cents, outcome, TODAY)


def test_generated_sandbox_flow_is_valid_and_reconciles_all_three_lines(paid, mori):
    flow, created = flow_reconcile(municipality=mori, data=sandbox_flow(municipality=mori))
    assert created
    assert flow.report["conteggi"] == {"riconciliati": 3}
    assert flow.report["totali_per_capitolo"] == {"3050": 516, "3060": 26, "9100": 1679}
    assert PaymentLine.objects.filter(reconciled_flow=flow).count() == 3


def test_same_flow_twice_changes_nothing(paid, mori):
    data = _flow(mori, [_line(paid, 1, 1679), _line(paid, 2, 516), _line(paid, 3, 26)])
    first, created = flow_reconcile(municipality=mori, data=data)
    again, created_again = flow_reconcile(municipality=mori, data=data)
    assert created and not created_again and again.pk == first.pk and again.report == first.report
    assert ReportingFlow.objects.count() == 1


def test_mismatches_are_reported(paid, mori):
    data = _flow(
        mori,
        [
            _line(paid, 1, 1679),
            _line(paid, 1, 1679),  # duplicate line
            _line(paid, 2, 500),  # different amount
            _line(paid, 3, 26, outcome="3"),  # revoked
            ("01202699999999999", "RIS-9", 1, 100, "0", TODAY),  # unknown IUV
        ],
    )
    flow, _ = flow_reconcile(municipality=mori, data=data)
    assert flow.report["conteggi"] == {
        "riconciliati": 1,
        "duplicato": 1,
        "importo_diverso": 1,
        "revocato": 1,
        "iuv_sconosciuto": 1,
    }
    assert {p["tipo"]: p.get("atteso") for p in flow.report["anomalie"]}["importo_diverso"] == 516


def test_line_already_reconciled_by_another_flow_is_a_duplicate(paid, mori):
    flow_reconcile(municipality=mori, data=_flow(mori, [_line(paid, 1, 1679)], "F1"))
    second, _ = flow_reconcile(municipality=mori, data=_flow(mori, [_line(paid, 1, 1679)], "F2"))
    assert second.report["conteggi"] == {"duplicato": 1}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<not xml", "non è un XML valido"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">&e;</FlussoRiversamento>',
            "DOCTYPE",
        ),
        (
            b'<FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">'
            b"<versioneOggetto>1.0</versioneOggetto></FlussoRiversamento>",
            "schema FlussoRiversamento",
        ),
        (b"x" * (20 * 1024 * 1024 + 1), "troppo grande"),
    ],
)
def test_malformed_flows_get_a_clear_error_and_change_nothing(paid, mori, data, message):
    with pytest.raises(ValidationError, match=message):
        flow_reconcile(municipality=mori, data=data)
    assert ReportingFlow.objects.count() == 0
    assert not PaymentLine.objects.filter(reconciled_flow__isnull=False).exists()


def test_billion_laughs_is_refused(mori, mori_payments):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b"<lolz>&lol2;</lolz>"
    )
    with pytest.raises(ValidationError):
        parse_flow(bomb)


def test_totals_must_match_the_lines(paid, mori):
    data = _flow(mori, [_line(paid, 1, 1679)]).replace(
        b"<pay_i:importoTotalePagamenti>16.79<", b"<pay_i:importoTotalePagamenti>16.80<"
    )
    with pytest.raises(ValidationError, match="non è coerente"):
        flow_reconcile(municipality=mori, data=data)


def test_flow_for_another_creditor_is_refused(paid, mori, trento):
    data = _flow(mori, [_line(paid, 1, 1679)]).replace(mori.fiscal_code.encode(), trento.fiscal_code.encode())
    with pytest.raises(ValidationError, match="altro ente"):
        flow_reconcile(municipality=mori, data=data)


def test_flow_timestamps_are_aware(paid, mori):
    flow, _ = flow_reconcile(municipality=mori, data=_flow(mori, [_line(paid, 1, 1679)]))
    assert timezone.is_aware(flow.flow_at)
