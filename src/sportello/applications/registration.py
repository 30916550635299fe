"""Out-of-band registration in an external protocol register (P.I.Tre.), never lost and never doubled.

- ``entry_create`` records a ``ProtocolEntry`` and enqueues its task inside the caller's transaction: the entry
  exists exactly when the submission (or message, or outcome) committed.
- ``entry_run`` (the task) claims the entry for a while (a second run waits), commits ``sent_at`` *before* the
  creating call, and on any later run with ``sent_at`` set first searches P.I.Tre. for the entry's unique subject
  (``SearchDocuments``) and adopts what it finds: a timeout after P.I.Tre. accepted, or a worker killed in
  between, never gives a second protocol entry. Attachments are uploaded one by one, each recorded; an upload
  whose outcome is unknown is looked for in the document (``GetDocument``) before being sent again.
- Network errors and 5xx retry with backoff (``core.tasks.retry_later``); a refusal (``Code`` 1) stops and is
  shown to the operator, who can retry by hand (``entry_retry``).
"""

import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sportello.core.tasks import retry_later

from .models import Application, Attachment, Message, ProtocolEntry, ProtocolSettings, ServiceProtocolSettings
from .protocol.pitre import (
    Correspondent,
    PitreClient,
    PitreError,
    file_pis,
    receipt_from_document,
)

logger = logging.getLogger(__name__)

CLAIM = timedelta(minutes=10)


def protocol_settings_for(municipality) -> ProtocolSettings | None:
    return ProtocolSettings.objects.filter(municipality=municipality).first()


def uses_external_register(municipality) -> bool:
    settings = protocol_settings_for(municipality)
    return settings is not None and settings.is_pitre


def registers_correspondence(municipality) -> bool:
    settings = protocol_settings_for(municipality)
    return settings is not None and settings.is_pitre and settings.register_correspondence


def _reference(kind: str, application: Application, message: Message | None) -> str:
    if kind == ProtocolEntry.Kind.MESSAGE:
        return f"SPORTELLO-M{message.pk}"
    if kind == ProtocolEntry.Kind.OUTCOME:
        return f"SPORTELLO-E{application.pk}"
    return f"SPORTELLO-A{application.pk}"


def _subject(kind: str, application: Application, reference: str) -> str:
    service = application.service.name[:200]
    if kind == ProtocolEntry.Kind.MESSAGE:
        what = _("comunicazione sulla domanda n. %(number)s")
    elif kind == ProtocolEntry.Kind.OUTCOME:
        what = _("esito della domanda n. %(number)s")
    else:
        what = _("domanda n. %(number)s")
    return f"{service} - {what % {'number': application.pk}} ({reference})"


def entry_create(*, application: Application, kind: str, direction: str, message: Message | None = None):
    """Record what to register and enqueue its registration (inside the caller's transaction)."""
    from .tasks import protocol_entry_register

    reference = _reference(kind, application, message)
    with translation.override("it"):  # the register's language, whatever the page the citizen used
        subject = _subject(kind, application, reference)
    entry = ProtocolEntry.objects.create(
        municipality=application.municipality,
        application=application,
        message=message,
        kind=kind,
        direction=direction,
        reference=reference,
        subject=subject,
    )
    protocol_entry_register.enqueue(entry_id=entry.pk)
    return entry


@transaction.atomic
def entry_retry(*, entry: ProtocolEntry, user) -> ProtocolEntry:
    """The operator's "Riprova": put a failed or waiting entry back in the queue now."""
    from .services import can_operate
    from .tasks import protocol_entry_register

    entry = ProtocolEntry.objects.select_for_update().select_related("application").get(pk=entry.pk)
    if not can_operate(user, entry.application):
        raise PermissionDenied("Not an operator of this application")
    if entry.status == ProtocolEntry.Status.REGISTERED:
        raise ValidationError(_("Il documento è già protocollato."))
    entry.status = ProtocolEntry.Status.PENDING
    entry.save(update_fields=["status", "updated_at"])
    protocol_entry_register.enqueue(entry_id=entry.pk)
    return entry


