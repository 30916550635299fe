"""The enrolment application drives its subscription (inside the application's transaction)."""

from django.dispatch import receiver

from sportello.applications.signals import application_transitioned
from sportello.applications.states import State


@receiver(application_transitioned, dispatch_uid="subscriptions_application_transitioned")
def application_transitioned_subscription(sender, application, event, **kwargs):
    from . import services

    if event.to_state == State.SUBMITTED:
        services.subscription_from_application(application=application)
    elif event.to_state in (State.REJECTED, State.CANCELLED, State.WITHDRAWN):
        services.subscription_end_with_application(application=application)
