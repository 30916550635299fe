"""Background delivery to App IO.

``io_message_deliver`` sends one ``IOMessage``: profile check (404 and ``sender_allowed=false`` are final),
then the message in the citizen's IO language. 429, 5xx and network errors are retried with the backoff of
``core.tasks.RETRY_DELAYS``. Every call is an ``IOAttempt`` row.

Never twice: before ``POST /messages`` the task commits the message as SENDING with a fresh idempotency key, and
commits IO's id as soon as IO answers. A later run (a retry, or the same task requeued because its worker died)
that finds an id only reconciles with ``GET /messages/{fiscal_code}/{id}``; one that finds SENDING without an id
knows a previous run called IO and never learnt the outcome, so it marks the message UNCERTAIN for the operator
instead of sending it again (IO's API has no idempotency key of its own, so that short window is at-most-once).
"""

import uuid
from datetime import UTC, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from sportello.core.tasks import RETRY_DELAYS, retry_later, retrying

from .models import EmailDelivery, IOAttempt, IOBinding, IOMessage
from .models import ServiceIOLogEntry as Log
from .providers import IOError_, IOForbidden, IONotFound, IOUncertain, io_client_for
from .services import LANGUAGES, citizen_notify

Status = IOMessage.Status
TIME_TO_LIVE = 604800  # a week: IO keeps trying to notify the citizen for that long
IO_FINAL_STATUSES = {"PROCESSED", "REJECTED", "FAILED"}


def _client(message: IOMessage):
    binding = IOBinding.objects.get(service_id=message.service_id)
    return io_client_for(binding, service_id=message.service.io_service_id)


def _language(profile, contents: dict, fallback: str) -> str:
    for code in profile.preferred_languages:
        if code[:2] in contents:
            return code[:2]
    return fallback if fallback in contents else "it"


def _attempt(message, operation: str, *, key=None, error: IOError_ | None = None, outcome: str = "") -> None:
    IOAttempt.objects.create(
        message=message,
        operation=operation,
        idempotency_key=key or uuid.uuid4(),
        http_status=error.status if error else None,
        outcome=outcome or (type(error).__name__ if error else "ok"),
        error=str(error)[:1000] if error else "",
    )


def _finish(message, status: str, error: str = "", **fields) -> str:
    IOMessage.objects.filter(pk=message.pk).update(
        status=status, error=error[:1000], updated_at=timezone.now(), **fields
    )
    return status


def _refused(message, status: str, error: str = "") -> str:
    """IO's final refusal (no profile, ``sender_allowed`` false, service not allowed): the message is final, and
    its e-mail fallback (a citizen who chose App IO only) is queued in the same transaction, so it exists if and
    only if the refusal is recorded."""
    with transaction.atomic():
        _finish(message, status, error)
        if message.fallback_email:
            io_message_email_fallback.enqueue(message_id=message.pk)
    return status


@task()
@retrying
def io_message_email_fallback(*, message_id: int) -> str:
    """Send the e-mail of a notice IO refused, once: under the message's row lock, marked sent in the transaction
    that sends it (a run after a committed send finds it marked; an SMTP error rolls back and is retried)."""
    import base64

    from .email import send_email

    with transaction.atomic():
        message = (
            IOMessage.objects.select_for_update(of=("self",))
            .select_related("municipality")
            .get(pk=message_id)
        )
        if message.fallback_sent_at is not None or not message.fallback_email:
            return "already sent"
        if message.status not in IOMessage.REFUSED:
            return "not refused"
        mail = message.fallback_email
        send_email(
            to=mail["to"],
            subject=mail["subject"],
            body=mail["body"],
            municipality=message.municipality,
            attachments=[
                (name, base64.b64decode(content), mimetype) for name, content, mimetype in mail["attachments"]
            ],
        )
        IOMessage.objects.filter(pk=message.pk).update(fallback_sent_at=timezone.now())
        EmailDelivery.objects.update_or_create(
            event_key=message.event_key, defaults={"status": EmailDelivery.Status.FALLBACK}
        )
        _attempt(message, "fallback", outcome="email_sent")
    return "sent"


def _retry_or_fail(message, attempt: int, error: IOError_) -> str:
    with transaction.atomic():
        IOMessage.objects.filter(pk=message.pk).update(status=Status.PENDING, error=str(error)[:1000])
        if retry_later(io_message_deliver, attempt=attempt, message_id=message.pk):
            return Status.PENDING
        return _finish(message, Status.FAILED, f"{error} (after {len(RETRY_DELAYS) + 1} attempts)")


