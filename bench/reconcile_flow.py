"""Benchmark: reconciling one reporting flow (FdR) of 10,000 lines (PostgreSQL only).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sportello make bench

Uses the benchmark database of ``applications_list.py`` (``sportello_bench`` or ``BENCH_DATABASE``). Seeds once
2,000 paid payments of 5 budget lines each in a dedicated municipality, builds one flow reporting every line,
then times ``flow_reconcile`` (safe parsing, XSD validation, matching IUV + transfer index, marking 10,000 lines,
the report) ``BENCH_RUNS`` times (default 5), undoing the reconciliation between runs. Target: <= 2 s.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from applications_list import bench_database_url, ensure_database, setup_django  # noqa: E402

PAYMENTS = 2_000
LINES = 5
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
TARGET_S = 2.0
SLUG = "comune-di-bench-pagamenti"
FISCAL_CODE = "00000000000"  # valid check digit (0)


def seed():
    from django.db import transaction
    from django.utils import timezone

    from sportello.municipalities.models import Municipality
    from sportello.payments import iuv
    from sportello.payments.models import Payment, PaymentLine, PaymentSettings

    municipality, _ = Municipality.objects.get_or_create(
        slug=SLUG,
        defaults={"name": "Comune di Bench Pagamenti", "fiscal_code": FISCAL_CODE, "ipa_code": "c_bench_pay"},
    )
    PaymentSettings.objects.get_or_create(
        municipality=municipality,
        defaults={
            "creditor_fiscal_code": FISCAL_CODE,
            "creditor_name": municipality.name,
            "iban": "IT60X0542811101000000123456",
            "segregation_code": "07",
        },
    )
    if Payment.objects.filter(municipality=municipality).count() >= PAYMENTS:
        return municipality
    print(f"Seeding {PAYMENTS:,} paid payments x {LINES} budget lines...")
    now = timezone.now()
    with transaction.atomic():
        payments = Payment.objects.bulk_create(
            Payment(
                municipality=municipality,
                provider="sandbox",
                creditor_fiscal_code=FISCAL_CODE,
                iupd=f"SPT-BENCH-{n}",
                iuv_base=iuv.iuv_base(2026, n),
                iuv=iuv.iuv("07", iuv.iuv_base(2026, n)),
                notice_number=iuv.notice_number("07", iuv.iuv_base(2026, n)),
                amount_cents=100 * LINES,
                description="Benchmark",
                due_date=now.date(),
                debtor_fiscal_code="RSSMRA80A01H501U",
                debtor_name="Mario Rossi",
                status="paid",
                paid_at=now,
                paid_cents=100 * LINES,
            )
            for n in range(1, PAYMENTS + 1)
        )
        PaymentLine.objects.bulk_create(
            PaymentLine(
                payment=payment,
                transfer_index=index,
                iban="IT60X0542811101000000123456",
                description=f"Voce {index}",
                capitolo=f"{1000 + index}",
                taxonomy_code="9/0104100TS/",
                amount_cents=100,
            )
            for payment in payments
            for index in range(1, LINES + 1)
        )
    return municipality


def main() -> int:
    url, admin_url, name = bench_database_url()
    ensure_database(admin_url, name)
    setup_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from sportello.payments.models import Payment, PaymentLine, ReportingFlow
    from sportello.payments.reconciliation import build_flow_xml, flow_reconcile

    municipality = seed()
    from django.utils import timezone

    today = timezone.localdate()
    lines = [
        (code, f"RIS-{code}", index, 100, "0", today)
        for code in Payment.objects.filter(municipality=municipality)
        .order_by("pk")
        .values_list("iuv", flat=True)
        for index in range(1, LINES + 1)
    ]
    data = build_flow_xml(
        flow_id="2026-12-01BENCHPSP-0001",
        flow_at=timezone.localtime(),
        settlement_ref="SCT-BENCH",
        settlement_date=today,
        sender_code="BENCHITM1",
        sender_name="Banca Bench",
        creditor_fiscal_code=FISCAL_CODE,
        lines=lines,
    )
    print(f"\nOne flow of {len(lines):,} lines ({len(data) / 1e6:.1f} MB); {RUNS} timed runs.\n")
    timings = []
    for _run in range(RUNS):
        ReportingFlow.objects.filter(municipality=municipality).delete()  # lines go back to unreconciled
        start = time.perf_counter()
        flow, created = flow_reconcile(municipality=municipality, data=data)
        timings.append(time.perf_counter() - start)
        assert created and flow.report["conteggi"] == {"riconciliati": len(lines)}, flow.report["conteggi"]
    reconciled = PaymentLine.objects.filter(payment__municipality=municipality, reconciled_flow=flow).count()
    assert reconciled == len(lines)
    best, median = min(timings), statistics.median(timings)
    verdict = "ok" if median <= TARGET_S else "SLOW"
    print(
        f"{'reconcile 10,000 lines':34} median {median:.2f} s  best {best:.2f} s  max {max(timings):.2f} s  {verdict}"
    )
    print(f"\nTarget: median <= {TARGET_S:.0f} s.")
    return 0 if median <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
