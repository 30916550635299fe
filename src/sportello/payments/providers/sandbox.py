"""The pagoPA sandbox: behaves like GPD + Checkout for the demo and the tests (enabled by ``pagopa_sandbox``).

Positions live in ``SandboxPosition``; the checkout page (``sandbox_views``) lets the citizen pay, cancel or fail,
and only changes the sandbox's position: the platform learns the outcome by asking, as it would ask GPD.
"""

import secrets

from django.db import transaction
from django.utils import timezone

from sportello.core.urlutils import tenant_reverse

from .base import PositionStatus, ProviderError

SANDBOX_PSP = "Banca di prova (sandbox)"


class SandboxProvider:
    def create_position(self, payment) -> None:
        from ..models import SandboxPosition

        transfers = [
            {
                "idTransfer": str(line.transfer_index),
                "amount": line.amount_cents,
                "category": line.taxonomy_code,
                "iban": line.iban,
            }
            for line in payment.lines.all()
        ]
        if sum(t["amount"] for t in transfers) != payment.amount_cents:
            raise ProviderError("sandbox: the transfers do not add up to the amount")
        SandboxPosition.objects.get_or_create(
            creditor_fiscal_code=payment.creditor_fiscal_code,
            iupd=payment.iupd,
            defaults={
                "iuv": payment.iuv,
                "amount_cents": payment.amount_cents,
                "description": payment.description,
                "transfers": transfers,
            },
        )

    def _position(self, payment):
        from ..models import SandboxPosition

        return SandboxPosition.objects.filter(
            creditor_fiscal_code=payment.creditor_fiscal_code, iupd=payment.iupd
        ).first()

    def position_status(self, payment) -> PositionStatus:
        position = self._position(payment)
        if position is None:
            return PositionStatus(status="created")
        if position.status == "paid":
            return PositionStatus(
                status="paid",
                paid_at=position.paid_at,
                paid_cents=position.amount_cents,
                psp=position.psp,
                receipt_id=position.receipt_id,
            )
        return PositionStatus(status=position.status)

    def invalidate(self, payment) -> None:
        position = self._position(payment)
        if position is not None and position.status == "pending":
            position.status = "cancelled"
            position.save(update_fields=["status"])

    def checkout_url(self, payment, *, ok_url: str, cancel_url: str, error_url: str) -> str:
        position = self._position(payment)
        if position is None:
            raise ProviderError("sandbox: unknown position")
        position.return_urls = {"ok": ok_url, "cancel": cancel_url, "error": error_url}
        position.save(update_fields=["return_urls"])
        return tenant_reverse("payments_sandbox:checkout", payment.municipality, pk=position.pk)


def sandbox_checkout_for_notice(*, creditor_fiscal_code: str, notice_number: str, return_url: str) -> str:
    """Pay a notice as the IO app does: by payee and notice number, through pagoPA, without Sportello.

    The App IO sandbox calls this for its "Paga" button; the platform learns the outcome as always, by
    asking the position's status (poll or return page). Raises ``ProviderError`` for an unknown notice.
    """
    from sportello.core.identifiers import AUX_DIGIT

    from ..models import PaymentSettings, SandboxPosition

    settings = PaymentSettings.objects.filter(creditor_fiscal_code=creditor_fiscal_code).select_related(
        "municipality"
    )
    position = None
    if notice_number.startswith(AUX_DIGIT):
        position = SandboxPosition.objects.filter(
            creditor_fiscal_code=creditor_fiscal_code, iuv=notice_number[len(AUX_DIGIT) :]
        ).first()
    if position is None or not settings.exists():
        raise ProviderError("sandbox: unknown notice")
    position.return_urls = {"ok": return_url, "cancel": return_url, "error": return_url}
    position.save(update_fields=["return_urls"])
    return tenant_reverse("payments_sandbox:checkout", settings.first().municipality, pk=position.pk)


def sandbox_notice_status(*, creditor_fiscal_code: str, notice_number: str) -> str:
    """What pagoPA's sandbox says of a notice ("pending", "paid", ...; "" when unknown), as IO shows it."""
    from sportello.core.identifiers import AUX_DIGIT

    from ..models import SandboxPosition

    position = SandboxPosition.objects.filter(
        creditor_fiscal_code=creditor_fiscal_code, iuv=notice_number[len(AUX_DIGIT) :]
    ).first()
    return position.status if position is not None else ""


@transaction.atomic
def sandbox_outcome(*, position_pk: int, outcome: str):
    """The citizen's choice on the sandbox checkout page: ``paid``, ``failed`` or ``cancel``.

    Cancel leaves the position payable (as on the real checkout); paid and failed are final for the sandbox.
    """
    from ..models import SandboxPosition

    position = SandboxPosition.objects.select_for_update().get(pk=position_pk)
    if position.status != "pending" or outcome == "cancel":
        return position
    position.status = "paid" if outcome == "paid" else "failed"
    if outcome == "paid":
        position.paid_at = timezone.now()
        position.psp = SANDBOX_PSP
        position.receipt_id = f"SBX-{secrets.token_hex(8).upper()}"
    position.save()
    return position


def sandbox_flow(*, municipality, day=None) -> bytes:
    """The reporting flow a PSP would send for what was paid in the sandbox and not yet reported."""
    from ..models import Payment, Status
    from ..reconciliation import build_flow_xml

    settings = municipality.payment_settings
    now = timezone.localtime()
    payments = (
        Payment.objects.filter(
            municipality=municipality,
            provider="sandbox",
            status=Status.PAID,
            lines__reconciled_flow__isnull=True,
        )
        .distinct()
        .prefetch_related("lines")
        .order_by("paid_at", "pk")
    )
    lines = [
        (
            payment.iuv,
            payment.receipt_id or payment.iuv,
            line.transfer_index,
            line.amount_cents,
            "0",
            (day or now.date()),
        )
        for payment in payments
        for line in payment.lines.all()
    ]
    if not lines:
        raise ProviderError("sandbox: nothing paid to report")
    stamp = now.strftime("%Y%m%d%H%M%S%f")
    return build_flow_xml(
        flow_id=f"{now:%Y-%m-%d}SBXPSP-{stamp}"[:35],
        flow_at=now,
        settlement_ref=f"SCT-{stamp}"[:35],
        settlement_date=day or now.date(),
        sender_code="SBXPITM1",
        sender_name="Banca di prova (sandbox)",
        creditor_fiscal_code=settings.creditor_fiscal_code,
        lines=lines,
    )
