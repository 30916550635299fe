"""Writes of the notifications domain: preferences, App IO bindings, IO messages (the public API for other apps).

Other domains send a citizen an App IO message with ``io_message_enqueue`` (see docs/architecture.md): it
renders the content within IO's limits, stores one ``IOMessage`` per (citizen, event) and enqueues its delivery
in the caller's transaction. Nothing is sent when the service is not bound to IO or the citizen chose e-mail only.
"""

import re
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .email import _render_text
from .io_content import io_content_render
from .models import (
    Channels,
    EmailDelivery,
    IOAttempt,
    IOBinding,
    IOMessage,
    IOProvider,
    NotificationPreference,
)
from .models import ServiceIOLogEntry as Log
from .providers import sandbox_enabled
from .selectors import io_messages_uncertain_for_staff

LANGUAGES = ("it", "en", "de")
NOTICE_NUMBER = re.compile(r"^[0123][0-9]{17}$")
ORGANIZATION_FISCAL_CODE = re.compile(r"^[0-9]{11}$")


# --- Preferences ---------------------------------------------------------------------------------------------


def channels_for(*, user, municipality) -> set[str]:
    """The channels a citizen wants for this municipality: {"email", "io"} unless they chose one."""
    if user is None:
        return {"email"}
    choice = (
        NotificationPreference.objects.filter(user=user, municipality=municipality)
        .values_list("channels", flat=True)
        .first()
    )
    return {"email", "io"} if choice in (None, Channels.BOTH) else {choice}


@transaction.atomic
def notification_preference_set(*, user, municipality, channels: str) -> NotificationPreference:
    if channels not in Channels.values:
        raise ValidationError({"channels": _("Scegli uno dei canali proposti.")})
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, municipality=municipality, defaults={"channels": channels}
    )
    return preference


def email_delivery_record(*, event_key: str, status: str) -> None:
    EmailDelivery.objects.update_or_create(event_key=event_key, defaults={"status": status})


# --- Service binding and synchronisation ----------------------------------------------------------------------


def io_binding_get(service):
    return IOBinding.objects.filter(service=service).first()


@transaction.atomic
def io_binding_save(
    *, service, actor, io_service_id: str, provider: str, api_key: str, manage_key: str, enabled: bool
) -> IOBinding | None:
    """Save the "Notifiche" step. An empty key keeps the stored one; no service id unbinds the service."""
    from sportello.catalog.models import Service

    io_service_id = io_service_id.strip()
    service = Service.objects.select_for_update().get(pk=service.pk)
    binding = IOBinding.objects.filter(service=service).first()
    if not io_service_id:
        if binding is not None:
            binding.delete()
            Log.objects.create(
                service=service,
                actor=actor,
                kind=Log.Kind.CONFIGURED,
                detail=_("Servizio scollegato da App IO."),
            )
        Service.objects.filter(pk=service.pk).update(io_service_id="")
        return None
    if provider not in IOProvider.values or (provider == IOProvider.SANDBOX and not sandbox_enabled()):
        raise ValidationError({"provider": _("Questo fornitore non è disponibile in questa installazione.")})
    binding = binding or IOBinding(service=service)
    binding.provider, binding.enabled = provider, enabled
    if api_key:
        binding.api_key = api_key.strip()
    if manage_key:
        binding.manage_key = manage_key.strip()
    if not binding.api_key:
        raise ValidationError({"api_key": _("Indica la chiave API del servizio su App IO.")})
    binding.full_clean(exclude=["service"])
    binding.save()
    Service.objects.filter(pk=service.pk).update(io_service_id=io_service_id)
    Log.objects.create(
        service=service,
        actor=actor,
        kind=Log.Kind.CONFIGURED,
        detail=_("ID %(id)s, fornitore %(provider)s.")
        % {"id": io_service_id, "provider": binding.get_provider_display()},
    )
    return binding


@transaction.atomic
def io_service_sync(*, service, actor=None, reason: str = "") -> Log:
    """Queue the publication of name, description and contacts to the service's IO registration."""
    from .tasks import io_service_sync_run

    if not service.io_service_id or io_binding_get(service) is None:
        raise ValidationError(_("Il servizio non è collegato ad App IO."))
    entry = Log.objects.create(service=service, actor=actor, kind=Log.Kind.SYNC_QUEUED, detail=reason)
    io_service_sync_run.enqueue(service_id=service.pk, entry_id=entry.pk)
    return entry


