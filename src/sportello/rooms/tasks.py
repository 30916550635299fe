from django_tasks import task

from sportello.core.tasks import retrying
from sportello.notifications.email import send_templated_email

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
    "cancel",
}


@task()
def room_holds_release_expired() -> int:
    """Periodic: holds past their time free their ranges."""
    return services.room_holds_release_expired()


@task()
@retrying
def room_booking_notify(*, event_id: int) -> None:
    """E-mail the citizen about a change of their room booking, with the ICS file and the signed cancel link."""
    from sportello.core.urlutils import absolute_url, tenant_reverse

    from .ics import booking_ics
    from .models import RoomBookingEvent
    from .tokens import manage_token

    event = RoomBookingEvent.objects.select_related(
        "booking__room", "booking__municipality", "booking__citizen"
    ).get(pk=event_id)
    booking = event.booking
    if event.transition not in CITIZEN_FACING or not booking.applicant_email:
        return
    language = booking.citizen.language if booking.citizen else "it"
    municipality = booking.municipality
    open_payments = [p for p in (booking.fee_payment, booking.deposit_payment) if p is not None and p.is_open]
    context = {"event": event, "booking": booking, "payments": open_payments}
    if booking.is_active:
        context["manage_url"] = absolute_url(
            tenant_reverse(
                "portal:room_booking_manage", municipality, lang=language, token=manage_token(booking)
            )
        )
    if booking.is_active and booking.citizen_id:  # the personal area needs the citizen's login
        context["booking_url"] = absolute_url(
            tenant_reverse("portal:room_booking_detail", municipality, lang=language, uid=booking.uid)
        )
    send_templated_email(
        to=[booking.applicant_email],
        template="emails/room_booking_event",
        language=language,
        municipality=municipality,
        context=context,
        attachments=[("prenotazione-sala.ics", booking_ics(booking), "text/calendar")],
    )
