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