# --- the task ---


def _claim(entry_id: int) -> ProtocolEntry | None:
    """Lock the entry for this run; None when there is nothing to do or another run holds it (then re-queued)."""
    from .tasks import protocol_entry_register

    now = timezone.now()
    with transaction.atomic():
        entry = ProtocolEntry.objects.select_for_update().get(pk=entry_id)
        if entry.status == ProtocolEntry.Status.REGISTERED:
            return None
        if entry.claimed_until and entry.claimed_until > now:
            protocol_entry_register.using(run_after=entry.claimed_until).enqueue(entry_id=entry_id)
            return None
        entry.claimed_until = now + CLAIM
        entry.attempts += 1
        entry.save(update_fields=["claimed_until", "attempts", "updated_at"])
    return entry


def _update(entry: ProtocolEntry, **fields) -> None:
    for name, value in fields.items():
        setattr(entry, name, value)
    with transaction.atomic():
        ProtocolEntry.objects.filter(pk=entry.pk).update(**fields, updated_at=timezone.now())


def entry_run(*, entry_id: int, attempt: int = 0) -> None:
    from .tasks import protocol_entry_register

    entry = _claim(entry_id)
    if entry is None:
        return
    try:
        _register(entry)
    except PitreError as error:
        _update(
            entry,
            status=ProtocolEntry.Status.FAILED,
            last_error=_explain(entry, str(error)),
            claimed_until=None,
        )
        logger.warning("Protocol entry %s refused by P.I.Tre.", entry.reference)
    except Exception as error:  # PitreUnavailable (an OSError), other network errors, and the unexpected
        if isinstance(error, OSError):
            reason = _("P.I.Tre. non raggiungibile (%(error)s).") % {"error": error}
            logger.info("Protocol entry %s: P.I.Tre. unavailable", entry.reference)
        else:
            reason = _("Errore imprevisto durante la protocollazione.")
            logger.exception("Protocol entry %s: unexpected error", entry.reference)
        will_retry = retry_later(protocol_entry_register, attempt=attempt, entry_id=entry.pk)
        _update(
            entry,
            status=ProtocolEntry.Status.PENDING if will_retry else ProtocolEntry.Status.FAILED,
            last_error=reason + (" " + _("Nuovo tentativo automatico più tardi.") if will_retry else ""),
            claimed_until=None,
        )
    else:
        _update(entry, claimed_until=None)


def _explain(entry: ProtocolEntry, message: str) -> str:
    """The operator's text for a refusal; the errors that mean a missing setting name the setting."""
    if "FASC_RAPIDA_REQUIRED" in message:
        return _(
            "P.I.Tre. richiede la fascicolazione (FASC_RAPIDA_REQUIRED): indica il «codice del fascicolo» nelle "
            "impostazioni di protocollo del servizio «%(service)s», poi riprova."
        ) % {"service": entry.application.service.name}
    return _("P.I.Tre. ha rifiutato il documento: %(message)s") % {"message": message}


