"""Application states and the one table of allowed transitions (pure: no ORM)."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Bozza")
    PAYMENT_PENDING = "payment_pending", _("In attesa di pagamento")
    PAYMENT_OUTCOME_PENDING = "payment_outcome_pending", _("In attesa dell'esito di pagamento")
    PAYMENT_FAILED = "payment_failed", _("Pagamento rifiutato")
    SUBMITTED = "submitted", _("Inviata")
    REGISTERED = "registered", _("Protocollata")
    IN_PROGRESS = "in_progress", _("In carico")
    INTEGRATION_REQUESTED = "integration_requested", _("Richiesta integrazioni")
    INTEGRATION_RECEIVED = "integration_received", _("Integrazioni ricevute")
    ACCEPTED = "accepted", _("Accettata")
    REJECTED = "rejected", _("Rifiutata")
    WITHDRAWN = "withdrawn", _("Ritirata")
    CANCELLED = "cancelled", _("Annullata")


class Actor(models.TextChoices):
    CITIZEN = "citizen", _("Cittadino")
    OPERATOR = "operator", _("Operatore")
    SYSTEM = "system", _("Sistema")


FINAL_STATES = frozenset({State.ACCEPTED, State.REJECTED, State.WITHDRAWN, State.CANCELLED})
OPEN_STATES = frozenset(
    {
        State.SUBMITTED,
        State.REGISTERED,
        State.IN_PROGRESS,
        State.INTEGRATION_REQUESTED,
        State.INTEGRATION_RECEIVED,
    }
)


@dataclass(frozen=True)
class Transition:
    name: str
    source: frozenset
    target: State
    actor: Actor
    needs_motivation: bool = False


def _t(name, sources, target, actor, needs_motivation=False) -> Transition:
    return Transition(name, frozenset(sources), target, actor, needs_motivation)


TRANSITIONS = {
    t.name: t
    for t in [
        _t("submit", {State.DRAFT}, State.SUBMITTED, Actor.CITIZEN),
        _t("request_payment", {State.DRAFT, State.PAYMENT_FAILED}, State.PAYMENT_PENDING, Actor.CITIZEN),
        _t("payment_started", {State.PAYMENT_PENDING}, State.PAYMENT_OUTCOME_PENDING, Actor.SYSTEM),
        _t(
            "payment_failed",
            {State.PAYMENT_PENDING, State.PAYMENT_OUTCOME_PENDING},
            State.PAYMENT_FAILED,
            Actor.SYSTEM,
        ),
        # A "paid" reaching us after a "failed" (events out of order) still submits: the money was taken.
        _t(
            "payment_succeeded",
            {State.PAYMENT_PENDING, State.PAYMENT_OUTCOME_PENDING, State.PAYMENT_FAILED},
            State.SUBMITTED,
            Actor.SYSTEM,
        ),
        _t("register", {State.SUBMITTED}, State.REGISTERED, Actor.SYSTEM),
        # Only a new application is taken in charge: once integrations come back it already has its operator.
        _t("take_charge", {State.REGISTERED}, State.IN_PROGRESS, Actor.OPERATOR),
        _t(
            "request_integration",
            {State.IN_PROGRESS, State.INTEGRATION_RECEIVED},
            State.INTEGRATION_REQUESTED,
            Actor.OPERATOR,
            needs_motivation=True,
        ),
        _t("answer_integration", {State.INTEGRATION_REQUESTED}, State.INTEGRATION_RECEIVED, Actor.CITIZEN),
        _t("accept", {State.IN_PROGRESS, State.INTEGRATION_RECEIVED}, State.ACCEPTED, Actor.OPERATOR, True),
        _t("reject", {State.IN_PROGRESS, State.INTEGRATION_RECEIVED}, State.REJECTED, Actor.OPERATOR, True),
        _t("withdraw", OPEN_STATES, State.WITHDRAWN, Actor.CITIZEN),
        _t(
            "cancel",
            OPEN_STATES | {State.PAYMENT_PENDING, State.PAYMENT_FAILED},
            State.CANCELLED,
            Actor.OPERATOR,
            True,
        ),
    ]
}


def allowed(name: str, state: str, actor: str) -> bool:
    transition = TRANSITIONS.get(name)
    return transition is not None and state in transition.source and transition.actor == actor


def available(state: str, actor: str) -> list[str]:
    """The transitions ``actor`` may fire from ``state``, in table order."""
    return [name for name, t in TRANSITIONS.items() if state in t.source and t.actor == actor]
