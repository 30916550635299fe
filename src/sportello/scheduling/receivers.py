"""The application drives its appointment (signal sent inside the application's transition transaction)."""

from django.dispatch import receiver

from sportello.applications.signals import application_transitioned

from .states import Actor, State


@receiver(application_transitioned, dispatch_uid="scheduling.application_drives_appointment")
def application_drives_appointment(sender, application, event, **kwargs):
    from . import services
    from .models import Appointment

    appointment = Appointment.objects.filter(application=application).first()
    if appointment is None:
        return
    if event.transition in ("payment_failed", "reject"):
        services.appointment_release(appointment=appointment, motivation=event.motivation)
    elif event.transition in ("withdraw", "cancel") and appointment.state in (
        State.HELD,
        State.PENDING,
        State.APPROVED,
    ):
        services.appointment_cancel(appointment=appointment, actor=Actor.SYSTEM, motivation=event.motivation)
    elif event.transition == "accept" and appointment.state == State.PENDING:
        services.appointment_approve(appointment=appointment, actor=Actor.SYSTEM)