def _register(entry: ProtocolEntry) -> None:
    application = Application.objects.select_related(
        "municipality", "service", "form_version", "applicant"
    ).get(pk=entry.application_id)
    settings = protocol_settings_for(application.municipality)
    if settings is None or not settings.is_pitre:
        raise PitreError(_("il Comune non usa più P.I.Tre. come registro di protocollo"))
    client = PitreClient.from_settings(settings)
    client.authenticate()
    if not entry.document_id:
        document = client.find_by_subject(entry.subject) if entry.sent_at else None
        if document is None:
            _update(entry, sent_at=timezone.now())
            filing = ServiceProtocolSettings.objects.filter(service=application.service).first()
            document = client.create_document(
                document_type=entry.direction,
                subject=entry.subject,
                main_document=_main_document(entry, application),
                code_register=settings.code_register,
                code_rf=settings.code_rf,
                correspondent=_citizen(application),
                code_project=filing.project_code if filing else "",
                classification_scheme=filing.classification_scheme if filing else "",
            )
        receipt = receipt_from_document(document, register=settings.code_register)
        _update(
            entry,
            document_id=receipt.document_id,
            number=receipt.number,
            year=receipt.year,
            registered_at=receipt.registered_at,
            segnatura=receipt.segnatura,
        )
    for attachment in _attachments(entry, application):
        if attachment.pk in entry.uploaded:
            continue
        description = f"{attachment.name} ({entry.reference}-{attachment.pk})"
        if entry.uploading_id != attachment.pk or not _has_attachment(client, entry, description):
            _update(entry, uploading_id=attachment.pk)
            with attachment.file.open("rb") as handle:
                content = handle.read()
            client.upload_file(
                document_id=entry.document_id,
                file=file_pis(attachment.name, content, _mime(attachment.name), description),
                description=description,
            )
        _update(entry, uploaded=[*entry.uploaded, attachment.pk], uploading_id=None)
    _finish(entry, register=settings.code_register)


def _has_attachment(client: PitreClient, entry: ProtocolEntry, description: str) -> bool:
    attachments = client.document(entry.document_id).get("Attachments") or []
    return any(item.get("Description") == description for item in attachments)


@transaction.atomic
def _finish(entry: ProtocolEntry, *, register: str) -> None:
    from .services import application_protocol_registered

    locked = ProtocolEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.status == ProtocolEntry.Status.REGISTERED:
        return
    locked.status = ProtocolEntry.Status.REGISTERED
    locked.last_error = ""
    locked.save(update_fields=["status", "last_error", "updated_at"])
    if locked.kind == ProtocolEntry.Kind.APPLICATION:
        application_protocol_registered(entry=locked, register=register)


def _citizen(application: Application) -> Correspondent:
    from .tasks import _citizen_email

    applicant = application.applicant
    if applicant is not None:
        return Correspondent(
            name=applicant.first_name,
            surname=applicant.last_name,
            fiscal_code=applicant.fiscal_code or "",
            email=applicant.email,
        )
    data = application.data
    first = next((data[k] for k in ("nome", "name") if isinstance(data.get(k), str)), "")
    last = next((data[k] for k in ("cognome", "family_name") if isinstance(data.get(k), str)), "")
    return Correspondent(
        name=first,
        surname=last or application.applicant_name,
        fiscal_code="",
        email=_citizen_email(application),
    )


def _main_document(entry: ProtocolEntry, application: Application) -> dict:
    from .receipts import render_receipt_pdf, render_text_pdf

    if entry.kind == ProtocolEntry.Kind.APPLICATION:
        pdf = render_receipt_pdf(application, language="it")
        return file_pis(f"domanda-{application.pk}.pdf", pdf)
    if entry.kind == ProtocolEntry.Kind.MESSAGE:
        message = entry.message
        title = _("Comunicazione sulla domanda n. %(number)s") % {"number": application.number}
        pdf = render_text_pdf(application, title=title, body=message.body, when=message.created_at)
        return file_pis(f"comunicazione-{message.pk}.pdf", pdf)
    title = _("Esito della domanda n. %(number)s: %(state)s") % {
        "number": application.number,
        "state": application.get_state_display(),
    }
    pdf = render_text_pdf(
        application, title=title, body=application.outcome_motivation, when=application.closed_at
    )
    return file_pis(f"esito-{application.pk}.pdf", pdf)


def _attachments(entry: ProtocolEntry, application: Application) -> list[Attachment]:
    if entry.kind == ProtocolEntry.Kind.MESSAGE:
        return list(entry.message.attachments.all())
    kind = Attachment.Kind.OUTCOME if entry.kind == ProtocolEntry.Kind.OUTCOME else Attachment.Kind.FORM
    return list(application.attachments.filter(kind=kind))


def _mime(name: str) -> str:
    import mimetypes

    return mimetypes.guess_type(name)[0] or "application/octet-stream"


# --- configuration (administrators) ---


