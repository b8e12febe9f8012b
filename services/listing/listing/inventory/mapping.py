"""The inventory's rows <-> domain objects, and its events. Only the inventory area reads
these tables (coverage reads two columns of inventory_records with SQL of its own), so
the mapping lives here rather than in listing/mapping.py.

A bulk inventory upload builds its ``inventory_records`` rows with
:func:`inventory_values` and its events with :func:`inventory_recorded`, as the use cases
do."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from listing.domain.inventory import (
    Evaluation,
    EvaluationKind,
    IntendedMode,
    Inventor,
    InventoryRecord,
    RecordedTierChange,
    TierChange,
    TierSource,
    Willingness,
)
from listing.domain.patent import Patent
from listing.domain.tiers import Tier, TierResult
from listing.inventory.models import EvaluationRecord, PatentInventoryRecord, TierChangeRecord
from shared.events.schemas import EvaluationRecorded, InventoryRecorded, OrgRef, TierChanged

# -- inventory records ----------------------------------------------------------------------


def inventory_values(record: InventoryRecord) -> dict[str, Any]:
    """Every column of the record's ``inventory_records`` row (for an INSERT or COPY)."""
    computed = record.computed
    return {
        "application_number": record.application_number,
        "institution_uscc": record.institution_uscc,
        "institution_name": record.institution_name,
        "inventors": [{"name": i.name, "contact": i.contact} for i in record.inventors],
        "willingness": record.willingness.value,
        "intended_modes": [m.value for m in record.intended_modes],
        "portfolios": list(record.portfolios),
        "state_funding_project": record.state_funding_project,
        "notes": record.notes,
        "evaluated": record.evaluated,
        "tier": _value(record.tier),
        "computed_tier": _value(record.computed_tier),
        "rule_version": None if computed is None else computed.rule_version,
        "rule_id": None if computed is None else computed.rule_id,
        "reasons": [] if computed is None else list(computed.reasons),
        "override_tier": _value(record.override_tier),
        "override_reason": record.override_reason,
        "recorded_by_org_id": record.recorded_by_org_id,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }


INVENTORY_COLUMNS = tuple(PatentInventoryRecord.model_fields)


def inventory_row(record: InventoryRecord) -> PatentInventoryRecord:
    return PatentInventoryRecord(**inventory_values(record))


def update_inventory_row(row: PatentInventoryRecord, record: InventoryRecord) -> None:
    for name, value in inventory_values(record).items():
        if name != "application_number":
            setattr(row, name, value)


def to_inventory_record(row: PatentInventoryRecord) -> InventoryRecord:
    computed = None
    if row.computed_tier is not None and row.rule_version and row.rule_id:
        computed = TierResult(
            Tier(row.computed_tier), row.rule_id, row.rule_version, tuple(row.reasons)
        )
    return InventoryRecord(
        application_number=row.application_number,
        institution_uscc=row.institution_uscc,
        institution_name=row.institution_name,
        willingness=Willingness(row.willingness),
        recorded_by_org_id=row.recorded_by_org_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        inventors=[Inventor(i["name"], i.get("contact")) for i in row.inventors],
        intended_modes=[IntendedMode(m) for m in row.intended_modes],
        portfolios=list(row.portfolios),
        state_funding_project=row.state_funding_project,
        notes=row.notes,
        evaluated=row.evaluated,
        computed=computed,
        override_tier=Tier(row.override_tier) if row.override_tier else None,
        override_reason=row.override_reason,
    )


def inventory_recorded(record: InventoryRecord, patent: Patent) -> InventoryRecorded:
    """The public event of a recorded inventory: no inventor, no note, no evaluation.
    State funded: the catalogue says so, or the record names a funding project."""
    return InventoryRecorded(
        application_number=record.application_number,
        institution=OrgRef(name=record.institution_name, uscc=record.institution_uscc),
        willingness=record.willingness.value,
        intended_modes=[m.value for m in record.intended_modes],
        portfolios=list(record.portfolios),
        state_funded=patent.state_funded or record.state_funding_project is not None,
    )


# -- evaluations ----------------------------------------------------------------------------

_EVALUATION_AS_IS = tuple(
    n for n in EvaluationRecord.model_fields if n not in ("kind", "scenario_industry_codes")
)


def evaluation_row(evaluation: Evaluation) -> EvaluationRecord:
    return EvaluationRecord(
        **{n: getattr(evaluation, n) for n in _EVALUATION_AS_IS},
        kind=evaluation.kind.value,
        scenario_industry_codes=list(evaluation.scenario_industry_codes),
    )


def to_evaluation(row: EvaluationRecord) -> Evaluation:
    return Evaluation(
        **{n: getattr(row, n) for n in _EVALUATION_AS_IS},
        kind=EvaluationKind(row.kind),
        scenario_industry_codes=tuple(row.scenario_industry_codes),
    )


def evaluation_recorded(evaluation: Evaluation) -> EvaluationRecorded:
    """Who evaluated and when, never the person, the scores or the estimates."""
    return EvaluationRecorded(
        application_number=evaluation.application_number,
        kind=evaluation.kind.value,
        version=evaluation.version,
        evaluator=OrgRef(name=evaluation.evaluator_org_name, uscc=evaluation.evaluator_uscc),
        evaluated_at=evaluation.evaluated_at,
    )


# -- tier history ---------------------------------------------------------------------------


def tier_change_row(
    application_number: str, seq: int, change: TierChange, actor: str, at: datetime
) -> TierChangeRecord:
    return TierChangeRecord(
        application_number=application_number,
        seq=seq,
        tier=_value(change.tier),
        previous_tier=_value(change.previous_tier),
        in_force=change.in_force,
        source=change.source.value,
        rule_version=change.rule_version,
        reasons=list(change.reasons),
        actor=actor,
        at=at,
    )


def to_recorded_tier_change(row: TierChangeRecord) -> RecordedTierChange:
    change = TierChange(
        tier=Tier(row.tier) if row.tier else None,
        previous_tier=Tier(row.previous_tier) if row.previous_tier else None,
        source=TierSource(row.source),
        rule_version=row.rule_version,
        reasons=tuple(row.reasons),
        in_force=row.in_force,
    )
    return RecordedTierChange(row.seq, change, row.actor, row.at)


def tier_changed(application_number: str, change: TierChange) -> TierChanged:
    """The public event of a change of the tier in force (its reasons stay private)."""
    return TierChanged(
        application_number=application_number,
        tier=_value(change.tier),
        previous_tier=_value(change.previous_tier),
        source=change.source.value,
        rule_version=change.rule_version,
    )


def _value(tier: Tier | None) -> str | None:
    return None if tier is None else tier.value
