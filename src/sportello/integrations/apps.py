from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "sportello.integrations"
    verbose_name = "Integrazioni"

    def ready(self):
        from django.db.models.signals import post_save

        from sportello.applications.signals import application_transitioned
        from sportello.payments.signals import payment_settled
        from sportello.rooms.models import RoomBookingEvent
        from sportello.scheduling.models import AppointmentEvent

        from . import receivers

        application_transitioned.connect(receivers.application_state_changed, dispatch_uid="webhooks")
        payment_settled.connect(receivers.payment_settled, dispatch_uid="webhooks.payments")
        post_save.connect(
            receivers.appointment_event_recorded,
            sender=AppointmentEvent,
            dispatch_uid="webhooks.appointments",
        )
        post_save.connect(
            receivers.room_booking_event_recorded,
            sender=RoomBookingEvent,
            dispatch_uid="webhooks.room_bookings",
        )
