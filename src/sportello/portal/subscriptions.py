"""The citizen's subscriptions ("Le mie iscrizioni"): their own and those shared with their fiscal code; each
instalment with status, due date and "Paga" (online in the pagoPA checkout, or the notice PDF), receipts and
the yearly payment certificate.

Everything is read through ``subscriptions.selectors`` (``visible_to``: applicant, subscriber or sharer); any
other id is 404.
"""

import contextlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sportello.core.urlutils import tenant_reverse
from sportello.identity import levels
from sportello.identity.session import citizen_required
from sportello.payments import services as payments
from sportello.payments.notices import render_notice_pdf, render_receipt_pdf
from sportello.payments.providers import ProviderError
from sportello.subscriptions import selectors, services
from sportello.subscriptions.certificates import render_certificate_pdf
from sportello.subscriptions.models import Charge, Subscription

STATUS_LABELS = {
    "paid": gettext_lazy("Pagato"),
    "exempt": gettext_lazy("Esente"),
    "open": gettext_lazy("Da pagare"),
    "late": gettext_lazy("In ritardo"),
    "failed": gettext_lazy("Non riuscito"),
    "expired": gettext_lazy("Scaduto"),
    "cancelled": gettext_lazy("Annullato"),
}


def _labels():
    return {key: str(value) for key, value in STATUS_LABELS.items()}


def _subscription(request, pk) -> Subscription:
    try:
        return selectors.subscription_for_citizen(request.user, request.municipality, pk)
    except Subscription.DoesNotExist:
        raise Http404("Not this citizen's subscription") from None


def _charge(request, pk) -> Charge:
    try:
        charge = selectors.charge_for_citizen(request.user, request.municipality, pk)
    except Charge.DoesNotExist:
        raise Http404("Not this citizen's charge") from None
    if charge.payment is None:
        raise Http404("Nothing to pay")
    return charge


def _detail_url(request, subscription_pk) -> str:
    return tenant_reverse("portal:subscription_detail", request.municipality, pk=subscription_pk)


@never_cache
@citizen_required(levels.SPID2)
def subscription_list(request):
    subscriptions = list(selectors.subscriptions_for_citizen(request.user, request.municipality))
    code = (request.user.fiscal_code or "").upper()
    own = [s for s in subscriptions if s.holder_id == request.user.pk or s.holder_fiscal_code == code]
    shared = [s for s in subscriptions if s not in own]
    return render(
        request,
        "subscriptions/portal/list.html",
        {"own": own, "shared": shared, "status_labels": _labels()},
    )


@never_cache
@citizen_required(levels.SPID2)
def subscription_detail(request, pk):
    subscription = _subscription(request, pk)
    charges = list(subscription.charges.all())
    years = sorted(
        {timezone.localtime(c.payment.paid_at).year for c in charges if c.payment and c.payment.paid_at},
        reverse=True,
    )
    return render(
        request,
        "subscriptions/portal/detail.html",
        {
            "subscription": subscription,
            "charges": charges,
            "years": years,
            "status_labels": _labels(),
            "shared_with_me": subscription.holder_id != request.user.pk
            and subscription.holder_fiscal_code != (request.user.fiscal_code or "").upper(),
        },
    )


@require_POST
@citizen_required(levels.SPID2)
def charge_pay(request, pk):
    """ "Paga online": the pagoPA checkout (sandbox in the demo), back to ``charge_return``."""
    charge = _charge(request, pk)
    if not charge.payable:
        raise Http404("Not payable")
    try:
        charge = services.charge_payment_renew(charge=charge, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_detail_url(request, charge.subscription_id))
    back = request.build_absolute_uri(
        tenant_reverse("portal:charge_return", request.municipality, pk=charge.pk)
    )
    try:
        url = payments.payment_checkout_start(
            payment=charge.payment, ok_url=back, cancel_url=back, error_url=back
        )
    except (ValidationError, ProviderError) as error:
        messages.error(
            request,
            " ".join(getattr(error, "messages", []))
            or _("Il servizio di pagamento non risponde: riprova tra qualche minuto."),
        )
        return redirect(_detail_url(request, charge.subscription_id))
    return redirect(url)


@never_cache
@citizen_required(levels.SPID2)
def charge_return(request, pk):
    """Back from the checkout: whatever the address says, ask the provider."""
    charge = _charge(request, pk)
    with contextlib.suppress(ProviderError):
        payments.payment_refresh(payment=charge.payment, source="return")
    charge.payment.refresh_from_db()
    return render(
        request,
        "subscriptions/portal/return.html",
        {"charge": charge, "subscription": charge.subscription, "status_labels": _labels()},
    )


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@citizen_required(levels.SPID2)
def charge_notice(request, pk):
    charge = _charge(request, pk)
    if not charge.payment.is_open:
        raise Http404("Not payable")
    return _pdf(render_notice_pdf(charge.payment), f"avviso-{charge.payment.notice_number}.pdf")


@never_cache
@citizen_required(levels.SPID2)
def charge_receipt(request, pk):
    charge = _charge(request, pk)
    if charge.payment.status != "paid":
        raise Http404("Not paid")
    return _pdf(render_receipt_pdf(charge.payment), f"ricevuta-pagamento-{charge.payment.iuv}.pdf")


@never_cache
@citizen_required(levels.SPID2)
def subscription_certificate(request, pk):
    subscription = _subscription(request, pk)
    try:
        year = int(request.GET.get("anno", timezone.localdate().year))
    except ValueError:
        raise Http404("Bad year") from None
    pdf = render_certificate_pdf(subscription, year, selectors.paid_charges(subscription, year))
    return _pdf(pdf, f"attestazione-{subscription.subscriber_fiscal_code}-{year}.pdf")


@require_POST
@citizen_required(levels.SPID2)
def subscription_withdraw(request, pk):
    subscription = _subscription(request, pk)
    try:
        services.subscription_withdraw(subscription=subscription, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise Http404("Not this citizen's subscription") from None
    else:
        messages.success(
            request, _("Iscrizione ritirata: i pagamenti non ancora eseguiti sono stati annullati.")
        )
    return redirect(_detail_url(request, subscription.pk))