def certificate_summary(pem: str) -> str:
    """Subject and expiry of a client certificate (public data), for the administrators' page."""
    from cryptography import x509

    certificate = x509.load_pem_x509_certificate(pem.encode())
    expires = timezone.localtime(certificate.not_valid_after_utc).strftime("%d/%m/%Y")
    return _("%(subject)s, valido fino al %(date)s") % {
        "subject": certificate.subject.rfc4514_string(),
        "date": expires,
    }


def _check_key_pair(certificate_pem: str, key_pem: str) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        certificate = x509.load_pem_x509_certificate(certificate_pem.encode())
    except ValueError:
        raise ValidationError({"certificate": _("Il certificato non è un certificato PEM valido.")}) from None
    try:
        key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    except (ValueError, TypeError):
        raise ValidationError(
            {"key": _("La chiave non è una chiave privata PEM valida (senza password).")}
        ) from None
    pub = serialization.PublicFormat.SubjectPublicKeyInfo
    if certificate.public_key().public_bytes(
        serialization.Encoding.PEM, pub
    ) != key.public_key().public_bytes(serialization.Encoding.PEM, pub):
        raise ValidationError({"key": _("La chiave non corrisponde al certificato.")})


@transaction.atomic
def protocol_settings_save(
    *, municipality, values: dict, certificate: str = "", key: str = "", remove_certificate: bool = False
) -> ProtocolSettings:
    """Save the municipality's register settings; certificate and key change only when given (write-only)."""
    settings = ProtocolSettings.objects.select_for_update().filter(municipality=municipality).first()
    settings = settings or ProtocolSettings(municipality=municipality)
    for name, value in values.items():
        setattr(settings, name, value)
    if remove_certificate:
        settings.client_certificate = settings.client_key = ""
    if certificate or key:
        if not (certificate and key):
            raise ValidationError({"key": _("Carica insieme il certificato e la sua chiave privata.")})
        _check_key_pair(certificate, key)
        settings.client_certificate, settings.client_key = certificate.strip() + "\n", key.strip() + "\n"
    if settings.is_pitre:
        required = {
            "base_url": _("Indica l'indirizzo del servizio P.I.Tre."),
            "code_adm": _("Indica il codice dell'amministrazione."),
            "username": _("Indica l'utente P.I.Tre."),
            "code_register": _("Indica il codice del registro."),
        }
        missing = {name: message for name, message in required.items() if not getattr(settings, name)}
        if missing:
            raise ValidationError(missing)
    settings.full_clean()
    settings.save()
    return settings


@transaction.atomic
def service_protocol_save(
    *, service, classification_scheme: str, project_code: str
) -> ServiceProtocolSettings:
    filing, _created = ServiceProtocolSettings.objects.update_or_create(
        service=service,
        defaults={
            "classification_scheme": classification_scheme.strip(),
            "project_code": project_code.strip(),
        },
    )
    return filing


def protocol_connection_check(*, municipality) -> tuple[bool, str]:
    """ "Verifica connessione": a token and the registers the role sees (``GetRegistersOrRF``)."""
    settings = protocol_settings_for(municipality)
    if settings is None or not settings.is_pitre:
        return False, _("Il Comune usa il registro interno: non c'è nulla da verificare.")
    try:
        client = PitreClient.from_settings(settings)
        client.authenticate()
        registers = client.registers()
    except PitreError as error:
        return False, _("P.I.Tre. ha risposto con un errore: %(error)s") % {"error": error}
    except OSError as error:
        return False, _("P.I.Tre. non raggiungibile (%(error)s).") % {"error": error}
    codes = [r.get("Code") for r in registers if r.get("Code")]
    if settings.code_register not in codes:
        return False, _(
            "Connessione riuscita, ma il registro %(register)s non è tra quelli del ruolo: %(codes)s."
        ) % {
            "register": settings.code_register,
            "codes": ", ".join(codes) or "—",
        }
    return True, _("Connessione riuscita: il ruolo vede i registri %(codes)s.") % {"codes": ", ".join(codes)}