def service_renamed_receiver(sender, *, service, old_name: str, actor=None, **kwargs) -> None:
    """catalog's ``service_renamed`` (inside the rename's transaction): record the warning, update IO."""
    if not service.io_service_id or io_binding_get(service) is None:
        return
    Log.objects.create(
        service=service,
        actor=actor,
        kind=Log.Kind.RENAME_WARNING,
        detail=_("«%(old)s» → «%(new)s»") % {"old": old_name, "new": service.name},
    )
    io_service_sync(service=service, actor=actor, reason=_("Cambio del nome"))


def io_service_payload(service, current: dict) -> dict:
    """``CmsServicePayload``: IO's current registration with our name, description and contacts."""
    from sportello.core.urlutils import absolute_url, tenant_reverse

    metadata = dict(current.get("metadata") or {})
    topic = metadata.pop("topic", None) or {}
    metadata.setdefault("scope", "LOCAL")
    metadata["topic_id"] = metadata.get("topic_id") or topic.get("id") or 0
    municipality = service.municipality
    contacts = {
        "email": service.office_email or municipality.email,
        "phone": service.office_phone or municipality.phone,
        "address": service.office_address or municipality.address,
        "pec": municipality.pec,
        "web_url": absolute_url(
            tenant_reverse("portal:service_detail", municipality, lang="it", service_slug=service.slug)
        ),
        "privacy_url": municipality.privacy_url,
    }
    metadata.update({key: value for key, value in contacts.items() if value})
    organization = current.get("organization") or {
        "name": municipality.name,
        "fiscal_code": municipality.fiscal_code,
    }
    payload = {
        "name": service.name,
        "description": service.short_description or service.name,
        "organization": organization,
        "metadata": metadata,
    }
    for key in (
        "require_secure_channel",
        "authorized_recipients",
        "authorized_cidrs",
        "max_allowed_payment_amount",
    ):
        if key in current:
            payload[key] = current[key]
    return payload


# --- Messages --------------------------------------------------------------------------------------------------


def _per_language(value) -> dict:
    if isinstance(value, dict):
        return {lang: text for lang, text in value.items() if lang in LANGUAGES and text}
    return {"it": value}


def _footer(service, language: str) -> str:
    with translation.override(language):
        return _(
            "Messaggio inviato da %(municipality)s per il servizio «%(service)s» tramite %(platform)s. "
            "Per i dettagli accedi alla tua area personale sul sito del comune."
        ) % {
            "municipality": service.municipality.name,
            "service": service.name,
            "platform": settings.PLATFORM_NAME,
        }


def _payment_data_clean(payment_data: dict) -> dict:
    amount = payment_data.get("amount")
    notice = str(payment_data.get("notice_number", ""))
    payee = str(payment_data.get("payee_fiscal_code", ""))
    if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= 9999999999:
        raise ValidationError("payment_data.amount must be an integer number of cents, 1-9999999999")
    if not NOTICE_NUMBER.match(notice):
        raise ValidationError("payment_data.notice_number must match ^[0123][0-9]{17}$")
    if not ORGANIZATION_FISCAL_CODE.match(payee):
        raise ValidationError("payment_data.payee_fiscal_code must be the 11-digit fiscal code of the payee")
    cleaned = {"amount": amount, "notice_number": notice, "payee_fiscal_code": payee}
    cleaned["invalid_after_due_date"] = bool(payment_data.get("invalid_after_due_date", False))
    if payment_data.get("checkout_url"):
        cleaned["checkout_url"] = str(payment_data["checkout_url"])  # Sportello's own: never sent to IO
    return cleaned


