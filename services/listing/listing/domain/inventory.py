"""The inventory (存量专利盘点) of one stock patent: its record, evaluations and tier.

An institution inventories its unconverted patents: who invented them, whether and how
it wants to transform them, to which portfolios they belong, and how they are evaluated
(发明人自评 and 单位集中评价). The tier in force is the institution's or operator's
override if there is one, else the tier the rule table computes (domain/tiers.py).
Inventors' names and contacts, evaluations and market estimates are personal or
commercial data: none of them leaves in a public event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from listing.domain.tiers import FeedbackCounts, Tier, TierInputs, TierResult, compute_tier
from shared.domain.industry import check_industry_code


class Willingness(StrEnum):
    WILLING = "willing"
    NOT_WILLING = "not_willing"
    UNDECIDED = "undecided"


class IntendedMode(StrEnum):
    TRANSFER = "transfer"
    LICENSE = "license"
    OPEN_LICENSE = "open_license"
    EQUITY_INVESTMENT = "equity_investment"  # 作价入股
    JOINT_DEVELOPMENT = "joint_development"


class EvaluationKind(StrEnum):
    SELF_ASSESSMENT = "self_assessment"  # 发明人自评
    INSTITUTION = "institution"  # 单位集中评价


class TierSource(StrEnum):
    RULE = "rule"
    OVERRIDE = "override"
    OVERRIDE_CLEARED = "override_cleared"


READINESS_LEVELS = range(1, 10)
PROSPECTS_SCORES = range(1, 6)


@dataclass(frozen=True)
class Inventor:
    name: str
    contact: str | None = None


@dataclass(frozen=True)
class Evaluation:
    """One version of one kind of evaluation of a patent; versions are never changed."""

    application_number: str
    kind: EvaluationKind
    version: int
    evaluator_org_id: str
    evaluator_org_name: str
    evaluator_uscc: str | None
    evaluator_person: str
    evaluated_at: datetime
    readiness_level: int
    application_scenarios: str
    scenario_industry_codes: tuple[str, ...]
    prospects_score: int
    prospects: str
    market_size: Decimal | None = None
    investment_needed: Decimal | None = None
    improvement_needed: str | None = None

    def __post_init__(self) -> None:
        check_evaluation_scores(self.readiness_level, self.prospects_score)
        for code in self.scenario_industry_codes:
            check_industry_code(code)
        for name in ("market_size", "investment_needed"):
            amount = getattr(self, name)
            if amount is not None and amount < 0:
                raise ValueError(f"{name} cannot be negative")


def check_evaluation_scores(readiness_level: int, prospects_score: int) -> None:
    if readiness_level not in READINESS_LEVELS:
        raise ValueError(
            f"readiness_level is a technology readiness level 1-9, not {readiness_level}"
        )
    if prospects_score not in PROSPECTS_SCORES:
        raise ValueError(f"prospects_score is 1-5, not {prospects_score}")


def evaluation_that_counts(evaluations: list[Evaluation]) -> Evaluation | None:
    """The latest institution evaluation, else the latest self-assessment."""
    for kind in (EvaluationKind.INSTITUTION, EvaluationKind.SELF_ASSESSMENT):
        of_kind = [e for e in evaluations if e.kind is kind]
        if of_kind:
            return max(of_kind, key=lambda e: e.version)
    return None


@dataclass(frozen=True)
class TierChange:
    """One line of a patent's tier history. ``in_force``: the tier in force changed (a
    rule's change under an override is recorded, not published)."""

    tier: Tier | None
    previous_tier: Tier | None
    source: TierSource
    rule_version: str | None
    reasons: tuple[str, ...]
    in_force: bool


@dataclass
class InventoryRecord:
    application_number: str
    institution_uscc: str
    institution_name: str
    willingness: Willingness
    recorded_by_org_id: str
    created_at: datetime
    updated_at: datetime
    inventors: list[Inventor] = field(default_factory=list)
    intended_modes: list[IntendedMode] = field(default_factory=list)
    portfolios: list[str] = field(default_factory=list)
    state_funding_project: str | None = None
    notes: str | None = None
    evaluated: bool = False
    computed: TierResult | None = None
    override_tier: Tier | None = None
    override_reason: str | None = None

    @property
    def tier(self) -> Tier | None:
        """The tier in force: the override, else the computed tier."""
        if self.override_tier is not None:
            return self.override_tier
        return None if self.computed is None else self.computed.tier

    @property
    def computed_tier(self) -> Tier | None:
        return None if self.computed is None else self.computed.tier

    def retier(self, basis: Evaluation | None, feedback: FeedbackCounts) -> TierChange | None:
        """Compute the tier again from the evaluation that counts and the feedback; the
        change, if the computed tier changed (no evaluation: no tier)."""
        self.evaluated = self.evaluated or basis is not None
        result = (
            None
            if basis is None
            else compute_tier(TierInputs(basis.readiness_level, basis.prospects_score, feedback))
        )
        before, previous_computed = self.tier, self.computed_tier
        self.computed = result
        if self.computed_tier == previous_computed:
            return None
        return TierChange(
            tier=self.computed_tier,
            previous_tier=before,
            source=TierSource.RULE,
            rule_version=None if result is None else result.rule_version,
            reasons=() if result is None else result.reasons,
            in_force=self.tier != before,
        )

    def override(self, tier: Tier, reason: str) -> TierChange:
        reason = reason.strip()
        if len(reason) < 4:
            raise ValueError(
                "reason: a tier override needs a written reason (4 characters or more)"
            )
        before = self.tier
        self.override_tier, self.override_reason = tier, reason
        return TierChange(
            tier, before, TierSource.OVERRIDE, self._version(), (reason,), tier != before
        )

    def clear_override(self) -> TierChange | None:
        """Back to the computed tier; None if no override was in force."""
        if self.override_tier is None:
            return None
        before = self.tier
        self.override_tier, self.override_reason = None, None
        reasons = () if self.computed is None else self.computed.reasons
        return TierChange(
            self.tier,
            before,
            TierSource.OVERRIDE_CLEARED,
            self._version(),
            reasons,
            self.tier != before,
        )

    def _version(self) -> str | None:
        return None if self.computed is None else self.computed.rule_version


@dataclass(frozen=True)
class RecordedTierChange:
    """A line of the tier history as kept: the change, who made it and when."""

    seq: int
    change: TierChange
    actor: str
    at: datetime