def _payload(message: IOMessage, language: str) -> dict:
    content = dict(message.contents[language])
    if message.due_date is not None:
        content["due_date"] = message.due_date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if message.payment_data:
        data = message.payment_data
        content["payment_data"] = {
            "amount": data["amount"],
            "notice_number": data["notice_number"],
            "invalid_after_due_date": data.get("invalid_after_due_date", False),
            "payee": {"fiscal_code": data["payee_fiscal_code"]},
        }
    return {"time_to_live": TIME_TO_LIVE, "content": content}


def _reconcile(message: IOMessage, client) -> str:
    try:
        data = client.message_get(message.fiscal_code, message.io_id)
    except IOError_ as error:
        _attempt(message, "status", error=error)
        return message.status
    io_status = str(data.get("status") or "")[:16]
    _attempt(message, "status", outcome=io_status or "ok")
    IOMessage.objects.filter(pk=message.pk).update(io_status=io_status, updated_at=timezone.now())
    return message.status


@task()
def io_message_deliver(*, message_id: int, attempt: int = 0) -> str:
    message = IOMessage.objects.select_related("service", "user").get(pk=message_id)
    if message.io_id:  # IO already has it: only ask how it is going
        return _reconcile(message, _client(message))
    if message.status == Status.SENDING:
        _attempt(message, "submit", outcome="interrupted", key=message.idempotency_key)
        return _finish(
            message,
            Status.UNCERTAIN,
            "A previous attempt called App IO and stopped before the answer: not sent again, to avoid a duplicate.",
        )
    if message.status in IOMessage.FINAL:
        return message.status
    client = _client(message)
    try:
        profile = client.profile_get(message.fiscal_code)
    except IONotFound as error:
        _attempt(message, "profile", error=error)
        return _refused(message, Status.NO_PROFILE)
    except IOForbidden as error:
        _attempt(message, "profile", error=error)
        return _refused(message, Status.FORBIDDEN, str(error))
    except IOError_ as error:
        _attempt(message, "profile", error=error)
        return (
            _retry_or_fail(message, attempt, error)
            if error.retry
            else _finish(message, Status.FAILED, str(error))
        )
    if not profile.sender_allowed:
        _attempt(message, "profile", outcome="not_allowed")
        return _refused(message, Status.NOT_ALLOWED)
    language = _language(profile, message.contents, message.user.language)
    key = uuid.uuid4()
    with transaction.atomic():  # committed before the call: the mark a crashed run leaves behind
        claimed = IOMessage.objects.filter(pk=message.pk, status=Status.PENDING, io_id="").update(
            status=Status.SENDING, idempotency_key=key, language=language
        )
    if not claimed:
        return IOMessage.objects.get(pk=message.pk).status  # another run got here first
    try:
        io_id = client.message_submit(message.fiscal_code, _payload(message, language))
    except IOUncertain as error:
        _attempt(message, "submit", key=key, error=error)
        return _finish(message, Status.UNCERTAIN, str(error))
    except (IOForbidden, IONotFound) as error:  # IO refused it: it did not take the message
        _attempt(message, "submit", key=key, error=error)
        status = Status.FORBIDDEN if isinstance(error, IOForbidden) else Status.NO_PROFILE
        return _refused(message, status, str(error))
    except IOError_ as error:
        _attempt(message, "submit", key=key, error=error)
        if error.retry:
            return _retry_or_fail(message, attempt, error)
        return _finish(message, Status.FAILED, str(error))
    with transaction.atomic():
        _finish(message, Status.ACCEPTED, io_id=io_id, sent_at=timezone.now())
        _attempt(message, "submit", key=key, outcome="accepted")
    return Status.ACCEPTED


@task()
def io_messages_reconcile() -> int:
    """Periodic: ask IO how the week's accepted messages are doing (PROCESSED, REJECTED, ...)."""
    since = timezone.now() - timedelta(days=7)
    messages = (
        IOMessage.objects.filter(status=Status.ACCEPTED, created_at__gte=since)
        .exclude(io_id="")
        .exclude(io_status__in=IO_FINAL_STATUSES)
        .select_related("service")[:500]
    )
    count = 0
    for message in messages:
        try:
            _reconcile(message, _client(message))
        except IOBinding.DoesNotExist:
            continue
        count += 1
    return count


