"""The sandbox's checkout page, a stand-in for pagoPA Checkout (only with the ``pagopa_sandbox`` provider)."""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from .models import PaymentSettings, SandboxPosition
from .providers.sandbox import sandbox_outcome


@require_http_methods(["GET", "POST"])
def checkout(request, pk):
    settings = PaymentSettings.objects.filter(municipality=request.municipality).first()
    if settings is None:
        raise Http404
    position = get_object_or_404(SandboxPosition, pk=pk, creditor_fiscal_code=settings.creditor_fiscal_code)
    if request.method == "POST":
        outcome = request.POST.get("outcome")
        if outcome not in ("paid", "failed", "cancel"):
            raise Http404
        position = sandbox_outcome(position_pk=position.pk, outcome=outcome)
        target = position.return_urls.get({"paid": "ok", "failed": "error", "cancel": "cancel"}[outcome], "")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return HttpResponseRedirect(target)
    return render(request, "payments/sandbox_checkout.html", {"position": position, "settings": settings})
