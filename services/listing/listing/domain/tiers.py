"""Tiers (分层) of inventoried stock patents, computed by a versioned rule table.

A: ready for fast transformation; B: promote; C: needs further development; D: no
realistic market (consider abandoning it to save annual fees). The tier follows from
the evaluation that counts (the latest institution evaluation, else the latest inventor
self-assessment) and from enterprises' feedback gathered by matching. The first rule of
the table that holds decides; docs/inventory.md prints the table and worked examples,
and a test checks :func:`compute_tier` against every one of them.

A rule table is never edited once in force: a new one gets a new version, so every
recorded tier names the rules that produced it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Tier(StrEnum):
    A = "A"  # ready for fast transformation
    B = "B"  # promote
    C = "C"  # needs further development
    D = "D"  # no realistic market: consider abandoning


@dataclass(frozen=True)
class FeedbackCounts:
    """Enterprises' feedback on one patent from matching (one vote per feedback)."""

    willing: int = 0  # will_implement = yes
    unwilling: int = 0  # will_implement = no
    positive: int = 0  # market_evaluation = positive
    negative: int = 0  # market_evaluation = negative


@dataclass(frozen=True)
class TierInputs:
    readiness_level: int  # 1-9
    prospects_score: int  # 1-5
    feedback: FeedbackCounts = FeedbackCounts()


@dataclass(frozen=True)
class TierRule:
    id: str
    tier: Tier
    reason: str
    holds: Callable[[TierInputs], bool]


@dataclass(frozen=True)
class TierResult:
    tier: Tier
    rule_id: str
    rule_version: str
    reasons: tuple[str, ...]


def _r(i: TierInputs) -> int:
    return i.readiness_level


def _p(i: TierInputs) -> int:
    return i.prospects_score


RULE_VERSION_V1 = "2026-12-v1"
# In order: the first rule that holds decides. D before A so that a patent nobody wants
# is never promoted by a hopeful self-assessment.
RULES_V1: tuple[TierRule, ...] = (
    TierRule("D1", Tier.D, "prospects scored 1: no realistic market", lambda i: _p(i) == 1),
    TierRule(
        "D2",
        Tier.D,
        "readiness at most 3 and prospects at most 2",
        lambda i: _r(i) <= 3 and _p(i) <= 2,
    ),
    TierRule(
        "D3",
        Tier.D,
        "at least 3 enterprises judged the market negative and none positive or willing",
        lambda i: i.feedback.negative >= 3 and i.feedback.positive == 0 and i.feedback.willing == 0,
    ),
    TierRule(
        "A1",
        Tier.A,
        "readiness at least 7 and prospects at least 4",
        lambda i: _r(i) >= 7 and _p(i) >= 4,
    ),
    TierRule(
        "A2",
        Tier.A,
        "readiness at least 6, prospects at least 3 and an enterprise willing to implement",
        lambda i: _r(i) >= 6 and _p(i) >= 3 and i.feedback.willing >= 1,
    ),
    TierRule(
        "B1",
        Tier.B,
        "readiness at least 5 and prospects at least 3",
        lambda i: _r(i) >= 5 and _p(i) >= 3,
    ),
    TierRule(
        "B2",
        Tier.B,
        "prospects at least 3 and an enterprise willing to implement or 2 positive market views",
        lambda i: _p(i) >= 3 and (i.feedback.willing >= 1 or i.feedback.positive >= 2),
    ),
    TierRule("C1", Tier.C, "none of the above: needs further development", lambda _: True),
)

RULE_TABLES: dict[str, tuple[TierRule, ...]] = {RULE_VERSION_V1: RULES_V1}
CURRENT_RULE_VERSION = RULE_VERSION_V1


def compute_tier(inputs: TierInputs, version: str = CURRENT_RULE_VERSION) -> TierResult:
    """The tier the rule table ``version`` gives, with the rule and the facts it read."""
    rule = next(r for r in RULE_TABLES[version] if r.holds(inputs))
    f = inputs.feedback
    facts = (
        f"readiness level {inputs.readiness_level}, prospects score {inputs.prospects_score}",
        f"enterprise feedback: {f.willing} willing, {f.unwilling} not willing, "
        f"{f.positive} positive, {f.negative} negative",
    )
    return TierResult(rule.tier, rule.id, version, (f"{rule.id}: {rule.reason}", *facts))
