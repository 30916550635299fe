import pytest

from sportello.applications.states import FINAL_STATES, TRANSITIONS, Actor, State, allowed, available


def test_every_state_but_the_final_ones_can_be_left():
    sources = set().union(*(t.source for t in TRANSITIONS.values()))
    assert set(State) - sources == set(FINAL_STATES)


def test_no_transition_leaves_a_final_state():
    for transition in TRANSITIONS.values():
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
        "cancel",
    ]
