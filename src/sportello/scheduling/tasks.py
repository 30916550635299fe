from django.db import transaction
from django.utils import timezone
from django_tasks import task

from sportello.core.tasks import retrying
from sportello.notifications.email import send_templated_email
from sportello.notifications.services import booking_notify

CITIZEN_FACING = {"submit", "confirm", "approve", "refuse", "cancel", "reschedule", "release"}


def appointment_ics(appointment) -> str:
    from . import ics
    from .states import State

    calendar = appointment.calendar
    event = ics.Event(
        uid=f"{appointment.uid}@sportello",
        sequence=appointment.sequence,
        start=appointment.start,
        end=appointment.end,
        summary=f"{appointment.service or calendar.title} - {calendar.office_name}",
        location=f"{calendar.office_name}, {calendar.address}",
        description=calendar.what_to_bring,
        cancelled=appointment.state in (State.CANCELLED, State.REFUSED),
    )
    return ics.render([event], stamp=appointment.updated_at or timezone.now())


def _send(appointment, template: str, context: dict, *, event_key: str) -> None:
    """E-mail (with the ICS) and/or App IO (with the start as ``due_date``), as the citizen chose."""
    language = appointment.citizen.language if appointment.citizen else "it"
    booking_notify(
        user=appointment.citizen,
        municipality=appointment.municipality,
        service=appointment.service,
        event_key=event_key,
        template=template,
        context={"appointment": appointment, **context},
        start=appointment.start,
        email=appointment.email,
        language=language,
        attachments=[("appuntamento.ics", appointment_ics(appointment), "text/calendar")],
        manage_url=context.get("manage_url", ""),
    )


@task()
@retrying
def appointment_notify(*, event_id: int) -> None:
    """E-mail the citizen about a change of their appointment, with the updated ICS."""
    from .models import AppointmentEvent

    event = AppointmentEvent.objects.select_related(
        "appointment__calendar", "appointment__municipality", "appointment__citizen", "appointment__service"
    ).get(pk=event_id)
    if event.transition in CITIZEN_FACING:
        _send(
            event.appointment,
            "emails/appointment_event",
            {"event": event, **_manage_link(event.appointment)},
            event_key=f"appointment-event:{event.pk}",
        )


def _manage_link(appointment) -> dict:
    """The signed link to cancel or move, while the appointment is booked and before the deadline."""
    from sportello.core.urlutils import absolute_url, tenant_reverse

    from .services import cancel_deadline
    from .states import State
    from .tokens import manage_token

    deadline = cancel_deadline(appointment)
    if appointment.state not in (State.PENDING, State.APPROVED) or timezone.now() > deadline:
        return {}
    language = appointment.citizen.language if appointment.citizen else "it"
    path = tenant_reverse(
        "portal:appointment_manage", appointment.municipality, lang=language, token=manage_token(appointment)
    )
    return {"manage_url": absolute_url(path), "deadline": deadline}


@task()
def holds_release_expired() -> int:
    """Periodic: free the places of holds whose time ran out (idempotent)."""
    from .services import holds_release

    with transaction.atomic():
        return holds_release()


@task()
def reminders_send() -> int:
    """Periodic: send the reminders that are due, each once (the row is marked in the same transaction)."""
    from sportello.notifications.reminders import reminders_due_send

    from .models import Reminder
    from .states import State

    def send(reminder) -> bool:
        if reminder.appointment.state not in (State.PENDING, State.APPROVED):
            return False
        _send(
            reminder.appointment,
            "emails/appointment_reminder",
            {**_manage_link(reminder.appointment)},
            event_key=f"appointment-reminder:{reminder.pk}",
        )
        return True

    return reminders_due_send(
        Reminder,
        send=send,
        related=("appointment__calendar", "appointment__municipality", "appointment__citizen"),
    )


@task()
def waiting_offer(*, calendar_id: int, start: str) -> None:
    """A place freed: offer it to the waiting list (see ``services.waiting_offer_make``)."""
    from datetime import datetime

    from .models import Calendar
    from .services import waiting_offer_make

    calendar = Calendar.objects.filter(pk=calendar_id).first()
    if calendar is not None:
        waiting_offer_make(calendar=calendar, start=datetime.fromisoformat(start))


@task()
@retrying
def waiting_offer_notify(*, entry_id: int) -> None:
    from sportello.core.urlutils import absolute_url, tenant_reverse

    from .models import WaitingEntry
    from .tokens import offer_token

    entry = (
        WaitingEntry.objects.select_related(
            "offer__calendar", "offer__municipality", "offer__citizen", "appointment"
        )
        .filter(pk=entry_id, offer__isnull=False)
        .first()
    )
    if entry is None or not entry.offer.email:
        return
    offer = entry.offer
    language = offer.citizen.language if offer.citizen else "it"
    url = absolute_url(
        tenant_reverse("portal:waiting_offer", offer.municipality, lang=language, token=offer_token(entry))
    )
    send_templated_email(
        to=[offer.email],
        template="emails/waiting_offer",
        language=language,
        municipality=offer.municipality,
        context={"offer": offer, "appointment": entry.appointment, "url": url},
    )