@transaction.atomic
def io_message_enqueue(
    *,
    user,
    service,
    event_key: str,
    subject,
    markdown,
    due_date: datetime | None = None,
    payment_data: dict | None = None,
    ctas: dict | None = None,
    fallback_email: dict | None = None,
) -> IOMessage | None:
    """Send ``user`` an App IO message for ``event_key`` once; None when it does not go to IO.

    ``subject`` and ``markdown`` are a string (Italian) or ``{"it": ..., "en": ..., "de": ...}``; the citizen's
    IO language picks one at delivery. ``payment_data``: ``amount`` (cents), ``notice_number``,
    ``payee_fiscal_code``, optional ``invalid_after_due_date`` and ``checkout_url`` (Sportello's own page where
    the notice is paid; kept here, never sent to IO). ``ctas``: ``{"it": [(text, https address)], ...}``, the
    message's buttons (IO's Markdown front matter, in every language of the message).
    ``fallback_email`` (from ``email_fallback_render``): the e-mail sent instead, once, if IO refuses the
    message (no profile, ``sender_allowed`` false, service not allowed); stored with the message, in this
    transaction, so the delivery task always finds it.
    Calling it again for the same user and event returns the first message and sends nothing more.
    """
    from .tasks import io_message_deliver

    binding = io_binding_get(service)
    if binding is None or not binding.enabled or not service.io_service_id or not user.fiscal_code:
        return None
    if "io" not in channels_for(user=user, municipality=service.municipality):
        return None
    if due_date is not None and due_date.tzinfo is None:
        raise ValidationError("due_date must be an aware datetime")
    payment = _payment_data_clean(payment_data) if payment_data else None
    subjects, bodies = _per_language(subject), _per_language(markdown)
    contents = {
        lang: io_content_render(
            subject=subjects.get(lang) or subjects.get("it", ""),
            markdown=bodies.get(lang) or bodies.get("it", ""),
            footer=_footer(service, lang),
            fallback_subject=service.name,
            ctas=ctas,
        )
        for lang in LANGUAGES
        if lang in subjects or lang in bodies or lang == "it"
    }
    message, created = IOMessage.objects.get_or_create(
        user=user,
        event_key=event_key[:120],
        defaults={
            "municipality": service.municipality,
            "service": service,
            "fiscal_code": user.fiscal_code,
            "contents": contents,
            "due_date": due_date,
            "payment_data": payment,
            "fallback_email": fallback_email,
        },
    )
    if created:
        io_message_deliver.enqueue(message_id=message.pk)
    return message


def io_texts_render(template: str, context: dict) -> tuple[dict, dict]:
    """``({lang: subject}, {lang: body})`` of an e-mail template in every language, for the App IO message of the
    same event (one wording per event, whatever the channel). The context gets ``io=True``."""
    subjects, bodies = {}, {}
    context = {**context, "io": True, "platform_name": settings.PLATFORM_NAME}
    for lang in LANGUAGES:
        with translation.override(lang):
            subjects[lang] = " ".join(_render_text(f"{template}_subject.txt", context).split())
            bodies[lang] = _render_text(f"{template}.txt", context)
    return subjects, bodies


def citizen_notify(
    *,
    user,
    municipality,
    service,
    event_key: str,
    template: str,
    context: dict,
    email: str | None = None,
    language: str | None = None,
    attachments=(),
    due_date: datetime | None = None,
    payment_data: dict | None = None,
    ctas: dict | None = None,
) -> dict:
    """One citizen-facing event on the channels the citizen chose for this municipality (called from tasks).

    E-mail (``template``, with ``attachments``) and App IO (the same template's text, with ``due_date``,
    ``payment_data`` and ``ctas``), each recorded under ``event_key`` for the operator. A citizen who chose
    App IO only still gets the e-mail when this event cannot go to IO (service not bound to IO, no fiscal
    code): a preference never makes a notice vanish. ``email`` defaults to the user's address.
    Safe to call again for the same event (a retried task): the IO message exists once.
    """
    from .email import send_templated_email

    channels = channels_for(user=user, municipality=municipality)
    context = {**context, "municipality": municipality}
    result = {"io": None, "email": None}
    address = email if email is not None else (user.email if user is not None else "")
    language = language or (user.language if user is not None else "it")
    if "io" in channels and user is not None and service is not None:
        subjects, bodies = io_texts_render(template, context)
        fallback = None
        if "email" not in channels and address:  # IO only: the e-mail waits in case IO refuses the message
            fallback = email_fallback_render(
                to=address,
                template=template,
                context=context,
                language=language,
                municipality=municipality,
                attachments=attachments,
            )
        result["io"] = io_message_enqueue(
            user=user,
            service=service,
            event_key=event_key,
            subject=subjects,
            markdown=bodies,
            due_date=due_date,
            payment_data=payment_data,
            ctas=ctas,
            fallback_email=fallback,
        )
    if "email" not in channels and result["io"] is not None:
        result["email"] = EmailDelivery.Status.NOT_WANTED
    elif address:
        send_templated_email(
            to=[address],
            template=template,
            language=language,
            municipality=municipality,
            context=context,
            attachments=attachments,
        )
        result["email"] = EmailDelivery.Status.SENT
    else:
        result["email"] = EmailDelivery.Status.NO_ADDRESS
    if result["email"] == EmailDelivery.Status.NOT_WANTED:
        # not over a fallback already sent (a retried task): the operator must see what really happened
        EmailDelivery.objects.get_or_create(event_key=event_key, defaults={"status": result["email"]})
    else:
        email_delivery_record(event_key=event_key, status=result["email"])
    return result


