"""Appointment states and the one table of allowed transitions (pure: no ORM)."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    HELD = "held", _("In compilazione")
    PENDING = "pending", _("In attesa di conferma")
    APPROVED = "approved", _("Confermato")
    REFUSED = "refused", _("Rifiutato")
    MISSED = "missed", _("Assente")
    DONE = "done", _("Svolto")
    CANCELLED = "cancelled", _("Annullato")


class Actor(models.TextChoices):
    CITIZEN = "citizen", _("Cittadino")
    OPERATOR = "operator", _("Operatore")
    SYSTEM = "system", _("Sistema")


# States whose appointment holds its places (rows in Reservation); every other state has released them.
OCCUPYING = frozenset({State.HELD, State.PENDING, State.APPROVED})
# Done and missed keep their rows as the record of the place that was used.
RELEASING = frozenset({State.REFUSED, State.CANCELLED})


@dataclass(frozen=True)
class Transition:
    name: str
    source: frozenset
    target: State | None  # None: the state does not change (reschedule)
    actors: frozenset
    needs_motivation: bool = False


def _t(name, sources, target, actors, needs_motivation=False) -> Transition:
    return Transition(name, frozenset(sources), target, frozenset(actors), needs_motivation)


CIT, OPS, SYS = Actor.CITIZEN, Actor.OPERATOR, Actor.SYSTEM

TRANSITIONS = {
    t.name: t
    for t in [
        _t("submit", {State.HELD}, State.PENDING, {CIT, OPS, SYS}),  # moderated calendar
        _t("confirm", {State.HELD}, State.APPROVED, {CIT, OPS, SYS}),  # unmoderated calendar
        _t("approve", {State.PENDING}, State.APPROVED, {OPS, SYS}),
        _t("refuse", {State.PENDING}, State.REFUSED, {OPS}, needs_motivation=True),
        _t("release", {State.HELD, State.PENDING, State.APPROVED}, State.CANCELLED, {SYS}),
        _t("cancel", {State.HELD, State.PENDING, State.APPROVED}, State.CANCELLED, {CIT, OPS, SYS}),
        _t("reschedule", {State.PENDING, State.APPROVED}, None, {CIT, OPS}),
        _t("done", {State.APPROVED}, State.DONE, {OPS}),
        _t("missed", {State.APPROVED}, State.MISSED, {OPS}),
    ]
}


def allowed(name: str, state: str, actor: str) -> bool:
    transition = TRANSITIONS.get(name)
    return transition is not None and state in transition.source and actor in transition.actors


def available(state: str, actor: str) -> list[str]:
    """The transitions ``actor`` may fire from ``state``, in table order."""
    return [name for name, t in TRANSITIONS.items() if state in t.source and actor in t.actors]
