from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Engine
from django.template.backends.django import get_installed_libraries
from django.utils import translation

_text_engine = None


def _render_text(template_name: str, context: dict) -> str:
    """Plain-text e-mails are rendered without HTML autoescaping (an apostrophe stays an apostrophe)."""
    global _text_engine
    if _text_engine is None:
        _text_engine = Engine(app_dirs=True, autoescape=False, libraries=get_installed_libraries())
    return _text_engine.get_template(template_name).render(Context(context, autoescape=False))


def sender_for(municipality) -> str:
    """The platform's sending address, shown with the municipality's name."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return (
        formataddr((municipality.name, address)) if municipality is not None else settings.DEFAULT_FROM_EMAIL
    )


def render_templated_email(
    *, template: str, context: dict, language: str, municipality=None
) -> tuple[str, str]:
    """``(subject, body)`` of ``<template>_subject.txt`` and ``<template>.txt`` rendered in ``language``."""
    with translation.override(language):
        context = {**context, "municipality": municipality, "platform_name": settings.PLATFORM_NAME}
        subject = " ".join(_render_text(f"{template}_subject.txt", context).split())
        body = _render_text(f"{template}.txt", context)
    return subject, body


def send_email(*, to: list[str], subject: str, body: str, municipality=None, attachments=()) -> None:
    """Send an e-mail already rendered, from the platform's address in the municipality's name."""
    reply_to = [municipality.email] if municipality is not None and municipality.email else None
    if not to:
        return
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=sender_for(municipality), to=to, reply_to=reply_to
    )
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.send()


def send_templated_email(
    *, to: list[str], template: str, context: dict, language: str, municipality=None, attachments=()
) -> None:
    """Render ``<template>_subject.txt`` and ``<template>.txt`` in ``language`` and send them.

    Called from tasks only: the caller enqueues the task in its own transaction, the worker sends.
    """
    subject, body = render_templated_email(
        template=template, context=context, language=language, municipality=municipality
    )
    send_email(to=to, subject=subject, body=body, municipality=municipality, attachments=attachments)
