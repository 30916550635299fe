from django.db import transaction
from django_tasks import task

from sportello.core.tasks import retrying
from sportello.core.urlutils import absolute_url, tenant_reverse
from sportello.notifications.email import send_templated_email
from sportello.notifications.services import citizen_notify

CITIZEN_FACING = {
    "submit",
    "register",
    "take_charge",
    "request_integration",
    "accept",
    "reject",
    "withdraw",
    "cancel",
}

# Told to the office (the assignee, else the service's operators): the deferred payment's outcome.
OFFICE_NOTICES = {"payment_received", "payment_received_late", "payment_not_received"}


def _citizen_url(application) -> str:
    if application.applicant is None:
        return ""
    return absolute_url(
        tenant_reverse(
            "portal:application_detail",
            application.municipality,
            lang=application.applicant.language,
            pk=application.pk,
        )
    )


def _citizen_email(application) -> str:
    if application.applicant is not None:
        return application.applicant.email
    emails = [v for k, v in application.data.items() if "mail" in k and isinstance(v, str) and "@" in v]
    return emails[0] if emails else ""


def _citizen_language(application) -> str:
    return application.applicant.language if application.applicant else "it"


def _staff_url(application, language) -> str:
    return absolute_url(
        tenant_reverse(
            "backoffice:application_detail", application.municipality, lang=language, pk=application.pk
        )
    )


@task()
@retrying
def application_notify(*, event_id: int) -> None:
    """E-mail the citizen about a transition that concerns them; the operator when the citizen acted."""
    from .models import ApplicationEvent

    event = ApplicationEvent.objects.select_related(
        "application__applicant",
        "application__municipality",
        "application__service",
        "application__assigned_to",
    ).get(pk=event_id)
    application = event.application
    if event.transition in CITIZEN_FACING:
        _citizen_event_notify(application, event)
    elif event.transition in OFFICE_NOTICES:
        for operator in _office(application):
            if operator.email:
                send_templated_email(
                    to=[operator.email],
                    template="emails/application_payment_office",
                    language=operator.language,
                    municipality=application.municipality,
                    context={
                        "application": application,
                        "event": event,
                        "url": _staff_url(application, operator.language),
                    },
                )
    elif (
        event.transition == "answer_integration" and application.assigned_to and application.assigned_to.email
    ):
        operator = application.assigned_to
        send_templated_email(
            to=[operator.email],
            template="emails/application_integration_received",
            language=operator.language,
            municipality=application.municipality,
            context={"application": application, "url": _staff_url(application, operator.language)},
        )


def _citizen_event_notify(application, event) -> None:
    """E-mail and App IO, each as the citizen's notification preference for this municipality says."""
    citizen_notify(
        user=application.applicant,
        municipality=application.municipality,
        service=application.service,
        event_key=f"application-event:{event.pk}",
        template="emails/application_event",
        context={"application": application, "event": event, "url": _citizen_url(application)},
        email=_citizen_email(application),
        language=_citizen_language(application),
    )


@task()
@retrying
def application_message_notify(*, message_id: int) -> None:
    from .models import Message

    message = Message.objects.select_related(
        "application__applicant",
        "application__municipality",
        "application__service",
        "application__assigned_to",
    ).get(pk=message_id)
    application = message.application
    if message.internal:
        return  # a note among staff: nobody is e-mailed
    if message.from_office:
        # Anonymous applicants have no personal area to read and answer messages in.
        if application.applicant is not None:
            citizen_notify(  # e-mail and/or App IO, as the citizen chose
                user=application.applicant,
                municipality=application.municipality,
                service=application.service,
                event_key=f"application-message:{message.pk}",
                template="emails/application_message",
                context={"application": application, "message": message, "url": _citizen_url(application)},
            )
        return
    for operator in _office(application):
        _message_email(message, operator, _staff_url(application, operator.language))


def _office(application) -> list:
    """Who hears of the citizen's news: the operator handling it, else every operator enabled on the service."""
    if application.assigned_to:
        return [application.assigned_to]
    return list(application.service.operators.filter(is_active=True))


def _message_email(message, recipient, url: str) -> None:
    if not recipient.email:
        return
    send_templated_email(
        to=[recipient.email],
        template="emails/application_message",
        language=recipient.language,
        municipality=message.application.municipality,
        context={"application": message.application, "message": message, "url": url},
    )


@task()
@retrying
def application_receipt_send(*, application_id: int) -> None:
    """Render the PDF receipt, keep it with the application and e-mail it to the citizen (once)."""
    from django.core.files.base import ContentFile

    from .models import Application, Attachment
    from .receipts import render_receipt_pdf

    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("applicant", "municipality", "service", "form_version")
            .get(pk=application_id)
        )
        receipt = application.attachments.filter(kind=Attachment.Kind.RECEIPT).first()
        if receipt is None:
            import hashlib

            pdf = render_receipt_pdf(application, language=_citizen_language(application))
            receipt = Attachment(
                application=application,
                kind=Attachment.Kind.RECEIPT,
                name=f"ricevuta-{application.number.replace('/', '-')}.pdf",
                size=len(pdf),
                sha256=hashlib.sha256(pdf).hexdigest(),
            )
            receipt.file.save(receipt.name, ContentFile(pdf), save=False)
            receipt.save()
            citizen_notify(  # the PDF by e-mail, a notice on App IO, as the citizen chose
                user=application.applicant,
                municipality=application.municipality,
                service=application.service,
                event_key=f"application-receipt:{application.pk}",
                template="emails/application_receipt",
                context={"application": application, "url": _citizen_url(application)},
                email=_citizen_email(application),
                language=_citizen_language(application),
                attachments=[(receipt.name, pdf, "application/pdf")],
            )


@task()
def anonymous_drafts_purge() -> int:
    """Delete anonymous drafts left untouched for ``ANONYMOUS_DRAFT_MAX_AGE_HOURS`` and their files (idempotent).

    Nobody can resume them after their browser session is gone, and crawlers must not fill the database.
    """
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from .models import Application, Attachment
    from .states import State

    limit = timezone.now() - timedelta(hours=settings.ANONYMOUS_DRAFT_MAX_AGE_HOURS)
    stale = Application.objects.filter(applicant__isnull=True, state=State.DRAFT, updated_at__lt=limit)
    purged = 0
    for pk in stale.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            application = stale.select_for_update(of=("self",)).filter(pk=pk).first()
            if application is None:  # resumed meanwhile, or purged by another run
                continue
            files = [a.file for a in Attachment.objects.filter(application=application)]
            application.delete()  # its attachments' rows go with it
            transaction.on_commit(lambda files=files: [f.delete(save=False) for f in files])
            purged += 1
    return purged


@task()
def protocol_entry_register(*, entry_id: int, attempt: int = 0) -> None:
    """Register one ``ProtocolEntry`` in the municipality's external register (``registration.entry_run``)."""
    from .registration import entry_run

    entry_run(entry_id=entry_id, attempt=attempt)


@task()
def statistics_refresh_all() -> None:
    """Periodic (``settings.PERIODIC_TASKS``): recompute the statistics of every municipality."""
    from sportello.municipalities.models import Municipality

    from .services import statistics_refresh

    for municipality in Municipality.objects.order_by("pk"):
        statistics_refresh(municipality=municipality)
