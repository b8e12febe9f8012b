"""Inventory use cases: record a patent's inventory, evaluate it, tier it, override the
tier, and take enterprises' feedback into the tier. Use cases never commit.

Every use case that changes a tier locks the patent's row, then the inventory record's,
and writes the patent's public inventory facts (tier, willingness, intended modes) in the
same transaction as the record."""

from __future__ import annotations

from dataclasses import replace

from listing.catalogue.repository import PatentRepository
from listing.catalogue.service import catalogued
from listing.domain.errors import (
    InventoryInstitutionNotPatentee,
    InventoryInvalid,
    InventoryNotOwner,
    InventoryNotRecorded,
)
from listing.domain.inventory import (
    Evaluation,
    InventoryRecord,
    RecordedTierChange,
    TierChange,
    evaluation_that_counts,
)
from listing.domain.patent import Patent
from listing.inventory import mapping
from listing.inventory.commands import (
    ClearTierOverride,
    OverrideTier,
    RecordEvaluation,
    RecordInventory,
    RecordMatchFeedback,
)
from listing.inventory.repository import InventoryRepository, MatchFeedbackRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.domain import ApplicationNumber
from shared.errors import NotFound

# The actor of a tier the matching feedback moved.
MATCHING_ACTOR = "matching"


def _owns(principal: Principal, patent: Patent) -> bool:
    return principal.org_type is OrgType.OPERATOR or patent.is_patentee(principal.uscc)


def _check_writer(principal: Principal, patent: Patent) -> None:
    if not _owns(principal, patent):
        raise InventoryNotOwner(
            f"only a patentee of {patent.application_number} (the owning institution) or "
            "the operator may change its inventory"
        )


def may_read_private(principal: Principal, patent: Patent) -> bool:
    """Inventors, evaluations, estimates and tier reasons: the owning institution, the
    operator and regulators (PIPL)."""
    return principal.org_type is OrgType.REGULATOR or _owns(principal, patent)


async def _patent(uow: UnitOfWork, number: str, *, lock: bool) -> Patent:
    return await catalogued(PatentRepository(uow.session), _normalised(number), lock=lock)


def _normalised(number: str) -> str:
    return ApplicationNumber.parse(number).value


async def record_inventory(
    uow: UnitOfWork, principal: Principal, command: RecordInventory
) -> InventoryRecord:
    """Create or replace the inventory record; publishes ``InventoryRecorded``."""
    patent = await _patent(uow, command.application_number, lock=True)
    _check_writer(principal, patent)
    uscc = command.institution_uscc
    if principal.org_type is OrgType.OPERATOR:
        if uscc is None:
            raise InventoryInvalid(
                "institution_uscc: the operator names the institution it records for"
            )
    elif uscc not in (None, principal.uscc):
        raise InventoryNotOwner("institution_uscc: an institution records its own inventory")
    else:
        uscc = principal.uscc
    institution = next((p for p in patent.patentees if uscc and p.uscc == uscc), None)
    if institution is None or institution.uscc is None:
        raise InventoryInstitutionNotPatentee(
            f"institution_uscc: {uscc} is not a patentee of {patent.application_number}"
        )
    records = InventoryRepository(uow.session)
    number, now = patent.application_number.value, uow.clock.now()
    found = await records.get_for_update(number)
    details = dict(
        institution_uscc=institution.uscc,
        institution_name=institution.name,
        willingness=command.willingness,
        inventors=list(command.inventors),
        intended_modes=list(dict.fromkeys(command.intended_modes)),
        portfolios=list(dict.fromkeys(command.portfolios)),
        state_funding_project=command.state_funding_project,
        notes=command.notes,
        recorded_by_org_id=principal.org_id,
        updated_at=now,
    )
    if found is None:
        record = InventoryRecord(application_number=number, created_at=now, **details)  # type: ignore[arg-type]
        await records.add(record)
    else:
        record = replace(found, **details)  # type: ignore[arg-type]
        await records.save(record)
    await _show(uow, patent, record)
    uow.emit(mapping.inventory_recorded(record, patent))
    return record


async def record_evaluation(
    uow: UnitOfWork, principal: Principal, command: RecordEvaluation
) -> Evaluation:
    """A new version of an evaluation; the tier is computed again (``TierChanged`` if the
    tier in force changes). The patent needs an inventory record first."""
    patent = await _patent(uow, command.application_number, lock=True)
    _check_writer(principal, patent)
    record = await _record_for_update(uow, patent)
    records = InventoryRepository(uow.session)
    number = record.application_number
    try:
        evaluation = Evaluation(
            application_number=number,
            kind=command.kind,
            version=await records.next_version(number, command.kind),
            evaluator_org_id=principal.org_id,
            evaluator_org_name=principal.org_name,
            evaluator_uscc=principal.uscc,
            evaluator_person=command.evaluator_person,
            evaluated_at=command.evaluated_at or uow.clock.now(),
            readiness_level=command.readiness_level,
            application_scenarios=command.application_scenarios,
            scenario_industry_codes=command.scenario_industry_codes,
            prospects_score=command.prospects_score,
            prospects=command.prospects,
            market_size=command.market_size,
            investment_needed=command.investment_needed,
            improvement_needed=command.improvement_needed,
        )
    except ValueError as exc:
        raise InventoryInvalid(str(exc)) from exc
    await records.add_evaluation(evaluation)
    uow.emit(mapping.evaluation_recorded(evaluation))
    await _retier(uow, patent, record, principal.org_id)
    return evaluation


