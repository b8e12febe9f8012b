"""Request and response bodies of a patent's inventory: its record, evaluations, tier."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, StrictBool

from listing.api.schemas import _Input
from listing.domain.inventory import (
    Evaluation,
    EvaluationKind,
    IntendedMode,
    InventoryRecord,
    RecordedTierChange,
    TierSource,
    Willingness,
)
from listing.domain.tiers import Tier
from listing.inventory.commands import OverrideTier, RecordEvaluation
from listing.inventory.queries import InventoriedPatent
from listing.inventory.schemas import PersonName
from shared.domain.industry import check_industry_code
from shared.http.types import Instant, MoneyAmount, VisibleStr

IndustryCode = Annotated[str, Field(max_length=5), AfterValidator(check_industry_code)]
Text = Annotated[VisibleStr, Field(max_length=2000)]


class InventorOut(BaseModel):
    name: str
    contact: str | None


class InventoryOut(BaseModel):
    """The whole record: inventors and notes are personal data, shown to the owning
    institution, the operator and regulators only."""

    application_number: str
    institution_uscc: str
    institution_name: str
    inventors: list[InventorOut]
    willingness: Willingness
    intended_modes: list[IntendedMode]
    portfolios: list[str]
    state_funding_project: str | None
    notes: str | None
    evaluated: bool
    tier: Tier | None
    computed_tier: Tier | None
    override_tier: Tier | None
    override_reason: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, record: InventoryRecord) -> InventoryOut:
        return cls(
            **{n: getattr(record, n) for n in cls.model_fields if n != "inventors"},
            inventors=[InventorOut(name=i.name, contact=i.contact) for i in record.inventors],
        )


class EvaluationIn(_Input):
    """One evaluation: the inventor's self-assessment (发明人自评) or the institution's
    (单位集中评价). Each is kept as a new version."""

    kind: EvaluationKind
    evaluator_person: PersonName = Field(examples=["李明"])
    evaluated_at: Instant | None = Field(
        default=None, description="With its UTC offset; default: now."
    )
    readiness_level: int = Field(ge=1, le=9, description="Technology readiness level 1-9.")
    application_scenarios: Text = Field(examples=["储能电站电池簇在线监测"])
    scenario_industry_codes: list[IndustryCode] = Field(
        default_factory=list,
        max_length=10,
        description="GB/T 4754-2017 codes of the scenarios' industries (C38, C3841).",
        examples=[["C384"]],
    )
    prospects_score: int = Field(ge=1, le=5, description="Industrialisation prospects, 1-5.")
    prospects: Text
    market_size: MoneyAmount | None = Field(default=None, description="Estimated, CNY.")
    investment_needed: MoneyAmount | None = Field(
        default=None, description="To industrialise, CNY."
    )
    improvement_needed: str | None = Field(default=None, max_length=2000)

    def to_command(self, application_number: str) -> RecordEvaluation:
        return RecordEvaluation(
            application_number=application_number,
            scenario_industry_codes=tuple(self.scenario_industry_codes),
            **{
                n: getattr(self, n)
                for n in type(self).model_fields
                if n != "scenario_industry_codes"
            },
        )


class EvaluationOut(BaseModel):
    application_number: str
    kind: EvaluationKind
    version: int
    evaluator_org_name: str
    evaluator_uscc: str | None
    evaluator_person: str
    evaluated_at: datetime
    readiness_level: int
    application_scenarios: str
    scenario_industry_codes: list[str]
    prospects_score: int
    prospects: str
    market_size: MoneyAmount | None
    investment_needed: MoneyAmount | None
    improvement_needed: str | None

    @classmethod
    def of(cls, evaluation: Evaluation) -> EvaluationOut:
        return cls(**{n: getattr(evaluation, n) for n in cls.model_fields})


class EvaluationList(BaseModel):
    items: list[EvaluationOut]


class TierOut(BaseModel):
    """The tier in force. `computed_tier`, `rule_id`, `reasons` and the override's
    reason are shown to the owning institution, the operator and regulators only."""

    application_number: str
    tier: Tier | None = Field(description="The override if any, else the computed tier.")
    overridden: bool
    rule_version: str | None
    computed_tier: Tier | None = None
    rule_id: str | None = None
    reasons: list[str] | None = None
    override_tier: Tier | None = None
    override_reason: str | None = None

    @classmethod
    def of(cls, record: InventoryRecord, *, private: bool) -> TierOut:
        computed = record.computed
        public = cls(
            application_number=record.application_number,
            tier=record.tier,
            overridden=record.override_tier is not None,
            rule_version=None if computed is None else computed.rule_version,
        )
        if not private:
            return public
        return public.model_copy(
            update={
                "computed_tier": record.computed_tier,
                "rule_id": None if computed is None else computed.rule_id,
                "reasons": [] if computed is None else list(computed.reasons),
                "override_tier": record.override_tier,
                "override_reason": record.override_reason,
            }
        )


class TierOverrideIn(_Input):
    tier: Tier
    reason: VisibleStr = Field(
        min_length=4, max_length=2000, examples=["已与企业签订意向协议，宜快速转化"]
    )

    def to_command(self, application_number: str) -> OverrideTier:
        return OverrideTier(application_number, self.tier, self.reason)


class TierChangeOut(BaseModel):
    seq: int
    tier: Tier | None
    previous_tier: Tier | None
    in_force: StrictBool = Field(description="False: the computed tier moved under an override.")
    source: TierSource
    rule_version: str | None
    reasons: list[str]
    actor: str
    at: datetime

    @classmethod
    def of(cls, entry: RecordedTierChange) -> TierChangeOut:
        c = entry.change
        return cls(
            seq=entry.seq,
            tier=c.tier,
            previous_tier=c.previous_tier,
            in_force=c.in_force,
            source=c.source,
            rule_version=c.rule_version,
            reasons=list(c.reasons),
            actor=entry.actor,
            at=entry.at,
        )


class TierHistory(BaseModel):
    items: list[TierChangeOut]


class InventoriedPatentOut(BaseModel):
    """A patent of an institution's inventory: what it wants to do with it and where its
    evaluation and tier stand. Inventors, notes, evaluations and the tier's reasons are
    read per patent (`GET /v1/patents/{application_number}/inventory`, `.../evaluations`,
    `.../tier`)."""

    application_number: str = Field(examples=["201710601862.3"])
    title: str
    institution_uscc: str = Field(description="The institution whose record it is.")
    institution_name: str
    willingness: Willingness
    intended_modes: list[IntendedMode]
    portfolios: list[str]
    state_funded: bool
    state_funding_project: str | None
    evaluated: bool = Field(description="Any evaluation recorded.")
    tier: Tier | None = Field(description="The tier in force: the override if any.")
    computed_tier: Tier | None
    override_tier: Tier | None
    unexploited_flagged_on: date | None = Field(
        description="Flagged since: a state-funded patent not exploited five years after grant."
    )
    updated_at: datetime

    @classmethod
    def of(cls, patent: InventoriedPatent) -> InventoriedPatentOut:
        return cls(**{n: getattr(patent, n) for n in cls.model_fields})


INVENTORIED_HEADER = tuple(InventoriedPatentOut.model_fields)


def inventoried_cells(patent: InventoriedPatent) -> list[Any]:
    """A CSV row: lists joined with ``;``, booleans as true/false, times in ISO 8601."""
    cells: list[Any] = []
    for name in INVENTORIED_HEADER:
        value = getattr(patent, name)
        if isinstance(value, list):
            value = ";".join(value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, date):  # datetimes too
            value = value.isoformat()
        cells.append(value)
    return cells
