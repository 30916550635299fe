"""pagoPA GPD (debt positions) and Checkout (carts) clients, contract-tested against the official OpenAPI files.

The payload builder also checks what the OpenAPI cannot express and GPD enforces: the transfers add up to the
option amount, each transfer has exactly one of iban/stamp, the validity date is in the future and precedes the
due date.
"""

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import requests
from django.utils import timezone

from .base import PositionStatus, ProviderError, ProviderUnavailable

logger = logging.getLogger(__name__)
ROME = ZoneInfo("Europe/Rome")
TIMEOUT = (5, 20)  # connect, read (seconds)
# GPD position status -> our payment status
GPD_STATUS = {
    "DRAFT": "created",
    "PUBLISHED": "pending",
    "VALID": "pending",
    "PARTIALLY_PAID": "pending",
    "PAID": "paid",
    "REPORTED": "paid",
    "INVALID": "cancelled",
    "EXPIRED": "expired",
}


def _check_transfers(amount: int, transfers: list[dict]) -> None:
    if not 1 <= len(transfers) <= 5:
        raise ValueError("a payment option has 1 to 5 transfers")
    if sum(t["amount"] for t in transfers) != amount:
        raise ValueError("the transfers do not add up to the option amount")
    for t in transfers:
        if ("iban" in t) == ("stamp" in t):
            raise ValueError(f"transfer {t['idTransfer']}: exactly one of iban and stamp")
    if [t["idTransfer"] for t in transfers] != [str(i) for i in range(1, len(transfers) + 1)]:
        raise ValueError("transfer ids must be 1..n in order")


def debt_position_payload(payment, lines, *, now: datetime | None = None) -> dict:
    """The GPD ``PaymentPositionModel`` of a payment: one transfer per budget line."""
    now = now or timezone.now()
    due = datetime.combine(payment.due_date, time(23, 59, 59), tzinfo=ROME)
    validity = now + timedelta(minutes=1)  # GPD wants a future validity date; publication is immediate
    if validity >= due:
        raise ValueError("the due date must follow the validity date")
    transfers = [
        {
            "idTransfer": str(line.transfer_index),
            "amount": line.amount_cents,
            "remittanceInformation": line.description[:140],
            "category": line.taxonomy_code,
            "iban": line.iban,
            "transferMetadata": [
                {"key": key, "value": value}
                for key, value in (
                    ("capitolo", line.capitolo),
                    ("articolo", line.articolo),
                    ("accertamento", line.accertamento),
                    ("ufficio", line.ufficio),
                )
                if value
            ],
        }
        for line in lines
    ]
    _check_transfers(payment.amount_cents, transfers)
    return {
        "iupd": payment.iupd,
        "type": "F" if len(payment.debtor_fiscal_code) == 16 else "G",
        "fiscalCode": payment.debtor_fiscal_code,
        "fullName": payment.debtor_name[:140],
        **({"email": payment.debtor_email} if payment.debtor_email else {}),
        "companyName": payment.municipality.payment_settings.creditor_name[:140],
        "switchToExpired": True,
        "validityDate": validity.isoformat(timespec="seconds"),
        "paymentOption": [
            {
                "iuv": payment.iuv,
                "amount": payment.amount_cents,
                "description": payment.description[:140],
                "isPartialPayment": False,
                "dueDate": due.isoformat(timespec="seconds"),
                "transfer": transfers,
            }
        ],
    }


class PagoPAProvider:
    def __init__(self, payment_settings):
        self.settings = payment_settings
        self.session = requests.Session()

    def _request(self, method, base, key, path, **kwargs) -> requests.Response:
        try:
            response = self.session.request(
                method,
                base.rstrip("/") + path,
                headers={"Ocp-Apim-Subscription-Key": key},
                timeout=TIMEOUT,
                allow_redirects=False,
                **kwargs,
            )
        except requests.RequestException as error:  # the key is in a header, never in the message
            raise ProviderUnavailable(f"{method} {path}: {type(error).__name__}") from None
        if response.status_code >= 500 or response.status_code == 429:
            raise ProviderUnavailable(f"{method} {path}: HTTP {response.status_code}")
        logger.info("pagoPA %s %s -> %s", method, path, response.status_code)
        return response

    def _gpd(self, method, path, **kwargs):
        org = self.settings.creditor_fiscal_code
        return self._request(
            method,
            self.settings.gpd_base_url,
            self.settings.gpd_subscription_key,
            f"/organizations/{org}/debtpositions{path}",
            **kwargs,
        )

    def create_position(self, payment) -> None:
        payload = debt_position_payload(payment, list(payment.lines.all()))
        response = self._gpd("POST", "", params={"toPublish": "true"}, json=payload)
        if response.status_code == 409:  # already created by an earlier attempt: fine
            return
        if response.status_code != 201:
            raise ProviderError(f"GPD create: HTTP {response.status_code} {response.text[:200]}")

    def position_status(self, payment) -> PositionStatus:
        response = self._gpd("GET", f"/{payment.iupd}")
        if response.status_code == 404:
            return PositionStatus(status="created")  # not (yet) there: creation must be retried
        if response.status_code != 200:
            raise ProviderError(f"GPD read: HTTP {response.status_code}")
        body = response.json()
        status = GPD_STATUS.get(body.get("status"), "pending")
        if status != "paid":
            return PositionStatus(status=status)
        option = next((o for o in body.get("paymentOption", []) if o.get("iuv") == payment.iuv), {})
        paid_at = option.get("paymentDate") or body.get("paymentDate")
        return PositionStatus(
            status="paid",
            paid_at=_parse_datetime(paid_at),
            paid_cents=option.get("amount", payment.amount_cents),
            psp=(option.get("pspCompany") or "")[:140],
            receipt_id=(option.get("idReceipt") or "")[:64],
        )

    def invalidate(self, payment) -> None:
        response = self._gpd("POST", f"/{payment.iupd}/invalidate")
        if response.status_code not in (200, 404, 409):
            raise ProviderError(f"GPD invalidate: HTTP {response.status_code}")

    def checkout_url(self, payment, *, ok_url: str, cancel_url: str, error_url: str) -> str:
        body = {
            "paymentNotices": [
                {
                    "noticeNumber": payment.notice_number,
                    "fiscalCode": payment.creditor_fiscal_code,
                    "amount": payment.amount_cents,
                    "companyName": self.settings.creditor_name[:140],
                    "description": payment.description[:140],
                }
            ],
            "returnUrls": {"returnOkUrl": ok_url, "returnCancelUrl": cancel_url, "returnErrorUrl": error_url},
            "idCart": payment.iupd,
            **({"emailNotice": payment.debtor_email} if payment.debtor_email else {}),
        }
        response = self._request(
            "POST",
            self.settings.checkout_base_url,
            self.settings.checkout_subscription_key,
            "/carts",
            json=body,
        )
        location = response.headers.get("Location", "")
        if response.status_code != 302 or not location:
            raise ProviderError(f"Checkout: HTTP {response.status_code} without a checkout address")
        return location


def _parse_datetime(value):
    if not value:
        return timezone.now()
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, ROME)
