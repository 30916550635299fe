"""The pure payment plan: reductions, rounding and the split over budget lines, exhaustively."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sportello.subscriptions import plans
from sportello.subscriptions.plans import Item, Rule

ITEMS = [
    Item("iscrizione", "enrolment", (3000,), reducible=False),
    Item("rata-1", "instalment", (12000, 2000)),
    Item("rata-2", "instalment", (12000, 2000)),
    Item("extra", "optional", (5000,)),
]
RULES = [
    Rule("isee", 50, isee_max_cents=1_000_000),
    Rule("isee", 30, isee_max_cents=2_000_000),
    Rule("sibling", 20, sibling_rank=2),
    Rule("sibling", 40, sibling_rank=3),
]


@pytest.mark.parametrize(
    ("cents", "percent", "expected"),
    [(1000, 0, 1000), (1000, 100, 0), (999, 50, 500), (1, 50, 1), (3, 50, 2), (14000, 20, 11200)],
)
def test_percent_off_rounds_half_up(cents, percent, expected):
    assert plans.percent_off(cents, percent) == expected


def test_percent_off_refuses_out_of_range():
    with pytest.raises(ValueError):
        plans.percent_off(100, 101)


@pytest.mark.parametrize(
    ("isee", "rank", "expected"),
    [
        (None, 1, []),
        (500_000, 1, [50]),
        (1_000_000, 1, [50]),  # the band's limit is included
        (1_000_001, 1, [30]),
        (2_500_000, 1, []),
        (None, 2, [20]),
        (None, 3, [40]),
        (None, 7, [40]),
        (1_500_000, 2, [30, 20]),
    ],
)
def test_applicable_percents(isee, rank, expected):
    assert plans.applicable_percents(RULES, isee_cents=isee, sibling_rank=rank) == expected


def test_plan_amounts_reduce_reducible_items_and_skip_optional_ones():
    charges = plans.plan_amounts(ITEMS, RULES, isee_cents=900_000, sibling_rank=2)
    assert [(c.code, c.cents, c.lines) for c in charges] == [
        ("iscrizione", 3000, (3000,)),  # not reducible
        ("rata-1", 5600, (4800, 800)),  # 14000 -50% -20%
        ("rata-2", 5600, (4800, 800)),
    ]


def test_overrides_set_amounts_as_given_and_may_add_optional_items():
    charges = plans.plan_amounts(ITEMS, RULES, isee_cents=0, overrides={"rata-1": 10001, "extra": 0})
    by_code = {c.code: c for c in charges}
    assert by_code["rata-1"].cents == 10001 and sum(by_code["rata-1"].lines) == 10001
    assert by_code["extra"].cents == 0 and by_code["extra"].lines == ()
    assert by_code["rata-2"].cents == 7000


def test_full_reduction_leaves_nothing_to_pay():
    charges = plans.plan_amounts(ITEMS, [Rule("isee", 100, isee_max_cents=10)], isee_cents=5)
    assert [c.cents for c in charges] == [3000, 0, 0]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    total=st.integers(min_value=0, max_value=10_000_000),
    weights=st.lists(st.integers(min_value=0, max_value=1_000_000), min_size=1, max_size=5),
)
def test_split_always_adds_up_and_stays_proportional(total, weights):
    parts = plans.split(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)
    whole = sum(weights)
    if whole:
        for part, weight in zip(parts, weights, strict=True):
            assert abs(part - total * weight / whole) < 1


def test_split_small_exhaustive():
    for total, weights in itertools.product(range(0, 12), [(1, 1), (1, 2), (3, 1, 1), (0, 5)]):
        parts = plans.split(total, weights)
        assert sum(parts) == total and all(p >= 0 for p in parts)
        if weights[0] == 0:
            assert parts[0] == 0


def test_split_refuses_negative():
    with pytest.raises(ValueError):
        plans.split(-1, (1,))
