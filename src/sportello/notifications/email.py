from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def sender_for(municipality) -> str:
    """The platform's sending address, shown with the municipality's name."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return (
        formataddr((municipality.name, address)) if municipality is not None else settings.DEFAULT_FROM_EMAIL
    )


def send_templated_email(
    *, to: list[str], template: str, context: dict, language: str, municipality=None
) -> None:
    """Render ``<template>_subject.txt`` and ``<template>.txt`` in ``language`` and send them.

    Called from tasks only: the caller enqueues the task in its own transaction, the worker sends.
    """
    with translation.override(language):
        context = {**context, "municipality": municipality, "platform_name": settings.PLATFORM_NAME}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    reply_to = [municipality.email] if municipality is not None and municipality.email else None
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=sender_for(municipality), to=to, reply_to=reply_to
    )
    message.send()
