"""The room booking's states and the one transition table (pure)."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    HELD = "held", _("In compilazione")
    REQUESTED = "requested", _("Richiesta inviata")
    APPROVED = "approved", _("Approvata, in attesa di pagamento")
    CONFIRMED = "confirmed", _("Confermata")
    REFUSED = "refused", _("Rifiutata")
    CANCELLED = "cancelled", _("Annullata")
    EXPIRED = "expired", _("Scaduta")


# The states whose ranges occupy the room (the database refuses two overlapping ones).
ACTIVE = (State.HELD, State.REQUESTED, State.APPROVED, State.CONFIRMED)


class Actor(models.TextChoices):
    CITIZEN = "citizen"
    OFFICE = "office"
    SYSTEM = "system"


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    actors: tuple[str, ...]
    motivation: bool = False


TRANSITIONS = {
    "request": Transition((State.HELD,), State.REQUESTED, (Actor.CITIZEN,)),
    "await_payment": Transition((State.HELD,), State.APPROVED, (Actor.CITIZEN,)),
    "confirm_free": Transition((State.HELD, State.REQUESTED), State.CONFIRMED, (Actor.CITIZEN, Actor.OFFICE)),
    "approve": Transition((State.REQUESTED,), State.APPROVED, (Actor.OFFICE,)),
    # the office books on behalf of an applicant (phone or desk): approved at once, payment follows
    "office_approve": Transition((State.HELD,), State.APPROVED, (Actor.OFFICE,)),
    "refuse": Transition((State.REQUESTED,), State.REFUSED, (Actor.OFFICE,), motivation=True),
    "paid": Transition((State.APPROVED,), State.CONFIRMED, (Actor.SYSTEM,)),
    # A failed or expired payment keeps the booking held for the grace period: the citizen may pay again
    # (new positions); when the grace period ends unpaid, the booking is released.
    "payment_failed": Transition((State.APPROVED,), State.APPROVED, (Actor.SYSTEM,)),
    "pay_again": Transition((State.APPROVED,), State.APPROVED, (Actor.CITIZEN,)),
    "release": Transition((State.APPROVED,), State.CANCELLED, (Actor.SYSTEM,)),
    "expire": Transition((State.HELD,), State.EXPIRED, (Actor.SYSTEM,)),
    "cancel": Transition(
        (State.HELD, State.REQUESTED, State.APPROVED, State.CONFIRMED),
        State.CANCELLED,
        (Actor.CITIZEN, Actor.OFFICE),
    ),
}


class TransitionNotAllowed(Exception):
    pass


def check(name: str, state: str, actor: str, motivation: str = "") -> str:
    """The target state of ``name`` fired from ``state`` by ``actor``; raises TransitionNotAllowed."""
    transition = TRANSITIONS[name]
    if state not in transition.sources or actor not in transition.actors:
        raise TransitionNotAllowed(f"{name} from {state} by {actor}")
    if transition.motivation and not motivation.strip():
        raise TransitionNotAllowed(f"{name} needs a motivation")
    return transition.target
