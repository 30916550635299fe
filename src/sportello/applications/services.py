"""Writes on applications. Every state change goes through ``_fire``, which consults the transition table,
checks who may act, locks the row, records the event and enqueues the e-mail in the same transaction."""

import hashlib
import json
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from sportello.catalog.models import Service
from sportello.catalog.visibility import can_start, effective_status
from sportello.formschema import build_form_class, iter_fields

from . import registration, states
from .models import (
    Application,
    ApplicationEvent,
    Attachment,
    Message,
    ProtocolEntry,
    StatisticsRow,
    StatisticsSnapshot,
)
from .protocol import get_provider
from .selectors import application_draft_get
from .signals import application_transitioned
from .states import Actor, State
from .tasks import OFFICE_NOTICES, application_notify, application_receipt_send


class TransitionNotAllowed(ValidationError):
    pass


class RateLimited(ValidationError):
    pass


def can_operate(user, application: Application) -> bool:
    """Staff who may handle this application (the rule of ``ApplicationQuerySet.handled_by``)."""
    return Application.objects.handled_by(user, application.municipality).filter(pk=application.pk).exists()


def _check_actor(user, application: Application, actor: str) -> None:
    if actor == Actor.CITIZEN and application.applicant_id != getattr(user, "pk", None):
        raise PermissionDenied(
            "Not the applicant"
        )  # anonymous applications: the view checks session ownership
    if actor == Actor.OPERATOR and not can_operate(user, application):
        raise PermissionDenied("Not an operator of this service")