async def override_tier(
    uow: UnitOfWork, principal: Principal, command: OverrideTier
) -> InventoryRecord:
    patent = await _patent(uow, command.application_number, lock=True)
    _check_writer(principal, patent)
    record = await _record_for_update(uow, patent)
    try:
        change = record.override(command.tier, command.reason)
    except ValueError as exc:
        raise InventoryInvalid(str(exc)) from exc
    await _apply(uow, patent, record, change, principal.org_id)
    return record


async def clear_tier_override(
    uow: UnitOfWork, principal: Principal, command: ClearTierOverride
) -> InventoryRecord:
    patent = await _patent(uow, command.application_number, lock=True)
    _check_writer(principal, patent)
    record = await _record_for_update(uow, patent)
    change = record.clear_override()
    if change is None:
        raise NotFound(f"patent {record.application_number} has no tier override")
    await _apply(uow, patent, record, change, principal.org_id)
    return record


async def record_match_feedback(uow: UnitOfWork, command: RecordMatchFeedback) -> None:
    """Keep an enterprise's feedback; an inventoried patent's tier is computed again."""
    number = _normalised(command.application_number)
    await MatchFeedbackRepository(uow.session).record(replace(command, application_number=number))
    patent = await PatentRepository(uow.session).get_for_update(number)
    if patent is None:
        return  # counted once the patent is catalogued and inventoried
    record = await InventoryRepository(uow.session).get_for_update(number)
    if record is not None:
        await _retier(uow, patent, record, MATCHING_ACTOR)


# -- reads --------------------------------------------------------------------------------


async def readable(uow: UnitOfWork, principal: Principal, number: str) -> InventoryRecord:
    """The record, for a reader allowed to see its private parts."""
    patent = await _patent(uow, number, lock=False)
    if not may_read_private(principal, patent):
        raise InventoryNotOwner(
            f"the inventory of {patent.application_number} is readable by its owning "
            "institution, the operator and regulators only"
        )
    return await _record(uow, patent)


async def tier_of(
    uow: UnitOfWork, principal: Principal, number: str
) -> tuple[InventoryRecord, bool]:
    """The record and whether the caller may see the tier's reasons and override."""
    patent = await _patent(uow, number, lock=False)
    return await _record(uow, patent), may_read_private(principal, patent)


async def list_evaluations(uow: UnitOfWork, principal: Principal, number: str) -> list[Evaluation]:
    record = await readable(uow, principal, number)
    return await InventoryRepository(uow.session).evaluations(record.application_number)


async def tier_history(
    uow: UnitOfWork, principal: Principal, number: str
) -> list[RecordedTierChange]:
    record = await readable(uow, principal, number)
    return await InventoryRepository(uow.session).tier_history(record.application_number)


# -- steps ----------------------------------------------------------------------------------


async def _record(uow: UnitOfWork, patent: Patent) -> InventoryRecord:
    found = await InventoryRepository(uow.session).get(patent.application_number.value)
    if found is None:
        raise NotFound(f"patent {patent.application_number} has no inventory record")
    return found


async def _record_for_update(uow: UnitOfWork, patent: Patent) -> InventoryRecord:
    found = await InventoryRepository(uow.session).get_for_update(patent.application_number.value)
    if found is None:
        raise InventoryNotRecorded(
            f"patent {patent.application_number} has no inventory record: record it first "
            f"(PUT /v1/patents/{patent.application_number}/inventory)"
        )
    return found


async def _retier(uow: UnitOfWork, patent: Patent, record: InventoryRecord, actor: str) -> None:
    records = InventoryRepository(uow.session)
    number = record.application_number
    basis = evaluation_that_counts(await records.evaluations(number))
    feedback = await MatchFeedbackRepository(uow.session).counts(number)
    evaluated_before = record.evaluated
    change = record.retier(basis, feedback)
    if change is None and record.evaluated == evaluated_before:
        return
    await _apply(uow, patent, record, change, actor)


async def _apply(
    uow: UnitOfWork,
    patent: Patent,
    record: InventoryRecord,
    change: TierChange | None,
    actor: str,
) -> None:
    """Save the record, keep the change in the history and, if the tier in force moved,
    show it on the patent and publish it."""
    now = uow.clock.now()
    record.updated_at = now
    records = InventoryRepository(uow.session)
    await records.save(record)
    if change is None:
        return
    await records.add_tier_change(record.application_number, change, actor, now)
    if change.in_force:
        await _show(uow, patent, record)
        uow.emit(mapping.tier_changed(record.application_number, change))


async def _show(uow: UnitOfWork, patent: Patent, record: InventoryRecord) -> None:
    patent.show_inventory(record.willingness, record.intended_modes, record.tier)
    await PatentRepository(uow.session).save(patent, updated_at=uow.clock.now())
