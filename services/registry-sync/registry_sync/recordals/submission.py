"""The recordal worker's pass: claim the due recordals with a lease and commit, call the
office for each outside any transaction, then record each answer in a unit of work of its
own. A crash between the call and the record leaves the lease to expire; the next call
carries the same idempotency key, so the office sees one submission."""

from __future__ import annotations

from collections.abc import Callable

from registry_sync.domain.patent_office import (
    DuplicateSubmission,
    OfficeUnavailable,
    PatentOffice,
    SubmissionRefused,
)
from registry_sync.domain.recordal import Recordal, RecordalKind, RecordalStatus, RetryPolicy
from registry_sync.recordals import requests
from registry_sync.recordals.commands import AdvanceRecordals
from registry_sync.recordals.service import OfficeAnswer, claim_due, record_answer
from shared.db.uow import UnitOfWork


async def advance_recordals(
    uow_factory: Callable[[], UnitOfWork],
    office: PatentOffice,
    command: AdvanceRecordals,
    policy: RetryPolicy,
) -> int:
    """One pass; returns how many recordals it asked the office about."""
    async with uow_factory() as uow:
        claimed = await claim_due(uow, command)
        await uow.commit()
    for recordal in claimed:
        answer = await _ask(office, recordal)
        async with uow_factory() as uow:
            await record_answer(uow, recordal.id, answer, policy)
            await uow.commit()
    return len(claimed)


async def _ask(office: PatentOffice, recordal: Recordal) -> OfficeAnswer:
    licence = recordal.kind is RecordalKind.LICENSE_FILING
    try:
        if recordal.status is RecordalStatus.SUBMITTED:
            assert recordal.office_reference is not None
            reference = recordal.office_reference
            outcome = await (
                office.license_filing(reference)
                if licence
                else office.transfer_registration(reference)
            )
            return OfficeAnswer(outcome=outcome)
        if licence:
            filing = requests.license_filing(recordal.request)
            return OfficeAnswer(reference=await office.submit_license_filing(recordal.id, filing))
        transfer = requests.transfer_registration(recordal.request)
        reference = await office.submit_transfer_registration(recordal.id, transfer)
        return OfficeAnswer(reference=reference)
    except DuplicateSubmission as exc:
        # The office holds the same filing under another key: follow the first one.
        return OfficeAnswer(reference=exc.office_reference)
    except SubmissionRefused as exc:
        return OfficeAnswer(refused=exc.reasons)
    except OfficeUnavailable as exc:
        return OfficeAnswer(error=str(exc))
