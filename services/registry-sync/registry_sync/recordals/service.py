"""Recordal use cases: a licence in force or a signed transfer becomes a recordal to
submit; the office's answers move it on, each change an event. Services never commit;
the caller's unit of work does (the worker in ``recordals/submission.py``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from registry_sync.domain.patent_office import (
    LicenseFilingRequest,
    OfficeOutcome,
    TransferRegistrationRequest,
)
from registry_sync.domain.recordal import (
    LEASE,
    Recordal,
    RecordalKind,
    RecordalStatus,
    RetryPolicy,
)
from registry_sync.recordals.commands import AdvanceRecordals, FileLicense, RegisterTransfer
from registry_sync.recordals.repository import RecordalRepository
from registry_sync.recordals.requests import license_filing_json, transfer_registration_json
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.errors import NotFound
from shared.events.schemas import (
    LicenseFilingRefused,
    LicenseFilingRegistered,
    LicenseFilingSubmitted,
    TransferRegistrationRecorded,
    TransferRegistrationRefused,
    TransferRegistrationSubmitted,
)

OVERSIGHT = frozenset({OrgType.OPERATOR, OrgType.REGULATOR})


async def file_license(uow: UnitOfWork, command: FileLicense) -> None:
    """A licence in force is filed with the office on its parties' behalf; once."""
    request = LicenseFilingRequest(
        application_number=command.application_number,
        patent_number=command.patent_number,
        licensors=command.licensors,
        licensee=command.licensee,
        kind=command.kind,
        effective_date=command.effective_date,
        term_end=command.term_end,
        contract_value=command.contract_value,
    )
    parties = (*command.licensors, command.licensee)
    await RecordalRepository(uow.session).add_if_new(
        Recordal(
            id=str(uuid.uuid4()),
            kind=RecordalKind.LICENSE_FILING,
            source_reference=command.license_id,
            application_number=command.application_number,
            request=license_filing_json(request),
            parties_uscc=tuple(p.uscc for p in parties if p.uscc),
            created_at=uow.clock.now(),
        )
    )


async def register_transfer(uow: UnitOfWork, command: RegisterTransfer) -> None:
    """A signed transfer is registered with the office on its parties' behalf; once."""
    request = TransferRegistrationRequest(
        application_number=command.application_number,
        patent_number=command.patent_number,
        transferors=command.transferors,
        transferees=command.transferees,
        signed_on=command.signed_on,
        contract_value=command.contract_value,
    )
    parties = (*command.transferors, *command.transferees)
    await RecordalRepository(uow.session).add_if_new(
        Recordal(
            id=str(uuid.uuid4()),
            kind=RecordalKind.TRANSFER_REGISTRATION,
            source_reference=command.deal_id,
            application_number=command.application_number,
            request=transfer_registration_json(request),
            parties_uscc=tuple(p.uscc for p in parties if p.uscc),
            created_at=uow.clock.now(),
        )
    )


async def claim_due(uow: UnitOfWork, command: AdvanceRecordals) -> list[Recordal]:
    """The open recordals due now, leased to the caller (committed before it calls the
    office, so no transaction stays open across the call)."""
    now = uow.clock.now()
    return await RecordalRepository(uow.session).claim_due(now, now + LEASE, command.limit)


@dataclass(frozen=True)
class OfficeAnswer:
    """What one call to the office came to: exactly one of these is set."""

    reference: str | None = None  # a receipt (or the first submission of a duplicate)
    outcome: OfficeOutcome | None = None  # a status poll's answer
    refused: tuple[str, ...] | None = None  # refused at the counter
    error: str | None = None  # unavailable


async def record_answer(
    uow: UnitOfWork, recordal_id: str, answer: OfficeAnswer, policy: RetryPolicy
) -> Recordal | None:
    """Move the recordal on by the office's answer and emit what changed."""
    repo = RecordalRepository(uow.session)
    recordal = await repo.get(recordal_id, lock=True)
    if recordal is None:
        return None
    now = uow.clock.now()
    if answer.reference is not None:
        if recordal.submitted(answer.reference, now, policy):
            _emit_submitted(uow, recordal, now)
    elif answer.outcome is not None:
        if recordal.decided(answer.outcome):
            _emit_decision(uow, recordal)
        elif recordal.open:
            recordal.still_processing(now, policy)
    elif answer.refused is not None:
        if recordal.open:
            recordal.refused(answer.refused)
            _emit_decision(uow, recordal)
    else:
        recordal.unavailable(answer.error or "unknown", now, policy)
    await repo.save(recordal)
    return recordal


def _emit_submitted(uow: UnitOfWork, recordal: Recordal, now: datetime) -> None:
    assert recordal.office_reference is not None
    about = {
        "recordal_id": recordal.id,
        "application_number": recordal.application_number,
        "office_reference": recordal.office_reference,
        "submitted_at": now,
    }
    if recordal.kind is RecordalKind.LICENSE_FILING:
        uow.emit(LicenseFilingSubmitted(**about, license_id=recordal.source_reference))
    else:
        uow.emit(TransferRegistrationSubmitted(**about, deal_id=recordal.source_reference))


def _emit_decision(uow: UnitOfWork, recordal: Recordal) -> None:
    about = {"recordal_id": recordal.id, "application_number": recordal.application_number}
    licence = recordal.kind is RecordalKind.LICENSE_FILING
    source = recordal.source_reference
    if recordal.status is RecordalStatus.REFUSED:
        reasons = list(recordal.reasons)
        uow.emit(
            LicenseFilingRefused(**about, license_id=source, reasons=reasons)
            if licence
            else TransferRegistrationRefused(**about, deal_id=source, reasons=reasons)
        )
        return
    assert recordal.number is not None
    assert recordal.decided_on is not None
    if licence:
        uow.emit(
            LicenseFilingRegistered(
                **about,
                license_id=source,
                filing_number=recordal.number,
                filed_on=recordal.decided_on,
            )
        )
    else:
        uow.emit(
            TransferRegistrationRecorded(
                **about,
                deal_id=source,
                recordal_number=recordal.number,
                recorded_on=recordal.decided_on,
                announced_on=recordal.announced_on,
            )
        )


async def get_recordal(uow: UnitOfWork, principal: Principal, recordal_id: str) -> Recordal:
    """One recordal for its parties, the operator and regulators; anyone else is told it
    does not exist, word for word as for an id that does not."""
    recordal = await RecordalRepository(uow.session).get(recordal_id)
    if recordal is None or (
        principal.org_type not in OVERSIGHT and principal.uscc not in recordal.parties_uscc
    ):
        raise NotFound(f"recordal {recordal_id} does not exist")
    return recordal


async def list_recordals(
    uow: UnitOfWork,
    principal: Principal,
    *,
    limit: int,
    after: tuple[datetime, str] | None,
    application_number: str | None,
    source_reference: str | None,
) -> list[Recordal]:
    party = None if principal.org_type in OVERSIGHT else (principal.uscc or "-")
    return await RecordalRepository(uow.session).list(
        limit=limit,
        after=after,
        application_number=application_number,
        source_reference=source_reference,
        party_uscc=party,
    )
