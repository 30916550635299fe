"""Reads of the notifications domain for the interfaces."""

from .models import EmailDelivery, IOMessage, SandboxIOMessage, ServiceIOLogEntry


def io_log_for_service(*, service, limit: int = 20):
    return ServiceIOLogEntry.objects.filter(service=service).select_related("actor")[:limit]


def _deliveries(keys: dict) -> dict:
    """``{value: [(channel, status label, ok)]}`` for ``{event_key: value}``."""
    result = {value: [] for value in keys.values()}
    for delivery in EmailDelivery.objects.filter(event_key__in=keys):
        ok = delivery.status in (EmailDelivery.Status.SENT, EmailDelivery.Status.FALLBACK)
        result[keys[delivery.event_key]].append(("E-mail", delivery.get_status_display(), ok))
    for message in IOMessage.objects.filter(event_key__in=keys):
        ok = message.status == IOMessage.Status.ACCEPTED
        label = message.get_status_display()
        if message.io_status:
            label = f"{label} ({message.io_status})"
        result[keys[message.event_key]].append(("App IO", label, ok))
    return result


def deliveries_for_application_events(events) -> dict:
    """``{event_pk: [(channel label, status label, ok)]}`` for the operator's history of an application."""
    return _deliveries({f"application-event:{event.pk}": event.pk for event in events})


def deliveries_for_application_notices(application) -> list[tuple[str, list]]:
    """The application's other citizen notices (receipt, office messages, payment requests) and how each
    went, oldest first: ``[(what, [(channel, status label, ok)])]``; only notices that were sent."""
    from django.utils.translation import gettext as _

    keys = {f"application-receipt:{application.pk}": ("0", _("Ricevuta"))}
    for pk in application.messages.filter(from_office=True, internal=False).values_list("pk", flat=True):
        keys[f"application-message:{pk}"] = (f"1-{pk:012d}", _("Messaggio dell'ufficio"))
    for pk in application.payments.values_list("pk", flat=True):
        keys[f"payment-request:{pk}"] = (f"2-{pk:012d}", _("Richiesta di pagamento"))
    found = _deliveries(keys)
    return [(what, found[(order, what)]) for order, what in sorted(found) if found[(order, what)]]


def io_messages_uncertain_for_staff(*, user, municipality):
    """The "to be verified" messages a staff member may resolve: administrators all of the municipality's,
    operators those of the services they are enabled on."""
    from sportello.accounts.roles import Role, has_role

    messages = IOMessage.objects.filter(municipality=municipality, status=IOMessage.Status.UNCERTAIN)
    if not has_role(user, municipality, Role.ADMIN):
        messages = messages.filter(service__operators=user)
    return messages


def io_uncertain_count(*, user, municipality) -> int:
    """How many App IO deliveries this staff member has to verify (the dashboard's card)."""
    return io_messages_uncertain_for_staff(user=user, municipality=municipality).count()


def sandbox_inbox(*, fiscal_code: str, language: str = "it", limit: int = 50) -> list[dict]:
    """The demo citizen's "App IO (demo)" inbox, newest first, with the Sportello message each came from.

    As the app does, the Markdown's front matter becomes buttons (``ctas``, in ``language`` or Italian) and
    is not shown as text (``body``).
    """
    from .io_content import cta_parse

    received = list(SandboxIOMessage.objects.filter(fiscal_code=fiscal_code)[:limit])
    origins = {
        m.io_id: m
        for m in IOMessage.objects.filter(io_id__in=[r.io_id for r in received]).select_related(
            "service__municipality"
        )
    }
    items = []
    for r in received:
        ctas, body = cta_parse(r.content.get("markdown", ""))
        items.append(
            {
                "received": r,
                "origin": origins.get(r.io_id),
                "body": body,
                "ctas": ctas.get(language) or ctas.get("it") or [],
                "amount": _euros((r.content.get("payment_data") or {}).get("amount")),
            }
        )
    return items


def sandbox_message(*, fiscal_code: str, io_id: str):
    """One message of a demo citizen's IO sandbox inbox, or None (never another fiscal code's)."""
    return (
        SandboxIOMessage.objects.filter(io_id=io_id, fiscal_code=fiscal_code).first() if fiscal_code else None
    )


def _euros(cents) -> str:
    from decimal import Decimal

    from django.utils.formats import number_format

    return number_format(Decimal(cents) / 100, 2, use_l10n=True, force_grouping=True) if cents else ""
