"""Pure computations of the payment plan (no ORM): reductions by ISEE band or sibling, amounts per item and
their split over the item's budget lines. Money in integer cents."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Item:
    code: str
    kind: str  # enrolment | instalment | optional
    lines: tuple[int, ...]  # the budget lines' amounts (cents), 1-5
    reducible: bool = True

    @property
    def amount(self) -> int:
        return sum(self.lines)


@dataclass(frozen=True)
class Rule:
    kind: str  # isee | sibling
    percent: int  # 1-100
    isee_max_cents: int | None = None
    sibling_rank: int | None = None


@dataclass(frozen=True)
class ChargeAmount:
    code: str
    cents: int
    lines: tuple[int, ...] = field(default=())


def percent_off(cents: int, percent: int) -> int:
    """``cents`` reduced by ``percent`` %, rounded half up to the cent."""
    if not 0 <= percent <= 100:
        raise ValueError("percent out of range")
    return (cents * (100 - percent) * 2 + 100) // 200


def applicable_percents(rules, *, isee_cents: int | None, sibling_rank: int) -> list[int]:
    """The reductions that apply: the best ISEE band containing ``isee_cents`` (no ISEE given: none) and the
    best sibling reduction for the ``sibling_rank``-th child (1 = first child: none)."""
    isee = [
        r.percent
        for r in rules
        if r.kind == "isee" and isee_cents is not None and r.isee_max_cents is not None
        if isee_cents <= r.isee_max_cents
    ]
    sibling = [
        r.percent for r in rules if r.kind == "sibling" and r.sibling_rank and sibling_rank >= r.sibling_rank
    ]
    return [p for p in (max(isee, default=0), max(sibling, default=0)) if p]


def reduced(cents: int, percents) -> int:
    """Apply the reductions one after the other (20% then 50% is 60% off, never more than 100%)."""
    for percent in percents:
        cents = percent_off(cents, percent)
    return cents


def split(total: int, weights) -> tuple[int, ...]:
    """``total`` split over the budget lines in proportion to ``weights`` (their full amounts); the cents lost
    to rounding go to the largest lines first, so the parts always add up to ``total``."""
    weights = tuple(weights)
    if total < 0 or not weights or any(w < 0 for w in weights):
        raise ValueError("bad split")
    whole = sum(weights)
    if whole == 0:
        parts = [0] * len(weights)
        parts[0] = total
        return tuple(parts)
    parts = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), -weights[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return tuple(parts)


def plan_amounts(
    items, rules, *, isee_cents: int | None = None, sibling_rank: int = 1, overrides: dict | None = None
) -> list[ChargeAmount]:
    """The charges of a new subscription: every required item (enrolment fee and instalments; optional
    payments are chosen later), reduced when reducible, or the amount of ``overrides`` (an import's) as is."""
    overrides = overrides or {}
    percents = applicable_percents(rules, isee_cents=isee_cents, sibling_rank=sibling_rank)
    charges = []
    for item in items:
        if item.kind == "optional" and item.code not in overrides:
            continue
        if item.code in overrides:
            cents = overrides[item.code]
        else:
            cents = reduced(item.amount, percents) if item.reducible else item.amount
        charges.append(ChargeAmount(item.code, cents, split(cents, item.lines) if cents else ()))
    return charges
