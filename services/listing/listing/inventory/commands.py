"""What the inventory's use cases are asked to do (plain data: no HTTP, no events)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from listing.domain.inventory import EvaluationKind, IntendedMode, Inventor, Willingness
from listing.domain.tiers import Tier
from shared.domain.terms import MarketEvaluation, WillImplement


@dataclass(frozen=True)
class RecordInventory:
    """Record or update a patent's inventory record. ``institution_uscc``: the
    institution the operator acts for (an institution acts for itself)."""

    application_number: str
    willingness: Willingness
    inventors: tuple[Inventor, ...] = ()
    intended_modes: tuple[IntendedMode, ...] = ()
    portfolios: tuple[str, ...] = ()
    state_funding_project: str | None = None
    notes: str | None = None
    institution_uscc: str | None = None


@dataclass(frozen=True)
class RecordEvaluation:
    """A new version of the patent's evaluation of ``kind``; ``evaluated_at`` defaults to
    now."""

    application_number: str
    kind: EvaluationKind
    evaluator_person: str
    readiness_level: int
    application_scenarios: str
    scenario_industry_codes: tuple[str, ...]
    prospects_score: int
    prospects: str
    market_size: Decimal | None = None
    investment_needed: Decimal | None = None
    improvement_needed: str | None = None
    evaluated_at: datetime | None = None


@dataclass(frozen=True)
class OverrideTier:
    application_number: str
    tier: Tier
    reason: str


@dataclass(frozen=True)
class ClearTierOverride:
    application_number: str


@dataclass(frozen=True)
class RecordMatchFeedback:
    """An enterprise's feedback on a patent (matching's ``MatchFeedbackRecorded``)."""

    feedback_id: str
    application_number: str
    enterprise_uscc: str | None
    will_implement: WillImplement
    wants_cooperation: bool
    market_evaluation: MarketEvaluation
    recorded_at: datetime
