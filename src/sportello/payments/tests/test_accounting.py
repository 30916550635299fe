import io
import json

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone

from sportello.payments import accounting
from sportello.payments.models import PeriodicExport
from sportello.payments.services import payment_apply_status, payment_publish_now
from sportello.payments.tasks import accounting_export_daily
from sportello.payments.tests.test_services import _paid

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(awaiting):
    payment_publish_now(payment=awaiting)
    return payment_apply_status(payment=awaiting, observed=_paid(awaiting))


def test_one_row_per_budget_line_with_stable_columns(paid, mori):
    today = timezone.localdate()
    rows = list(accounting.accounting_rows(mori, today, today))
    assert [(r["capitolo"], r["importo"], r["indice_trasferimento"]) for r in rows] == [
        ("9100", "16.79", 1),
        ("3050", "5.16", 2),
        ("3060", "0.26", 3),
    ]
    row = rows[0]
    assert list(row) == list(accounting.COLUMNS)
    assert row["iuv"] == paid.iuv and row["numero_avviso"] == paid.notice_number
    assert row["codice_fiscale_pagatore"] == "RSSMRA80A01H501U"
    paid.application.refresh_from_db()
    assert row["numero_pratica"] == paid.application.number and row["codice_tassonomia"] == "9/0104100TS/"
    assert row["data_pagamento"] == today.isoformat()


def test_the_three_formats(paid, mori):
    from openpyxl import load_workbook

    today = timezone.localdate()
    rows = list(accounting.accounting_rows(mori, today, today))
    csv_text = accounting.render(rows, "csv").decode("utf-8-sig")
    assert csv_text.splitlines()[0] == ";".join(accounting.COLUMNS)
    assert len(csv_text.splitlines()) == 4
    data = json.loads(accounting.render(rows, "json"))
    assert data["colonne"] == list(accounting.COLUMNS) and len(data["righe"]) == 3
    sheet = load_workbook(io.BytesIO(accounting.render(rows, "xlsx"))).active
    values = list(sheet.values)
    assert values[0] == accounting.COLUMNS and float(values[1][4]) == 16.79


def test_no_rows_outside_the_dates(paid, mori):
    yesterday = timezone.localdate() - timezone.timedelta(days=1)
    assert list(accounting.accounting_rows(mori, yesterday, yesterday)) == []


def test_morning_task_writes_the_files_once_and_mails_the_link(paid, mori, mori_payments, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    from sportello.payments.models import Payment

    mori_payments.accounting_email = "ragioneria@comune-di-mori.example.org"
    mori_payments.save()
    yesterday = timezone.now() - timezone.timedelta(days=1)
    Payment.objects.filter(pk=paid.pk).update(paid_at=yesterday)
    assert accounting_export_daily.call() == 1
    day = timezone.localdate() - timezone.timedelta(days=1)
    for export_format in ("csv", "xlsx", "json"):
        assert default_storage.exists(accounting.export_path(mori, day, export_format))
    assert len(mail.outbox) == 1 and "/operatori/pagamenti/contabilita/" in mail.outbox[0].body
    assert PeriodicExport.objects.get().rows == 3
    assert accounting_export_daily.call() == 0  # the same day again: nothing more
    assert len(mail.outbox) == 1
