"""The GPD and Checkout clients against Prism mocks of the official specs: every request they send must satisfy
the contract (Prism answers 4xx otherwise). What the specs cannot say is checked by ``debt_position_payload``."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from sportello.core.tests.prism import prism
from sportello.payments.providers import ProviderError, ProviderUnavailable
from sportello.payments.providers.pagopa import PagoPAProvider, debt_position_payload

# This suite's ports (PRISM_PORT_FIRST/LAST move them).
PORTS = range(int(os.environ.get("PRISM_PORT_FIRST", 8400)), int(os.environ.get("PRISM_PORT_LAST", 8499)) + 1)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def gpd_url():
    with prism("pagopa-gpd-external-v1.json", ports=PORTS) as url:
        yield url


@pytest.fixture(scope="module")
def checkout_url():
    with prism("pagopa-checkout-v1.json", ports=PORTS) as url:
        yield url


@pytest.fixture
def gpd(awaiting, mori_payments, gpd_url, checkout_url):
    mori_payments.provider = "pagopa"
    mori_payments.gpd_base_url = gpd_url
    mori_payments.checkout_base_url = checkout_url
    mori_payments.gpd_subscription_key = mori_payments.checkout_subscription_key = "secret-key-123"
    mori_payments.save()
    return PagoPAProvider(mori_payments)


def test_create_position_satisfies_the_gpd_contract(gpd, awaiting):
    gpd.create_position(awaiting)  # 201 from Prism: the request matched the spec


def test_existing_iupd_409_counts_as_created(gpd, awaiting):
    gpd.session.headers["Prefer"] = "code=409"
    gpd.create_position(awaiting)


def test_gpd_500_is_transient(gpd, awaiting):
    gpd.session.headers["Prefer"] = "code=500"
    with pytest.raises(ProviderUnavailable):
        gpd.create_position(awaiting)


def test_missing_key_is_refused_by_the_contract(gpd, awaiting):
    gpd.settings.gpd_subscription_key = ""
    gpd.session.headers.pop("Ocp-Apim-Subscription-Key", None)
    with pytest.raises(ProviderError) as error:
        gpd.create_position(awaiting)
    assert "secret" not in str(error.value)


def test_an_invalid_payload_is_refused_by_prism(gpd, awaiting, monkeypatch):
    """The contract test can fail: a transfer without its category breaks the spec and Prism says so."""

    def broken(payment, lines, now=None):
        payload = debt_position_payload(payment, lines, now=now)
        del payload["paymentOption"][0]["transfer"][0]["category"]
        return payload

    monkeypatch.setattr("sportello.payments.providers.pagopa.debt_position_payload", broken)
    with pytest.raises(ProviderError, match="HTTP 4"):
        gpd.create_position(awaiting)


def test_read_status_and_invalidate(gpd, awaiting):
    status = gpd.position_status(awaiting)
    assert status.status in {"created", "pending", "paid", "cancelled", "expired"}
    gpd.invalidate(awaiting)


def test_paid_position_reads_the_receipt(awaiting, mori_payments, monkeypatch):
    """GPD's PAID body (shape of PaymentPositionModelBaseResponse) becomes our receipt."""

    class Response:
        status_code = 200

        def json(self):
            return {
                "status": "PAID",
                "paymentOption": [
                    {
                        "iuv": awaiting.iuv,
                        "amount": 2221,
                        "paymentDate": "2026-12-01T10:15:00",
                        "pspCompany": "Banca Esempio",
                        "idReceipt": "RCPT-1",
                    }
                ],
            }

    provider = PagoPAProvider(mori_payments)
    monkeypatch.setattr(provider, "_gpd", lambda *a, **k: Response())
    status = provider.position_status(awaiting)
    assert (status.status, status.paid_cents, status.psp, status.receipt_id) == (
        "paid",
        2221,
        "Banca Esempio",
        "RCPT-1",
    )
    assert status.paid_at.isoformat() == "2026-12-01T10:15:00+01:00"


def test_checkout_cart_redirects_to_the_checkout_page(gpd, awaiting):
    url = gpd.checkout_url(
        awaiting,
        ok_url="https://sportello.example.org/ok",
        cancel_url="https://sportello.example.org/cancel",
        error_url="https://sportello.example.org/error",
    )
    assert url.startswith("http")


def test_payload_one_transfer_per_budget_line_with_metadata(awaiting, mori_payments):
    payload = debt_position_payload(awaiting, list(awaiting.lines.all()))
    option = payload["paymentOption"][0]
    assert option["amount"] == 2221 and option["iuv"] == awaiting.iuv
    assert [(t["idTransfer"], t["amount"], t["category"]) for t in option["transfer"]] == [
        ("1", 1679, "9/0104100TS/"),
        ("2", 516, "9/0104100TS/"),
        ("3", 26, "9/0104100TS/"),
    ]
    first = option["transfer"][0]
    assert first["iban"] == mori_payments.iban and "stamp" not in first
    assert {m["key"]: m["value"] for m in first["transferMetadata"]} == {
        "capitolo": "9100",
        "articolo": "1",
        "accertamento": "2026/101",
        "ufficio": "Servizi demografici",
    }
    assert payload["type"] == "F" and payload["fiscalCode"] == "RSSMRA80A01H501U"


def test_own_checks_refuse_what_the_spec_cannot_express(awaiting):
    lines = list(awaiting.lines.all())
    lines[2].amount_cents = 25
    with pytest.raises(ValueError, match="add up"):
        debt_position_payload(awaiting, lines)
    lines[2].amount_cents = 26
    lines[0].iban = ""
    awaiting.due_date = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValueError, match="due date"):
        debt_position_payload(awaiting, lines)


def test_validity_date_is_in_the_future(awaiting):
    from datetime import datetime

    now = timezone.now()
    payload = debt_position_payload(awaiting, list(awaiting.lines.all()), now=now)
    assert datetime.fromisoformat(payload["validityDate"]) > now
