"""Personal area: "Preferenze di notifica" (per municipality) and the "App IO (demo)" inbox of the IO sandbox."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sportello.core.urlutils import tenant_reverse
from sportello.identity import levels
from sportello.identity.session import citizen_required
from sportello.notifications.models import Channels
from sportello.notifications.providers import sandbox_enabled
from sportello.notifications.selectors import sandbox_inbox, sandbox_message
from sportello.notifications.services import channels_for, notification_preference_set


class NotificationPreferenceForm(forms.Form):
    channels = forms.ChoiceField(
        label=gettext_lazy("Come vuoi ricevere gli avvisi di questo comune"),
        choices=Channels.choices,
        widget=forms.RadioSelect,
    )


def notification_context(request) -> dict:
    """What the personal area shows about notifications (its section posts to ``notification_preferences``)."""
    channels = channels_for(user=request.user, municipality=request.municipality)
    choice = Channels.BOTH if len(channels) == 2 else channels.pop()
    return {
        "notification_form": NotificationPreferenceForm(initial={"channels": choice}),
        "io_demo": sandbox_enabled(),
    }


@never_cache
@require_POST
@citizen_required(levels.SPID2)
def notification_preferences(request):
    form = NotificationPreferenceForm(request.POST)
    if form.is_valid():
        notification_preference_set(
            user=request.user, municipality=request.municipality, channels=form.cleaned_data["channels"]
        )
        messages.success(request, _("Preferenze di notifica salvate."))
    else:
        messages.error(request, _("Scegli uno dei canali proposti."))
    return redirect(tenant_reverse("portal:personal_area", request.municipality) + "#notifications-title")


def _sandbox_or_404():
    if not sandbox_enabled():
        raise Http404("The IO sandbox is not enabled")


@never_cache
@citizen_required(levels.SPID2)
def io_demo_inbox(request):
    """The IO sandbox's inbox of the logged-in citizen, drawn like the app (demo only, never in production).

    A payment message shows what the app shows: the amount, the notice and its state at pagoPA (the pagoPA
    sandbox's position), a "Paga" button while it is payable, and the message's calls to action.
    """
    _sandbox_or_404()
    items = sandbox_inbox(fiscal_code=request.user.fiscal_code or "", language=request.LANGUAGE_CODE)
    for item in items:
        data = item["received"].content.get("payment_data")
        item["payment_status"] = _notice_status(data) if data else ""
    return render(request, "portal/io_demo_inbox.html", {"items": items})


def _notice_status(data: dict) -> str:
    from sportello.payments.providers.sandbox import sandbox_notice_status

    if "pagopa_sandbox" not in settings.SANDBOX_PROVIDERS:
        return ""
    return sandbox_notice_status(
        creditor_fiscal_code=data["payee"]["fiscal_code"], notice_number=data["notice_number"]
    )


@require_POST
@citizen_required(levels.SPID2)
def io_demo_pay(request, io_id: str):
    """The demo app's "Paga" (from ``payment_data``): pay the notice at the pagoPA sandbox, back to the inbox."""
    from sportello.payments.providers import ProviderError
    from sportello.payments.providers.sandbox import sandbox_checkout_for_notice

    _sandbox_or_404()
    received = sandbox_message(fiscal_code=request.user.fiscal_code or "", io_id=io_id)
    data = (received.content.get("payment_data") if received else None) or None
    if data is None or "pagopa_sandbox" not in settings.SANDBOX_PROVIDERS:
        raise Http404("No payment in this message")
    inbox = request.build_absolute_uri(tenant_reverse("portal:io_demo_inbox", request.municipality))
    try:
        url = sandbox_checkout_for_notice(
            creditor_fiscal_code=data["payee"]["fiscal_code"],
            notice_number=data["notice_number"],
            return_url=inbox,
        )
    except ProviderError:
        messages.error(request, _("Questo avviso non risulta su pagoPA: non si può pagare."))
        return redirect(inbox)
    return redirect(url)