def email_fallback_render(
    *, to: str, template: str, context: dict, language: str, municipality, attachments=()
):
    """The e-mail of a notice, rendered now and kept with its IO message (JSON): sent if IO refuses it."""
    import base64

    from .email import render_templated_email

    subject, body = render_templated_email(
        template=template, context=context, language=language, municipality=municipality
    )
    return {
        "to": [to],
        "subject": subject,
        "body": body,
        "attachments": [
            [
                name,
                base64.b64encode(content if isinstance(content, bytes) else content.encode()).decode(),
                mimetype,
            ]
            for name, content, mimetype in attachments
        ],
    }


def booking_notify(
    *,
    user,
    municipality,
    service,
    event_key: str,
    template: str,
    context: dict,
    start: datetime,
    email: str | None = None,
    language: str | None = None,
    attachments=(),
    manage_url: str = "",
) -> dict:
    """A booking's notice (appointment or room: confirmation, change, reminder) on the citizen's channels.

    The App IO message carries ``due_date`` = ``start`` (the app offers to add a reminder) and, while the
    booking can still be changed, a "Gestisci la prenotazione" call to action to ``manage_url``.
    """
    ctas = None
    if manage_url:
        ctas = {}
        for lang in LANGUAGES:
            with translation.override(lang):
                ctas[lang] = [(_("Gestisci la prenotazione"), manage_url)]
    return citizen_notify(
        user=user,
        municipality=municipality,
        service=service,
        event_key=event_key,
        template=template,
        context=context,
        email=email,
        language=language,
        attachments=attachments,
        due_date=start,
        ctas=ctas,
    )


def application_event_io_enqueue(*, event, url: str) -> IOMessage | None:
    """The App IO message of a citizen-facing application event (state change, integration request)."""
    application = event.application
    if application.applicant is None:
        return None
    subjects, bodies = {}, {}
    context = {
        "application": application,
        "event": event,
        "url": url,
        "municipality": application.municipality,
        "platform_name": settings.PLATFORM_NAME,
    }
    for lang in LANGUAGES:  # the e-mail's own text: one wording per event, whatever the channel
        with translation.override(lang):
            subjects[lang] = " ".join(_render_text("emails/application_event_subject.txt", context).split())
            bodies[lang] = _render_text("emails/application_event.txt", context)
    return io_message_enqueue(
        user=application.applicant,
        service=application.service,
        event_key=f"application-event:{event.pk}",
        subject=subjects,
        markdown=bodies,
    )


# --- Uncertain deliveries, resolved by staff -------------------------------------------------------------------

IO_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


@transaction.atomic
def io_message_resolve(*, message, actor, action: str, io_id: str = "", note: str = "") -> IOMessage:
    """An operator settles an uncertain delivery: ``delivered`` (IO has it; optionally its message id, which
    the periodic reconciliation then checks) or ``resend`` (IO never got it: sent again, once, by the task).

    Only an uncertain message can be resolved, under a row lock: two staff members clicking at once resolve it
    once. Recorded as an ``IOAttempt`` ("manual") with who and why.
    """
    from .tasks import io_message_deliver

    allowed = io_messages_uncertain_for_staff(user=actor, municipality=message.municipality)
    message = allowed.select_for_update(of=("self",)).filter(pk=message.pk).first()
    if message is None:
        raise ValidationError(_("Questo invio non è più da verificare."))
    io_id, note = io_id.strip(), note.strip()[:500]
    if action == "delivered":
        if io_id and not IO_ID.match(io_id):
            raise ValidationError({"io_id": _("L'identificativo del messaggio App IO non è valido.")})
        fields = {
            "status": IOMessage.Status.ACCEPTED,
            "io_id": io_id,
            "sent_at": message.sent_at or timezone.now(),
        }
        outcome = "marked_delivered"
    elif action == "resend":
        fields = {"status": IOMessage.Status.PENDING, "io_id": "", "idempotency_key": None}
        outcome = "resend"
    else:
        raise ValidationError(_("Azione sconosciuta."))
    IOMessage.objects.filter(pk=message.pk).update(error="", updated_at=timezone.now(), **fields)
    IOAttempt.objects.create(message=message, operation="manual", outcome=outcome, actor=actor, error=note)
    if action == "resend":
        io_message_deliver.enqueue(message_id=message.pk)
    message.refresh_from_db()
    return message
