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
    # The office asked for a deferred payment while handling it: the application waits until it is paid.
    PAYMENT_REQUESTED = "payment_requested", _("In attesa del pagamento richiesto")
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
        State.PAYMENT_REQUESTED,
    }
)


@dataclass(frozen=True)
class Transition:
    name: str
    source: frozenset
    target: State | None  # None: the state stays, the event is recorded in the history
    actor: Actor
    needs_motivation: bool = False
    label: str = ""  # what the history shows instead of the target state's name


def _t(name, sources, target, actor, needs_motivation=False, label="") -> Transition:
    return Transition(name, frozenset(sources), target, actor, needs_motivation, label)


# Where the office may ask for a deferred payment (it takes the application in charge if nobody has).
PAYMENT_REQUEST_SOURCES = {State.REGISTERED, State.IN_PROGRESS, State.INTEGRATION_RECEIVED}
# A payment of the application paid where no payment was awaited (after a failure, a second request, a
# withdrawal): the history records it so the office can act (e.g. refund), the state stays.
LATE_PAYMENT_SOURCES = (
    set(State) - {State.DRAFT, State.PAYMENT_PENDING, State.PAYMENT_OUTCOME_PENDING, State.PAYMENT_FAILED}
) - {State.PAYMENT_REQUESTED}


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
        # The deferred payment asked by the office ("Richiedi pagamento", through payments): the application waits
        # for it and then returns to handling; a failed, expired or cancelled payment returns it too.
        _t(
            "payment_request",
            PAYMENT_REQUEST_SOURCES,
            State.PAYMENT_REQUESTED,
            Actor.OPERATOR,
            label=_("Pagamento richiesto"),
        ),
        _t(
            "payment_received",
            {State.PAYMENT_REQUESTED},
            State.IN_PROGRESS,
            Actor.SYSTEM,
            label=_("Pagamento ricevuto"),
        ),
        _t("payment_received_late", LATE_PAYMENT_SOURCES, None, Actor.SYSTEM, label=_("Pagamento ricevuto")),
        _t(
            "payment_not_received",
            {State.PAYMENT_REQUESTED},
            State.IN_PROGRESS,
            Actor.SYSTEM,
            label=_("Pagamento non eseguito"),
        ),
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


# A payment's news, in the order tried: the first transition the application's state allows fires.
PAYMENT_OUTCOMES = {
    "started": ("payment_started",),
    "failed": ("payment_failed", "payment_not_received"),
    "cancelled": ("payment_not_received",),  # by the office: a fee at submission is left to the operator
    "succeeded": ("payment_succeeded", "payment_received", "payment_received_late"),
}
# Fired by ``payments`` ("Richiedi pagamento"), not one of the application's own buttons.
DRIVEN_BY_PAYMENTS = frozenset({"payment_request"})


def payment_transition(outcome: str, state: str) -> str | None:
    """The transition a payment's ``outcome`` fires on an application in ``state``, if any."""
    return next((name for name in PAYMENT_OUTCOMES[outcome] if allowed(name, state, Actor.SYSTEM)), None)


def allowed(name: str, state: str, actor: str) -> bool:
    transition = TRANSITIONS.get(name)
    return transition is not None and state in transition.source and transition.actor == actor


def available(state: str, actor: str) -> list[str]:
    """The transitions ``actor`` may fire from ``state``, in table order."""
    return [name for name, t in TRANSITIONS.items() if state in t.source and t.actor == actor]
