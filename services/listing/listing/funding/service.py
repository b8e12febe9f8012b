"""State-funded patents not exploited (seed 001 三(六)): the daily sweep that flags them,
and what exploits a patent and clears its flag. Use cases never commit."""

from __future__ import annotations

import uuid
from datetime import date

from listing.catalogue.repository import PatentRepository
from listing.domain.errors import (
    ImplementationEvidenceForAnotherPatent,
    ImplementationRefused,
    NotPatentee,
)
from listing.domain.funding import (
    DECLARED_KINDS,
    Implementation,
    ImplementationKind,
    latest_grant_due,
)
from listing.domain.holding import INSTITUTION_TYPES
from listing.domain.patent import Patent, Patentee
from listing.evidence.service import load_evidence
from listing.funding.commands import RecordImplementation, RecordLicenseTaken
from listing.funding.repository import ImplementationRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.domain import ApplicationNumber
from shared.errors import NotFound
from shared.events.schemas import (
    ImplementationRecorded,
    OrgRef,
    StateFundedFlagCleared,
    StateFundedPatentFlagged,
)


async def flag_unexploited_patents(uow: UnitOfWork, limit: int = 200) -> int:
    """Flag the state-funded patents whose fifth grant anniversary (Asia/Shanghai) has
    come with nothing exploiting them; returns how many were found (the sweep's batch).
    A flagged patent is not a candidate again, so each flag is raised and published once."""
    today = uow.clock.today()
    patents = PatentRepository(uow.session)
    found = await ImplementationRepository(uow.session).unexploited_due(
        latest_grant_due(today), limit
    )
    for patent in found:
        if not patent.flag_unexploited(today):
            continue
        await patents.save(patent, updated_at=uow.clock.now())
        assert patent.grant_date is not None, "only granted patents are due"
        uow.emit(
            StateFundedPatentFlagged(
                application_number=patent.application_number.value,
                grant_date=patent.grant_date,
                flagged_on=today,
                institutions=_institutions(patent),
            )
        )
    return len(found)


async def record_implementation(
    uow: UnitOfWork, principal: Principal, command: RecordImplementation
) -> Implementation:
    """The owning institution (or the operator) declares implementation or a justified
    reason, with evidence filed for this patent; a standing flag is cleared."""
    number = ApplicationNumber.parse(command.application_number).value
    patents = PatentRepository(uow.session)
    patent = await patents.get_for_update(number)
    if patent is None:
        raise NotFound(f"patent {number} is not in the catalogue")
    if principal.org_type is not OrgType.OPERATOR and not patent.is_patentee(principal.uscc):
        raise NotPatentee(f"only a patentee of {number} or the operator may record this")
    if command.kind not in DECLARED_KINDS:
        raise ImplementationRefused(
            f"kind: {command.kind.value} is learnt from licences and transfers, not declared",
            field="kind",
        )
    if command.occurred_on > uow.clock.today():
        raise ImplementationRefused("date: cannot be in the future", field="date")
    for document in await load_evidence(uow.session, list(command.evidence_document_ids)):
        if document.application_number != number:
            raise ImplementationEvidenceForAnotherPatent(
                f"evidence_document_ids: document {document.id} is evidence for patent "
                f"{document.application_number}, not {number}",
                field="evidence_document_ids",
            )
    implementation = Implementation(
        id=str(uuid.uuid4()),
        application_number=number,
        kind=command.kind,
        occurred_on=command.occurred_on,
        description=command.description,
        evidence_document_ids=command.evidence_document_ids,
        recorded_by_org_id=principal.org_id,
        recorded_at=uow.clock.now(),
    )
    await exploited(uow, patent, implementation)
    return implementation


async def record_license_taken(uow: UnitOfWork, command: RecordLicenseTaken) -> None:
    """Any licence exploits the patent, ordinary ones too."""
    patent = await PatentRepository(uow.session).get_for_update(command.application_number)
    implementation = Implementation(
        id=str(uuid.uuid4()),
        application_number=command.application_number,
        kind=ImplementationKind.LICENSED,
        occurred_on=command.effective_date,
        reference=command.license_id,
        recorded_at=uow.clock.now(),
    )
    if patent is None:
        # Kept all the same: the patent may be catalogued after its licence is known.
        await ImplementationRepository(uow.session).add(implementation)
        uow.emit(_recorded(implementation, []))
        return
    await exploited(uow, patent, implementation)


async def record_transferred(
    uow: UnitOfWork,
    patent: Patent,
    reference: str,
    effective_date: date,
    transferors: list[Patentee],
) -> None:
    """A registered transfer exploits the patent (``catalogue.record_transfer``); it
    counts for the institutions that transferred it away (``transferors``)."""
    await exploited(
        uow,
        patent,
        Implementation(
            id=str(uuid.uuid4()),
            application_number=patent.application_number.value,
            kind=ImplementationKind.TRANSFERRED,
            occurred_on=effective_date,
            reference=reference,
            recorded_at=uow.clock.now(),
        ),
        transferors,
    )


async def exploited(
    uow: UnitOfWork,
    patent: Patent,
    implementation: Implementation,
    owners: list[Patentee] | None = None,
) -> None:
    """Record what exploits ``patent`` (loaded for update) and publish it
    (``ImplementationRecorded``); its flag, if any, is cleared and the clearing published."""
    await ImplementationRepository(uow.session).add(implementation)
    uow.emit(_recorded(implementation, _institutions(patent, owners)))
    if patent.clear_unexploited_flag() is None:
        return
    await PatentRepository(uow.session).save(patent, updated_at=uow.clock.now())
    uow.emit(
        StateFundedFlagCleared(
            application_number=patent.application_number.value,
            cleared_on=uow.clock.today(),
            because=implementation.kind.value,
        )
    )


def _recorded(implementation: Implementation, institutions: list[OrgRef]) -> ImplementationRecorded:
    return ImplementationRecorded(
        implementation_id=implementation.id,
        application_number=implementation.application_number,
        kind=implementation.kind.value,
        recorded_on=implementation.occurred_on,
        institutions=institutions,
    )


def _institutions(patent: Patent, patentees: list[Patentee] | None = None) -> list[OrgRef]:
    """Who is answerable for the patent: its institutional patentees (all, if none is);
    of ``patentees`` instead of the patent's present ones when given."""
    chosen = patent.patentees if patentees is None else patentees
    owners = [p for p in chosen if p.party_type in INSTITUTION_TYPES] or list(chosen)
    return [OrgRef(name=p.name, uscc=p.uscc) for p in owners]
