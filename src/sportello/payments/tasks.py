from django_tasks import task

from sportello.core.tasks import retry_later, retrying

from .providers import ProviderUnavailable


@task()
def payment_publish(*, payment_id: int, attempt: int = 0) -> None:
    """Create the debt position at the provider; 5xx/timeouts retry with backoff (the poller also retries)."""
    from .models import Payment
    from .services import payment_publish_now

    payment = Payment.objects.select_related("municipality__payment_settings").get(pk=payment_id)
    try:
        payment_publish_now(payment=payment)
    except ProviderUnavailable:
        retry_later(payment_publish, attempt=attempt, payment_id=payment_id)


@task()
def payments_poll() -> int:
    """Periodic: ask the provider about every open payment (settings.PERIODIC_TASKS)."""
    from .services import payments_poll as poll

    return poll()


@task()
@retrying
def accounting_export_daily() -> int:
    """Periodic (every morning): yesterday's accounting export of each municipality, written to storage in
    CSV, XLSX and JSON (same names: running twice overwrites with the same content) and the link e-mailed."""
    import datetime

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import transaction
    from django.utils import timezone

    from sportello.core.urlutils import absolute_url, tenant_reverse
    from sportello.notifications.email import send_templated_email

    from . import accounting
    from .models import PaymentSettings, PeriodicExport

    day = timezone.localdate() - datetime.timedelta(days=1)
    done = 0
    for settings in PaymentSettings.objects.select_related("municipality"):
        municipality = settings.municipality
        with transaction.atomic():
            export, created = PeriodicExport.objects.select_for_update().get_or_create(
                municipality=municipality, day=day
            )
            if export.sent_at is not None:
                continue
            rows = list(accounting.accounting_rows(municipality, day, day))
            for export_format in accounting.FORMATS:
                path = accounting.export_path(municipality, day, export_format)
                if default_storage.exists(path):
                    default_storage.delete(path)
                default_storage.save(path, ContentFile(accounting.render(rows, export_format)))
            export.rows = len(rows)
            if settings.accounting_email:
                url = absolute_url(
                    tenant_reverse("backoffice:accounting_file", municipality, lang="it", day=day.isoformat())
                )
                send_templated_email(
                    to=[settings.accounting_email],
                    template="emails/accounting_export",
                    language="it",
                    municipality=municipality,
                    context={"day": day, "rows": len(rows), "url": url},
                )
            export.sent_at = timezone.now()
            export.save()
            done += 1
    return done


@task()
def accounting_export_build(*, export_id: int) -> None:
    """A long accounting export requested from the back office (its page follows ``done`` / ``total``)."""
    from . import accounting
    from .models import AccountingExport

    export = AccountingExport.objects.select_related("municipality").get(pk=export_id)
    if export.state == AccountingExport.State.DONE:
        return
    try:
        accounting.export_build(export)
    except Exception:
        AccountingExport.objects.filter(pk=export_id).update(state=AccountingExport.State.FAILED)
        raise


@task()
@retrying
def payment_failed_notify(*, payment_id: int) -> None:
    """Tell the citizen that a payment failed or expired, on the channels they chose (e-mail, App IO), with the
    link to the application to pay again."""
    from sportello.core.urlutils import absolute_url, tenant_reverse
    from sportello.notifications.email import send_templated_email
    from sportello.notifications.services import citizen_notify

    from .models import Payment

    payment = Payment.objects.select_related(
        "municipality", "application__applicant", "application__service"
    ).get(pk=payment_id)
    application = payment.application
    citizen = application.applicant if application else None
    to = payment.debtor_email or (citizen.email if citizen else "")
    language = citizen.language if citizen else "it"
    if citizen is None:  # no account to look up preferences (or App IO) for: the e-mail only
        if to:
            send_templated_email(
                to=[to],
                template="emails/payment_failed",
                language=language,
                municipality=payment.municipality,
                context={"payment": payment, "application": application, "url": ""},
            )
        return
    url = absolute_url(
        tenant_reverse("portal:payment_choose", payment.municipality, lang=language, pk=application.pk)
    )
    citizen_notify(
        user=citizen,
        municipality=payment.municipality,
        service=application.service,
        event_key=f"payment-failed-{payment.pk}",
        template="emails/payment_failed",
        context={"payment": payment, "application": application, "url": url},
        email=to,
        language=language,
    )
