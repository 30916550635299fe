"""The application drives its appointment (signal sent inside the application's transition transaction), and a
pending payment keeps its appointment's place held (signal sent by the payments poller)."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from sportello.applications.signals import application_transitioned
from sportello.payments.signals import payment_still_pending

from .states import Actor, State

logger = logging.getLogger(__name__)


@receiver(application_transitioned, dispatch_uid="scheduling.application_drives_appointment")
def application_drives_appointment(sender, application, event, **kwargs):
    from . import services
    from .models import Appointment

    appointment = Appointment.objects.filter(application=application).first()
    if appointment is None:
        return
    if event.transition in ("payment_failed", "reject"):
        services.appointment_release(appointment=appointment, motivation=event.motivation)
    elif event.transition == "payment_succeeded":
        # Inside the transaction that records the payment as paid: whatever happens to the appointment must
        # never undo that, so a refusal here is logged (the office sees the paid application) and not raised.
        try:
            with transaction.atomic():
                services.appointment_payment_succeeded(appointment=appointment)
        except ValidationError as error:
            logger.warning("appointment %s: not booked after payment: %s", appointment.pk, error)
    elif event.transition in ("withdraw", "cancel") and appointment.state in (
        State.HELD,
        State.PENDING,
        State.APPROVED,
    ):
        services.appointment_cancel(appointment=appointment, actor=Actor.SYSTEM, motivation=event.motivation)
    elif event.transition == "accept" and appointment.state == State.PENDING:
        services.appointment_approve(appointment=appointment, actor=Actor.SYSTEM)


@receiver(payment_still_pending, dispatch_uid="scheduling.pending_payment_keeps_the_hold")
def pending_payment_keeps_the_hold(sender, payment, application, **kwargs):
    """Each poll of a still-open payment extends its held appointment (``services.payment_hold_until``)."""
    from . import services
    from .models import Appointment

    if payment.purpose:  # a position of another domain (rooms, subscriptions), not the application's fee
        return
    appointment = (
        Appointment.objects.filter(application=application, state=State.HELD)
        .select_related("calendar")
        .first()
    )
    if appointment is None:
        return
    now = timezone.now()
    try:
        services.appointment_hold_extend(
            appointment=appointment,
            until=services.payment_hold_until(appointment, payment.due_date, now),
            now=now,
        )
    except ValidationError as error:  # the hold lapsed meanwhile: the periodic release frees it
        logger.info("appointment %s: hold not extended: %s", appointment.pk, error)
