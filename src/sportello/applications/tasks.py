from django.db import transaction
from django_tasks import task

from sportello.core.tasks import retrying
from sportello.core.urlutils import absolute_url, tenant_reverse
from sportello.notifications.email import send_templated_email

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
    if event.transition in CITIZEN_FACING and _citizen_email(application):
        send_templated_email(
            to=[_citizen_email(application)],
            template="emails/application_event",
            language=_citizen_language(application),
            municipality=application.municipality,
            context={"application": application, "event": event, "url": _citizen_url(application)},
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
    if message.from_office:
        recipient, url = application.applicant, _citizen_url(application)
        if recipient is None:
            return  # anonymous applicants have no personal area to read and answer messages in
        recipient = application.assigned_to
        url = _staff_url(application, recipient.language) if recipient else ""
    if recipient is None or not recipient.email:
        return
    send_templated_email(
        to=[recipient.email],
        template="emails/application_message",
        language=recipient.language,
        municipality=application.municipality,
        context={"application": application, "message": message, "url": url},
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
            email = _citizen_email(application)
            send_templated_email(
                to=[email] if email else [],
                template="emails/application_receipt",
                language=_citizen_language(application),
                municipality=application.municipality,
                context={"application": application, "url": _citizen_url(application)},
                attachments=[(receipt.name, pdf, "application/pdf")],
            )


@task()
def protocol_entry_register(*, entry_id: int, attempt: int = 0) -> None:
    """Register one ``ProtocolEntry`` in the municipality's external register (``registration.entry_run``)."""
    from .registration import entry_run

    entry_run(entry_id=entry_id, attempt=attempt)
