from django.db import transaction
from django_tasks import task

from sportello.core.tasks import retrying
from sportello.notifications.email import send_templated_email


@task()
@retrying
def reminder_send(*, reminder_id: int) -> None:
    """E-mail a payment reminder to the applicant and to every sharer with an e-mail address."""
    from .models import Reminder
    from .services import _recipients

    reminder = Reminder.objects.select_related(
        "charge__subscription__subscription_service__municipality", "charge__item", "charge__payment"
    ).get(pk=reminder_id)
    subscription = reminder.charge.subscription
    if reminder.charge.status not in ("open", "late"):
        return
    addresses = {subscription.holder_email: "it"} if subscription.holder_email else {}
    for user in _recipients(subscription):
        if user.email:
            addresses.setdefault(user.email, getattr(user, "language", "") or "it")
    for address, language in addresses.items():
        send_templated_email(
            to=[address],
            template="subscriptions/emails/charge_reminder",
            language=language,
            municipality=subscription.subscription_service.municipality,
            context={"reminder": reminder, "charge": reminder.charge, "subscription": subscription},
        )


@task()
def reminders_due_send() -> int:
    """Periodic: remind the payments falling due soon, each once."""
    from .services import reminders_due_send as send

    with transaction.atomic():
        return send()
