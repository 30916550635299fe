import pytest

from sportello.applications.states import (
    FINAL_STATES,
    TRANSITIONS,
    Actor,
    State,
    allowed,
    available,
    payment_transition,
)

MOVING = [t for t in TRANSITIONS.values() if t.target is not None]  # the others only record an event


def test_every_state_but_the_final_ones_can_be_left():
    sources = set().union(*(t.source for t in MOVING))
    assert set(State) - sources == set(FINAL_STATES)


def test_no_transition_leaves_a_final_state():
    for transition in MOVING:
        assert not transition.source & FINAL_STATES


def test_every_state_is_reachable():
    targets = {t.target for t in TRANSITIONS.values()}
    assert set(State) - targets == {State.DRAFT}


@pytest.mark.parametrize(
    "name, state, actor",
    [
        ("submit", State.DRAFT, Actor.CITIZEN),
        ("take_charge", State.REGISTERED, Actor.OPERATOR),
        ("request_integration", State.IN_PROGRESS, Actor.OPERATOR),
        ("answer_integration", State.INTEGRATION_REQUESTED, Actor.CITIZEN),
        ("accept", State.IN_PROGRESS, Actor.OPERATOR),
        ("reject", State.INTEGRATION_RECEIVED, Actor.OPERATOR),
        ("withdraw", State.REGISTERED, Actor.CITIZEN),
        ("cancel", State.IN_PROGRESS, Actor.OPERATOR),
    ],
)
def test_allowed(name, state, actor):
    assert allowed(name, state, actor)


@pytest.mark.parametrize(
    "name, state, actor",
    [
        ("submit", State.REGISTERED, Actor.CITIZEN),
        ("accept", State.REGISTERED, Actor.OPERATOR),  # must be taken in charge first
        ("take_charge", State.INTEGRATION_RECEIVED, Actor.OPERATOR),  # already in someone's charge
        ("accept", State.IN_PROGRESS, Actor.CITIZEN),  # wrong actor
        ("withdraw", State.ACCEPTED, Actor.CITIZEN),
        ("withdraw", State.IN_PROGRESS, Actor.OPERATOR),
        ("cancel", State.REJECTED, Actor.OPERATOR),
        ("answer_integration", State.IN_PROGRESS, Actor.CITIZEN),
        ("nonexistent", State.DRAFT, Actor.CITIZEN),
    ],
)
def test_disallowed(name, state, actor):
    assert not allowed(name, state, actor)


def test_available_actions_for_an_operator_on_an_application_in_progress():
    assert available(State.IN_PROGRESS, Actor.OPERATOR) == [
        "request_integration",
        "accept",
        "reject",
        "payment_request",  # through the payment box ("Richiedi pagamento"), not a button of its own
        "cancel",
    ]


@pytest.mark.parametrize(
    "outcome, state, expected",
    [
        # a fee at submission
        ("succeeded", State.PAYMENT_PENDING, "payment_succeeded"),
        ("succeeded", State.PAYMENT_FAILED, "payment_succeeded"),  # paid after failed: the money was taken
        ("failed", State.PAYMENT_OUTCOME_PENDING, "payment_failed"),
        ("cancelled", State.PAYMENT_PENDING, None),  # the office cancelled it: left to the operator
        # a payment asked by the office while handling
        ("succeeded", State.PAYMENT_REQUESTED, "payment_received"),
        ("failed", State.PAYMENT_REQUESTED, "payment_not_received"),
        ("cancelled", State.PAYMENT_REQUESTED, "payment_not_received"),
        ("started", State.PAYMENT_REQUESTED, None),
        # paid where no payment was awaited: recorded, the state stays
        ("succeeded", State.IN_PROGRESS, "payment_received_late"),
        ("succeeded", State.WITHDRAWN, "payment_received_late"),
        ("failed", State.IN_PROGRESS, None),
        ("succeeded", State.DRAFT, None),
    ],
)
def test_a_payment_outcome_fires_the_transition_its_state_allows(outcome, state, expected):
    assert payment_transition(outcome, state) == expected


def test_a_requested_payment_waits_and_returns_to_handling():
    assert allowed("payment_request", State.REGISTERED, Actor.OPERATOR)
    assert allowed("payment_request", State.INTEGRATION_RECEIVED, Actor.OPERATOR)
    assert not allowed("payment_request", State.INTEGRATION_REQUESTED, Actor.OPERATOR)
    assert not allowed("payment_request", State.PAYMENT_REQUESTED, Actor.OPERATOR)  # asked once
    assert TRANSITIONS["payment_request"].target == State.PAYMENT_REQUESTED
    assert TRANSITIONS["payment_received"].target == State.IN_PROGRESS
    assert TRANSITIONS["payment_received_late"].target is None
    # while waiting the office can only cancel, the citizen withdraw
    assert available(State.PAYMENT_REQUESTED, Actor.OPERATOR) == ["cancel"]
    assert available(State.PAYMENT_REQUESTED, Actor.CITIZEN) == ["withdraw"]
