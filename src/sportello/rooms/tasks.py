from django_tasks import task

from sportello.core.tasks import retrying
from sportello.notifications.services import booking_notify

from . import services

CITIZEN_FACING = {
    "request",
    "await_payment",
    "approve",
    "office_approve",
    "confirm_free",
    "paid",
    "refuse",
    "payment_failed",
    "release",
    "cancel",
}


@task()
def room_holds_release_expired() -> int:
    """Periodic: holds past their time free their ranges; so do bookings whose time to pay again ended."""
    return services.room_holds_release_expired() + services.room_payment_grace_release_expired()


def _links(booking) -> dict:
    """The booking's page in the personal area and, while it is active, the signed link to cancel it."""
    from sportello.core.urlutils import absolute_url, tenant_reverse

    from .tokens import manage_token

    if not booking.is_active:
        return {}
    language = booking.citizen.language if booking.citizen else "it"
    municipality = booking.municipality
    links = {
        "manage_url": absolute_url(
            tenant_reverse(
                "portal:room_booking_manage", municipality, lang=language, token=manage_token(booking)
            )
        )
    }
    if booking.citizen_id:  # the personal area needs the citizen's login (an office booking may have none)
        links["booking_url"] = absolute_url(
            tenant_reverse("portal:room_booking_detail", municipality, lang=language, uid=booking.uid)
        )
    return links


def _send(booking, template: str, context: dict, *, event_key: str, start, cta_url: str = "") -> None:
    """E-mail (with the ICS) and/or App IO (through the room's catalogue service, with ``start`` as
    ``due_date`` and the "Gestisci la prenotazione" button), as the citizen chose."""
    from .ics import booking_ics

    booking_notify(
        user=booking.citizen,
        municipality=booking.municipality,
        service=booking.room.service,
        event_key=event_key,
        template=template,
        context={"booking": booking, **context},
        start=start,
        email=booking.applicant_email,
        language=booking.citizen.language if booking.citizen else "it",
        attachments=[("prenotazione-sala.ics", booking_ics(booking), "text/calendar")],
        manage_url=cta_url or context.get("manage_url", ""),
    )


@task()
@retrying
def room_booking_notify(*, event_id: int) -> None:
    """Tell the citizen about a change of their room booking on their channels (once per event)."""
    from .models import RoomBookingEvent

    event = RoomBookingEvent.objects.select_related(
        "booking__room__service", "booking__municipality", "booking__citizen"
    ).get(pk=event_id)
    booking = event.booking
    if event.transition not in CITIZEN_FACING or not (booking.applicant_email or booking.citizen_id):
        return
    links = _links(booking)
    _send(
        booking,
        "emails/room_booking_event",
        {
            "event": event,
            "payments": [
                p for p in (booking.fee_payment, booking.deposit_payment) if p is not None and p.is_open
            ],
            **links,
        },
        event_key=f"room-booking-event:{event.pk}",
        start=booking.first_start,
        # after a failed payment the App IO button opens the booking, where "Paga di nuovo" is
        cta_url=links.get("booking_url", "") if event.transition == "payment_failed" else "",
    )


@task()
def room_reminders_send() -> int:
    """Periodic: the reminders of confirmed bookings' dates that are due, each sent once."""
    from sportello.notifications.reminders import reminders_due_send

    from .models import RoomReminder
    from .states import State

    def send(reminder) -> bool:
        booking = reminder.booking
        if booking.state != State.CONFIRMED or not reminder.occupancy.active:
            return False
        _send(
            booking,
            "emails/room_booking_reminder",
            {"occupancy": reminder.occupancy, **_links(booking)},
            event_key=f"room-reminder:{reminder.pk}",
            start=reminder.occupancy.start,
        )
        return True

    return reminders_due_send(
        RoomReminder,
        send=send,
        related=("booking__room__service", "booking__municipality", "booking__citizen", "occupancy"),
    )