def _fire(application: Application, name: str, *, user=None, actor: str, motivation: str = "", notify=True):
    """Apply transition ``name`` to the locked row; disallowed transitions raise and change nothing."""
    transition = states.TRANSITIONS[name]
    if actor != Actor.SYSTEM:
        _check_actor(user, application, actor)
    if not states.allowed(name, application.state, actor):
        raise TransitionNotAllowed(
            _("Operazione non consentita: la pratica è nello stato «%(state)s».")
            % {"state": State(application.state).label},
            code="transition",
        )
    motivation = (motivation or "").strip()
    if transition.needs_motivation and not motivation:
        raise ValidationError({"motivation": _("Indica la motivazione.")})
    target = transition.target or application.state  # a transition without a target only records the event
    event = ApplicationEvent.objects.create(
        application=application,
        actor=user if actor != Actor.SYSTEM else None,
        actor_kind=actor,
        transition=name,
        from_state=application.state,
        to_state=target,
        motivation=motivation,
    )
    changed = target != application.state
    application.state = target
    if changed and target in states.FINAL_STATES:
        application.closed_at = timezone.now()
    application.save()
    application_transitioned.send(sender=Application, application=application, event=event)
    if notify:
        application_notify.enqueue(event_id=event.pk)
    return event


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("service", "municipality", "form_version", "applicant")
        .get(pk=application.pk)
    )


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _store_files(application, files, *, kind, user, message=None, field_key="") -> list[Attachment]:
    stored = []
    for upload in files:
        attachment = Attachment(
            application=application,
            message=message,
            kind=kind,
            field_key=field_key,
            name=upload.name[:255],
            size=upload.size,
            sha256=_sha256(upload),
            uploaded_by=user,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


# --- citizen ---


@transaction.atomic
def _anonymous_limit(*, service: Service, origin: str, since_field: str, limit: int) -> None:
    """At most ``limit`` anonymous applications per address and service per hour (counted on ``since_field``)."""
    Service.objects.select_for_update().filter(pk=service.pk).first()  # one count at a time per service
    recent = Application.objects.filter(
        service=service,
        applicant__isnull=True,
        origin=origin,
        **{f"{since_field}__gte": timezone.now() - timedelta(hours=1)},
    ).count()
    if recent >= limit:
        raise RateLimited(
            _("Troppe domande da questa rete per questo servizio: riprova tra un'ora."), code="rate_limited"
        )


@transaction.atomic
def application_start(
    *,
    service: Service,
    applicant=None,
    origin: str = "",
    cleaned_data: dict | None = None,
    serialized: dict | None = None,
) -> Application:
    """The citizen's open draft for ``service`` (resumed if one exists for the current form version).

    ``applicant`` is None only for services with anonymous access used without logging in; then ``origin`` (a keyed
    hash of the client's address) is limited to ``ANONYMOUS_DRAFTS_PER_HOUR`` new drafts per service. With
    ``cleaned_data``/``serialized`` the first page is saved in the same transaction (a draft is created only with
    a valid first page: a GET never creates one).
    """
    status = effective_status(service.status, service.publish_from, service.publish_until, timezone.now())
    if not can_start(status) or service.form_version is None:
        raise ValidationError(_("Il servizio non è disponibile online."))
    if applicant is None and service.access_level != "anonymous":
        raise PermissionDenied("This service needs an authenticated citizen")
    draft = application_draft_get(service=service, applicant=applicant) if applicant is not None else None
    if draft is None:
        if applicant is None:
            _anonymous_limit(
                service=service,
                origin=origin,
                since_field="created_at",
                limit=settings.ANONYMOUS_DRAFTS_PER_HOUR,
            )
        draft = Application.objects.create(
            municipality=service.municipality,
            service=service,
            form_version=service.form_version,
            applicant=applicant,
            applicant_name=(f"{applicant.last_name} {applicant.first_name}".strip() or applicant.username)
            if applicant
            else "",
            applicant_fiscal_code=(applicant.fiscal_code or "") if applicant else "",
            origin=origin if applicant is None else "",
        )
    if cleaned_data is not None:
        draft = application_save_page(
            application=draft, user=applicant, page=0, cleaned_data=cleaned_data, serialized=serialized
        )
    return draft


@transaction.atomic
def application_save_page(
    *, application: Application, user, page: int, cleaned_data: dict, serialized: dict
) -> Application:
    """Save one validated page of the draft; uploaded files become attachments of the application."""
    application = _locked(application)
    _check_actor(user, application, Actor.CITIZEN)
    if application.state != State.DRAFT:
        raise TransitionNotAllowed(_("La domanda è già stata inviata e non può essere modificata."))
    for _page, spec in iter_fields(application.form_version.definition):
        upload = cleaned_data.get(spec["key"]) if spec["type"] == "file" else None
        if upload is not None and hasattr(upload, "chunks"):
            application.attachments.filter(kind=Attachment.Kind.FORM, field_key=spec["key"]).delete()
            attachment = _store_files(
                application, [upload], kind=Attachment.Kind.FORM, user=user, field_key=spec["key"]
            )[0]
            serialized[spec["key"]] = {
                "name": attachment.name,
                "size": attachment.size,
                "sha256": attachment.sha256,
            }
        elif spec["type"] == "file" and spec["key"] in serialized and serialized[spec["key"]] is None:
            serialized.pop(spec["key"])  # an empty upload keeps the file given before
    application.data = {**application.data, **serialized}
    if application.applicant_id is None:  # anonymous: the name the form asked for, for the operators' list
        names = [application.data.get(k) for k in ("cognome", "family_name", "nome", "name")]
        application.applicant_name = " ".join(str(n) for n in names if isinstance(n, str) and n)[:300]
    application.pages_done = sorted(set(application.pages_done) | {page})
    application.save(update_fields=["data", "pages_done", "applicant_name", "updated_at"])
    return application


def receipt_digest(application: Application) -> str:
    """SHA-256 of exactly what was submitted: service, form version, applicant, data and time."""
    payload = {
        "municipality": application.municipality.fiscal_code,
        "service": application.service.slug,
        "form_version": application.form_version.number,
        "applicant": application.applicant_fiscal_code,
        "number": application.number,
        "submitted_at": application.submitted_at.isoformat(),
        "data": application.data,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _missing_required(application: Application) -> list[str]:
    definition = application.form_version.definition
    missing = []
    for index in range(len(definition["pages"])):
        form = build_form_class(definition, language="it", page=index)
        for name, field in form.base_fields.items():
            if field.required and application.data.get(name) in (None, "", [], {}):
                missing.append(name)
    return missing


def _incomplete(application: Application) -> bool:
    pages = len(application.form_version.definition["pages"])
    return set(application.pages_done) != set(range(pages)) or bool(_missing_required(application))


@transaction.atomic
def application_submit(*, application: Application, user) -> Application:
    """Submit the draft: check it is complete, register it in the protocol, compute the receipt hash."""
    application = _locked(application)
    _check_actor(user, application, Actor.CITIZEN)
    if application.applicant_id is None and application.state == State.DRAFT:
        # Each submission takes an official protocol number: anonymous ones are limited per address and service.
        _anonymous_limit(
            service=application.service,
            origin=application.origin,
            since_field="submitted_at",
            limit=settings.ANONYMOUS_SUBMISSIONS_PER_HOUR,
        )
    if application.state == State.DRAFT and _incomplete(application):
        raise ValidationError(_("La domanda non è completa: compila tutti i passi prima di inviarla."))
    _fire(application, "submit", user=user, actor=Actor.CITIZEN, notify=False)
    application.submitted_at = timezone.now()
    return _protocol_register(application)


def _protocol_register(application: Application) -> Application:
    """Register a just-submitted application (locked, in the caller's transaction): the built-in register numbers
    it now ("Protocollata"); an external one (P.I.Tre.) gets an entry and a task, and it stays "Inviata" until
    ``application_protocol_registered``. Whatever submits (the citizen, a successful payment) ends here."""
    if registration.uses_external_register(application.municipality):
        application.receipt_sha256 = receipt_digest(application)
        application.save()
        registration.entry_create(application=application, kind=ProtocolEntry.Kind.APPLICATION, direction="A")
        return application
    receipt = get_provider().register(application)
    application.protocol_year, application.protocol_number = receipt.year, receipt.number
    application.protocolled_at = receipt.registered_at
    _fire(application, "register", actor=Actor.SYSTEM, notify=False)
    application.receipt_sha256 = receipt_digest(application)
    application.save()
    application_receipt_send.enqueue(application_id=application.pk)
    return application


# --- payment (driven by sportello.payments) ---


@transaction.atomic
def application_request_payment(*, application: Application, user) -> Application:
    """The citizen confirms a complete draft of a service paid at submission: it waits for the payment."""
    application = _locked(application)
    _check_actor(user, application, Actor.CITIZEN)
    if application.state == State.DRAFT and _incomplete(application):
        raise ValidationError(_("La domanda non è completa: compila tutti i passi prima di inviarla."))
    _fire(application, "request_payment", user=user, actor=Actor.CITIZEN, notify=False)
    return application


@transaction.atomic
def application_payment_outcome(*, application: Application, outcome: str, note: str = "") -> Application:
    """``started``, ``failed``, ``cancelled`` or ``succeeded``: a payment's news, sent once per payment and final
    state by ``payments``. The table (``states.PAYMENT_OUTCOMES``) decides what it does in the current state: a
    fee at submission submits and registers the application; a payment asked by the office returns it to
    handling ("Pagamento ricevuto", the office is told); a payment no longer awaited is recorded in the history.
    A state that allows none of them changes nothing (events may come late or out of order)."""
    application = _locked(application)
    name = states.payment_transition(outcome, application.state)
    if name is None:
        return application
    _fire(application, name, actor=Actor.SYSTEM, motivation=note, notify=name in OFFICE_NOTICES)
    if name == "payment_succeeded":
        application.submitted_at = timezone.now()
        _protocol_register(application)
    return application


@transaction.atomic
def application_payment_request(*, application: Application, user, note: str = "") -> Application:
    """The office asks for a deferred payment (called by ``payments`` in its transaction, before it creates the
    position): the application waits for it. The row lock makes a double click ask once. Whoever asks takes the
    application in charge if nobody has, so that someone is told when it is paid."""
    application = _locked(application)
    if not states.allowed("payment_request", application.state, Actor.OPERATOR):
        raise TransitionNotAllowed(
            _("Il pagamento si può chiedere solo per una pratica in istruttoria."), code="transition"
        )
    _fire(application, "payment_request", user=user, actor=Actor.OPERATOR, motivation=note, notify=False)
    if application.assigned_to_id is None:
        application.assigned_to = user
        application.taken_at = application.taken_at or timezone.now()
        application.save(update_fields=["assigned_to", "taken_at", "updated_at"])
    return application


def application_protocol_registered(*, entry: ProtocolEntry, register: str) -> Application:
    """The external register numbered the application (called by the registration task, in its transaction):
    store the number, the segnatura and the document id, "Inviata" -> "Protocollata", send the receipt."""
    application = _locked(entry.application)
    application.protocol_year, application.protocol_number = entry.year, entry.number
    application.protocolled_at = entry.registered_at
    application.protocol_register = register
    application.protocol_segnatura = entry.segnatura
    application.protocol_document_id = entry.document_id
    if application.state == State.SUBMITTED:
        _fire(application, "register", actor=Actor.SYSTEM, notify=False)
    else:  # withdrawn or cancelled while waiting: keep the number, the state stays
        application.save()
    application_receipt_send.enqueue(application_id=application.pk)
    return application


def _register_correspondence(application: Application, kind: str, *, from_office: bool, message=None) -> None:
    """Messages, integration answers and outcomes also go to the register where the municipality asks it."""
    if registration.registers_correspondence(application.municipality):
        direction = "P" if from_office else "A"
        registration.entry_create(application=application, kind=kind, direction=direction, message=message)


@transaction.atomic
def application_withdraw(*, application: Application, user) -> Application:
    application = _locked(application)
    if not application.service.allow_withdrawal:
        raise TransitionNotAllowed(_("Per questo servizio non è possibile ritirare la domanda online."))
    _fire(application, "withdraw", user=user, actor=Actor.CITIZEN)
    return application


@transaction.atomic
def application_answer_integration(*, application: Application, user, body: str, files=()) -> Application:
    application = _locked(application)
    if not (body or "").strip() and not files:
        raise ValidationError({"body": _("Scrivi un messaggio o allega almeno un documento.")})
    _fire(application, "answer_integration", user=user, actor=Actor.CITIZEN, motivation=body)
    message = Message.objects.create(
        application=application, author=user, from_office=False, body=body.strip()
    )
    _store_files(application, files, kind=Attachment.Kind.MESSAGE, user=user, message=message)
    _register_correspondence(application, ProtocolEntry.Kind.MESSAGE, from_office=False, message=message)
    return application


# --- operators ---


@transaction.atomic
def application_take_charge(*, application: Application, user) -> Application:
    application = _locked(application)
    _fire(application, "take_charge", user=user, actor=Actor.OPERATOR)
    application.assigned_to = user
    application.taken_at = application.taken_at or timezone.now()
    application.save(update_fields=["assigned_to", "taken_at", "updated_at"])
    return application


@transaction.atomic
def application_assign(*, application: Application, user, assignee) -> Application:
    """Hand the application to another operator enabled on its service (no state change)."""
    application = _locked(application)
    _check_actor(user, application, Actor.OPERATOR)
    if application.state in states.FINAL_STATES or application.state == State.DRAFT:
        raise TransitionNotAllowed(_("La pratica è chiusa: non si può assegnare."))
    if assignee is None or not can_operate(assignee, application):
        raise ValidationError({"assignee": _("La persona scelta non è abilitata su questo servizio.")})
    application.assigned_to = assignee
    application.save(update_fields=["assigned_to", "updated_at"])
    ApplicationEvent.objects.create(
        application=application,
        actor=user,
        actor_kind=Actor.OPERATOR,
        transition="assign",
        from_state=application.state,
        to_state=application.state,
        motivation=_("Assegnata a %(name)s") % {"name": assignee.get_full_name() or assignee.username},
    )
    return application


@transaction.atomic
def application_request_integration(
    *, application: Application, user, body: str, due: date | None = None, files=()
) -> Application:
    application = _locked(application)
    if not application.service.allow_integration_requests:
        raise TransitionNotAllowed(_("Per questo servizio non sono previste richieste di integrazione."))
    if due is not None and due <= timezone.localdate():
        raise ValidationError({"due": _("Il termine deve essere una data futura.")})
    _fire(application, "request_integration", user=user, actor=Actor.OPERATOR, motivation=body)
    message = Message.objects.create(
        application=application, author=user, from_office=True, body=body.strip()
    )
    _store_files(application, files, kind=Attachment.Kind.MESSAGE, user=user, message=message)
    _register_correspondence(application, ProtocolEntry.Kind.MESSAGE, from_office=True, message=message)
    application.integration_due = due
    application.save(update_fields=["integration_due", "updated_at"])
    return application


def _outcome(name, *, application, user, motivation, document=None) -> Application:
    application = _locked(application)
    _fire(application, name, user=user, actor=Actor.OPERATOR, motivation=motivation)
    application.outcome_motivation = motivation.strip()
    application.save(update_fields=["outcome_motivation", "updated_at"])
    if document is not None:
        _store_files(application, [document], kind=Attachment.Kind.OUTCOME, user=user)
    _register_correspondence(application, ProtocolEntry.Kind.OUTCOME, from_office=True)
    return application


@transaction.atomic
def application_accept(*, application: Application, user, motivation: str, document=None) -> Application:
    return _outcome("accept", application=application, user=user, motivation=motivation, document=document)


@transaction.atomic
def application_reject(*, application: Application, user, motivation: str, document=None) -> Application:
    return _outcome("reject", application=application, user=user, motivation=motivation, document=document)


@transaction.atomic
def application_cancel(*, application: Application, user, motivation: str) -> Application:
    application = _locked(application)
    _fire(application, "cancel", user=user, actor=Actor.OPERATOR, motivation=motivation)
    return application


@transaction.atomic
def application_message_post(
    *, application: Application, user, body: str, internal: bool = False, files=()
) -> Message:
    """A message in the thread: staff may write internal notes; citizens only write to the office."""
    application = _locked(application)
    if user is None:  # the applicant of an anonymous application has no account to be answered on
        raise ValidationError(
            _(
                "La domanda è stata presentata senza accedere: per scrivere all'ufficio usa i recapiti del"
                " servizio."
            )
        )
    from_office = application.applicant_id != user.pk
    if from_office:
        _check_actor(user, application, Actor.OPERATOR)
    elif internal:
        raise PermissionDenied("Citizens cannot write internal notes")
    if application.state == State.DRAFT:
        raise TransitionNotAllowed(_("La domanda non è ancora stata inviata."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Scrivi il testo del messaggio.")})
    message = Message.objects.create(
        application=application,
        author=user,
        from_office=from_office,
        internal=internal and from_office,
        body=body,
    )
    _store_files(application, files, kind=Attachment.Kind.MESSAGE, user=user, message=message)
    if not message.internal:
        from .tasks import application_message_notify

        application_message_notify.enqueue(message_id=message.pk)
        _register_correspondence(
            application, ProtocolEntry.Kind.MESSAGE, from_office=from_office, message=message
        )
    return message


# --- statistics ---


def _month(value) -> date:
    """``TruncMonth`` gives a datetime on PostgreSQL and a date on SQLite."""
    return value.date() if isinstance(value, datetime) else value


def _seconds(value) -> int:
    if value is None:
        return 0
    if not isinstance(value, timedelta):  # some backends hand back microseconds
        value = timedelta(microseconds=float(value))
    return round(value.total_seconds())


@transaction.atomic
def statistics_refresh(*, municipality) -> StatisticsSnapshot:
    """Recompute the statistics of ``municipality``: one row per service, state and month of submission.

    One ``GROUP BY`` over its submitted applications; the statistics page then reads a few thousand rows. The
    snapshot row is locked, so two refreshes of one municipality (two machines, two ticks) run one after
    the other and the last one wins.
    """
    snapshot, _created = StatisticsSnapshot.objects.select_for_update().get_or_create(
        municipality=municipality, defaults={"refreshed_at": timezone.now()}
    )
    now = timezone.now()
    closed = Q(state__in=states.FINAL_STATES, closed_at__isnull=False)
    duration = ExpressionWrapper(F("closed_at") - F("submitted_at"), output_field=DurationField())
    groups = (
        Application.objects.for_municipality(municipality)
        .filter(submitted_at__isnull=False)
        .exclude(state=State.DRAFT)
        .order_by()
        .annotate(month=TruncMonth("submitted_at", tzinfo=timezone.get_default_timezone()))
        .values("service_id", "state", "month")
        .annotate(n=Count("pk"), closed=Count("pk", filter=closed), handling=Sum(duration, filter=closed))
    )
    rows = {}
    for group in groups:
        month = _month(group["month"])
        key = (group["service_id"], group["state"], month)
        row = rows.setdefault(
            key, StatisticsRow(snapshot=snapshot, service_id=key[0], state=key[1], month=month, count=0)
        )
        row.count += group["n"]
        row.closed_count += group["closed"]
        row.handling_seconds += _seconds(group["handling"])
    for service_id, days in (
        Service.objects.for_municipality(municipality)
        .filter(max_response_days__isnull=False)
        .values_list("pk", "max_response_days")
    ):  # one range of the partial index app_open_idx per service
        overdue = (
            Application.objects.filter(
                municipality=municipality,
                service_id=service_id,
                state__in=sorted(states.OPEN_STATES),
                submitted_at__lt=now - timedelta(days=days),
            )
            .order_by()
            .annotate(month=TruncMonth("submitted_at", tzinfo=timezone.get_default_timezone()))
            .values("state", "month")
            .annotate(n=Count("pk"))
        )
        for group in overdue:
            rows[(service_id, group["state"], _month(group["month"]))].overdue_count += group["n"]
    snapshot.rows.all().delete()
    StatisticsRow.objects.bulk_create(rows.values(), batch_size=2000)
    snapshot.refreshed_at = now
    snapshot.save(update_fields=["refreshed_at"])
    return snapshot


def application_operator_transition(
    *, application: Application, user, name: str, motivation: str = "", due=None, files=(), document=None
) -> Application:
    """Fire the operator transition ``name`` (the back office's buttons, the API's ``transitions``)."""
    if name == "take_charge":
        return application_take_charge(application=application, user=user)
    if name == "request_integration":
        return application_request_integration(
            application=application, user=user, body=motivation, due=due, files=files
        )
    if name in ("accept", "reject"):
        outcome = application_accept if name == "accept" else application_reject
        return outcome(application=application, user=user, motivation=motivation, document=document)
    if name == "cancel":
        return application_cancel(application=application, user=user, motivation=motivation)
    raise TransitionNotAllowed(_("Azione sconosciuta."), code="transition")
