"""Rooms follow their payments: ``payment_settled`` is sent inside the transaction that makes a payment final."""

from django.dispatch import receiver

from sportello.payments.models import Payment
from sportello.payments.signals import payment_settled


@receiver(payment_settled, sender=Payment, dispatch_uid="rooms.payment_settled")
def _payment_settled(sender, payment, status, **kwargs):
    if not payment.purpose.startswith("room:"):
        return
    from .services import room_booking_payment_settled

    room_booking_payment_settled(payment=payment, status=status)
