from .models import Event
from .services import webhook_event_emit


def application_state_changed(sender, *, application, event, **kwargs):
    """A transition committed with the application: tell the municipality's systems (ids and states only)."""
    webhook_event_emit(
        municipality=application.municipality,
        event=Event.APPLICATION_STATE_CHANGED,
        data={
            "application": {
                "id": application.pk,
                "number": application.number,
                "service": application.service.slug,
                "state": application.state,
            },
            "transition": event.transition,
            "from_state": event.from_state,
            "to_state": event.to_state,
            "at": event.at.isoformat(),
        },
    )


# Appointment transitions (scheduling/states.py) -> webhook events. Holds that expire or are abandoned were
# never booked: their release is not reported.
APPOINTMENT_EVENTS = {
    "submit": Event.APPOINTMENT_BOOKED,
    "confirm": Event.APPOINTMENT_BOOKED,
    "approve": Event.APPOINTMENT_APPROVED,
    "reschedule": Event.APPOINTMENT_MOVED,
    "cancel": Event.APPOINTMENT_CANCELLED,
    "release": Event.APPOINTMENT_CANCELLED,
    "refuse": Event.APPOINTMENT_CANCELLED,
    "done": Event.APPOINTMENT_DONE,
    "missed": Event.APPOINTMENT_MISSED,
}


def appointment_event_recorded(sender, *, instance, created, raw=False, **kwargs):
    """Every appointment transition records an ``AppointmentEvent`` inside the transition's transaction
    (``scheduling.services._fire``); its creation is the event, so the delivery commits with the change.
    The event row carries the target state; the appointment in memory already has its new times."""
    if not created or raw:
        return
    name = APPOINTMENT_EVENTS.get(instance.transition)
    if name is None or (name == Event.APPOINTMENT_CANCELLED and instance.from_state == "held"):
        return
    appointment = instance.appointment
    webhook_event_emit(
        municipality=appointment.municipality,
        event=name,
        data={
            "appointment": {
                "id": appointment.pk,
                "calendar": appointment.calendar_id,
                "service": appointment.service.slug if appointment.service_id else None,
                "application": appointment.application_id,
                "state": instance.to_state,
                "start": appointment.start.isoformat(),
                "end": appointment.end.isoformat(),
            },
            "transition": instance.transition,
            "from_state": instance.from_state,
            "to_state": instance.to_state,
            "actor_kind": instance.actor_kind,
            "at": instance.at.isoformat(),
        },
    )


PAYMENT_EVENTS = {
    "paid": Event.PAYMENT_PAID,
    "failed": Event.PAYMENT_FAILED,
    "expired": Event.PAYMENT_EXPIRED,
    "cancelled": Event.PAYMENT_CANCELLED,
}


def payment_settled(sender, *, payment, status, **kwargs):
    """``payments.signals.payment_settled``: sent once per final state, inside the transaction that made it."""
    name = PAYMENT_EVENTS.get(status)
    if name is None:
        return
    application = payment.application if payment.application_id else None
    webhook_event_emit(
        municipality=payment.municipality,
        event=name,
        data={
            "payment": {
                "id": payment.pk,
                "iuv": payment.iuv,
                "notice_number": payment.notice_number,
                "amount_cents": payment.amount_cents,
                "status": status,
                "purpose": payment.purpose,
                "paid_at": payment.paid_at.isoformat() if payment.paid_at else None,
                "paid_cents": payment.paid_cents,
                "receipt_id": payment.receipt_id,
            },
            "application": {"id": application.pk, "number": application.number} if application else None,
        },
    )


# Room booking states (rooms/states.py) -> webhook events, by the state reached: a request sent, approved
# (awaiting payment), confirmed (paid, or nothing to pay), refused, cancelled (by the citizen, the office, or a
# failed payment). A hold being filled in was never a request: its expiry or abandonment is not reported.
ROOM_BOOKING_EVENTS = {
    "requested": Event.ROOM_BOOKING_REQUESTED,
    "approved": Event.ROOM_BOOKING_APPROVED,
    "confirmed": Event.ROOM_BOOKING_CONFIRMED,
    "refused": Event.ROOM_BOOKING_REFUSED,
    "cancelled": Event.ROOM_BOOKING_CANCELLED,
}


def room_booking_event_recorded(sender, *, instance, created, raw=False, **kwargs):
    """Every room booking transition records a ``RoomBookingEvent`` inside the transition's transaction
    (``rooms.services._fire``); its creation is the event, so the delivery commits with the change."""
    if not created or raw or instance.from_state == instance.to_state:
        return  # a failed payment or "Paga di nuovo" leaves the booking approved: the payment events tell it
    name = ROOM_BOOKING_EVENTS.get(instance.to_state)
    if name is None or (instance.from_state in ("", "held") and name == Event.ROOM_BOOKING_CANCELLED):
        return
    booking = instance.booking
    webhook_event_emit(
        municipality=booking.municipality,
        event=name,
        data={
            "room_booking": {
                "id": booking.pk,
                "room": booking.room_id,
                "state": instance.to_state,
                "category": booking.category,
                "first_start": booking.first_start.isoformat(),
                "ranges": [
                    {"start": o.start.isoformat(), "end": o.end.isoformat()}
                    for o in booking.occupancies.order_by("start")
                ],
                "fee_cents": booking.fee_cents,
                "deposit_cents": booking.deposit_cents,
                "patronage": booking.patronage,
            },
            "transition": instance.transition,
            "from_state": instance.from_state,
            "to_state": instance.to_state,
            "at": instance.at.isoformat(),
        },
    )
