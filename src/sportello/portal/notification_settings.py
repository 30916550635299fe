"""Personal area: "Preferenze di notifica" (per municipality) and the "App IO (demo)" inbox of the IO sandbox."""

from django import forms
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
from sportello.notifications.selectors import sandbox_inbox
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


@never_cache
@citizen_required(levels.SPID2)
def io_demo_inbox(request):
    """The IO sandbox's inbox of the logged-in citizen, drawn like the app (demo only, never in production)."""
    if not sandbox_enabled():
        raise Http404("The IO sandbox is not enabled")
    return render(
        request,
        "portal/io_demo_inbox.html",
        {"items": sandbox_inbox(fiscal_code=request.user.fiscal_code or "")},
    )
