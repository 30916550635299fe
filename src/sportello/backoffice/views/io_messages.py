"""App IO deliveries to verify: messages whose send was interrupted after calling IO (status "uncertain").

IO has no idempotency key, so the task never resends them by itself; a staff member decides: "Segna come
consegnato" (IO has it, e.g. the citizen saw it; optionally with IO's message id) or "Invia di nuovo".
Administrators see every message of the municipality, operators those of the services they are enabled on.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sportello.core.urlutils import tenant_reverse
from sportello.notifications import services as notifications

from ..decorators import operator_required


@operator_required
def io_uncertain_list(request):
    uncertain = (
        notifications.io_messages_uncertain_for_staff(user=request.user, municipality=request.municipality)
        .select_related("service", "user")
        .prefetch_related("attempts")
        .order_by("-updated_at", "-pk")[:200]
    )
    return render(request, "backoffice/io_uncertain.html", {"uncertain": uncertain})


@require_POST
@operator_required
def io_message_resolve(request, pk: int):
    message = (
        notifications.io_messages_uncertain_for_staff(user=request.user, municipality=request.municipality)
        .filter(pk=pk)
        .first()
    )
    if message is None:
        raise Http404("No such message to verify")
    try:
        notifications.io_message_resolve(
            message=message,
            actor=request.user,
            action=request.POST.get("azione", ""),
            io_id=request.POST.get("io_id", ""),
            note=request.POST.get("nota", ""),
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        if request.POST.get("azione") == "resend":
            messages.success(request, _("Messaggio rimesso in coda: sarà inviato di nuovo ad App IO."))
        else:
            messages.success(request, _("Invio segnato come consegnato ad App IO."))
    return redirect(tenant_reverse("backoffice:io_uncertain_list", request.municipality))