@task()
def io_service_sync_run(*, service_id: int, entry_id: int, attempt: int = 0) -> str:
    """Publish name, description and contacts to IO (GET, then PUT ``/manage/services/{id}``, then review)."""
    from sportello.catalog.models import Service

    from .services import io_service_payload

    service = Service.objects.select_related("municipality").get(pk=service_id)
    entry = Log.objects.get(pk=entry_id)
    binding = IOBinding.objects.filter(service=service).first()
    if binding is None or not service.io_service_id:
        Log.objects.create(
            service=service, kind=Log.Kind.SYNC_FAILED, actor=entry.actor, detail="not bound to IO"
        )
        return "unbound"
    client = io_client_for(binding, service_id=service.io_service_id)
    try:
        try:
            current = client.service_get(service.io_service_id)
        except IONotFound:
            current = {}
        client.service_update(service.io_service_id, io_service_payload(service, current))
        client.service_review(service.io_service_id, auto_publish=True)
    except IOError_ as error:
        if error.retry and retry_later(
            io_service_sync_run, attempt=attempt, service_id=service_id, entry_id=entry_id
        ):
            return "retry"
        Log.objects.create(
            service=service, kind=Log.Kind.SYNC_FAILED, actor=entry.actor, detail=str(error)[:1000]
        )
        return "failed"
    with transaction.atomic():
        IOBinding.objects.filter(pk=binding.pk).update(synced_at=timezone.now())
        Log.objects.create(
            service=service,
            kind=Log.Kind.SYNC_DONE,
            actor=entry.actor,
            detail=service.name,
        )
    return "done"


# --- Citizen notices of other domains (e-mail and/or App IO, as the citizen chose) ---------------------------


def _end_of_day(day):
    """A date as the last second of that day in Europe/Rome (IO's ``due_date`` is an instant)."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo("Europe/Rome"))


@task()
@retrying
def payment_request_notify(*, payment_id: int) -> str:
    """Tell the citizen a payment can be paid: e-mail with amount and notice number, and the App IO message
    with ``payment_data`` (the app's own "Paga") and a "Paga online" call to action to Sportello's payment page.

    Sent once per payment (``payment-request:<id>``), only while it is still payable: a notice paid or
    cancelled before the worker got here needs no request.
    """
    from sportello.payments.models import Payment, Status

    payment = Payment.objects.select_related(
        "municipality", "application__applicant", "application__service"
    ).get(pk=payment_id)
    if payment.status != Status.PENDING:
        return "not payable"
    application = payment.application
    user = application.applicant if application is not None else _citizen(payment.debtor_fiscal_code)
    if user is None and not payment.debtor_email:
        return "no citizen"
    language = user.language if user is not None else "it"
    context = {"payment": payment, "application": application, "url": payment_page_url(payment, language)}
    ctas = {
        lang: [(_cta_text(lang), payment_page_url(payment, lang))]
        for lang in LANGUAGES
        if lang in (payment.municipality.languages or ["it"]) or lang == "it"
    }
    citizen_notify(
        user=user,
        municipality=payment.municipality,
        service=application.service if application is not None else None,
        event_key=f"payment-request:{payment.pk}",
        template="emails/payment_request",
        context=context,
        email=payment.debtor_email or (user.email if user is not None else ""),
        language=language,
        due_date=_end_of_day(payment.due_date),
        payment_data={
            "amount": payment.amount_cents,
            "notice_number": payment.notice_number,
            "payee_fiscal_code": payment.creditor_fiscal_code,
            "invalid_after_due_date": True,  # an unpaid position expires at its due date (payments_poll)
            "checkout_url": context["url"],
        },
        ctas=ctas,
    )
    return "sent"


def _citizen(fiscal_code: str):
    from sportello.accounts.models import User

    return User.objects.filter(fiscal_code=fiscal_code, is_active=True).first() if fiscal_code else None


def _cta_text(lang: str) -> str:
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override(lang):
        return gettext("Paga online")


def payment_page_url(payment, lang: str) -> str:
    """Where the citizen pays on Sportello, in ``lang`` if enabled: the application's payment page for its
    fee, "I miei pagamenti" for positions with a ``purpose`` (rooms, subscriptions)."""
    from sportello.core.urlutils import absolute_url, tenant_reverse

    municipality = payment.municipality
    languages = municipality.languages or ["it"]
    lang = lang if lang in languages else languages[0]
    if payment.application_id and not payment.purpose:
        path = tenant_reverse("portal:payment_choose", municipality, lang=lang, pk=payment.application_id)
    else:
        path = tenant_reverse("portal:payment_list", municipality, lang=lang)
    return absolute_url(path)
