"""The office's side of a registration: claiming what is due, recording what the office
answered. The calls to the office happen between these use cases, outside any
transaction (``registry_sync.workers``). Services never commit; the caller's unit of work
does."""

from __future__ import annotations

import logging

from registry_sync.domain.office import (
    Duplicate,
    OfficeState,
    OfficeStatus,
    Refused,
    SubmissionReceipt,
    Unavailable,
)
from registry_sync.domain.registration import RegistrationStatus, TechContractRegistration
from registry_sync.registrations.commands import ClaimDue, RecordOfficeStatus, RecordSubmission
from registry_sync.registrations.repository import RegistrySyncRepository
from registry_sync.registrations.service import event_fields
from shared.db.uow import UnitOfWork
from shared.events.schemas import (
    TechContractRegistered,
    TechContractRegistrationRefused,
    TechContractRegistrationSubmitted,
    TechContractSubmissionRetried,
)
from shared.events.schemas.registry import OfficeReasonPublic

log = logging.getLogger(__name__)


async def claim_for_submission(
    uow: UnitOfWork, command: ClaimDue
) -> list[TechContractRegistration]:
    return await _claim(uow, RegistrationStatus.READY, command)


async def claim_for_polling(uow: UnitOfWork, command: ClaimDue) -> list[TechContractRegistration]:
    return await _claim(uow, RegistrationStatus.SUBMITTED, command)


async def _claim(
    uow: UnitOfWork, status: RegistrationStatus, command: ClaimDue
) -> list[TechContractRegistration]:
    """Lease what is due: once committed, no other instance takes these rows until the
    lease runs out (and the worker records the outcome before)."""
    repository = RegistrySyncRepository(uow.session)
    now = uow.clock.now()
    claimed = []
    for registration in await repository.claim_due(status, now, command.limit):
        saved = await repository.save(registration.claimed(now + command.lease))
        if saved is not None:
            claimed.append(saved)
    return claimed


async def record_submission(uow: UnitOfWork, command: RecordSubmission) -> None:
    repository = RegistrySyncRepository(uow.session)
    registration = await repository.get(command.registration_id, for_update=True)
    if registration is None or registration.status is not RegistrationStatus.READY:
        return  # corrected or answered meanwhile: the next claim sees it as it is now
    now = uow.clock.now()
    outcome = command.outcome
    if isinstance(outcome, SubmissionReceipt | Duplicate):
        # A duplicate is the office's own earlier receipt: follow it, never submit again.
        saved = await _save(repository, registration.submitted(outcome.office_reference, now))
        uow.emit(
            TechContractRegistrationSubmitted(
                **event_fields(saved),
                office_reference=outcome.office_reference,
                submitted_at=now,
                duplicate=isinstance(outcome, Duplicate),
            )
        )
    elif isinstance(outcome, Refused):
        saved = await _save(repository, registration.refused(outcome.reasons))
        _emit_refused(uow, saved)
    else:
        retried = registration.retry_later(now, _error(outcome), command.retry_base)
        saved = await _save(repository, retried)
        assert saved.next_attempt_at is not None
        uow.emit(
            TechContractSubmissionRetried(
                **event_fields(saved),
                attempt=saved.submission_attempts,
                error_class=outcome.error,
                next_attempt_at=saved.next_attempt_at,
            )
        )


async def record_office_status(uow: UnitOfWork, command: RecordOfficeStatus) -> None:
    repository = RegistrySyncRepository(uow.session)
    registration = await repository.get(command.registration_id, for_update=True)
    if registration is None:
        return
    outcome = command.outcome
    if registration.status is not RegistrationStatus.SUBMITTED:
        if isinstance(outcome, OfficeStatus) and outcome.state is not OfficeState.REGISTERED:
            # Registered is final here, whatever the office reports later.
            log.warning(
                "the office reports a decided registration as %s; it stays %s",
                outcome.state.value,
                registration.status.value,
                extra={"registration_id": registration.id},
            )
        return
    now = uow.clock.now()
    if isinstance(outcome, Unavailable):
        await _save(
            repository, registration.poll_later(now + command.poll_interval, _error(outcome))
        )
    elif outcome.state is OfficeState.PROCESSING:
        await _save(repository, registration.poll_later(now + command.poll_interval))
    elif outcome.state is OfficeState.REFUSED:
        _emit_refused(uow, await _save(repository, registration.refused(outcome.reasons)))
    else:
        assert outcome.registration_number is not None
        assert outcome.registered_on is not None
        saved = await _save(
            repository,
            registration.registered(
                outcome.registration_number,
                outcome.registered_on,
                outcome.certified_contract_value,
                outcome.certified_technology_value,
            ),
        )
        uow.emit(
            TechContractRegistered(
                **event_fields(saved),
                registration_number=outcome.registration_number,
                registered_on=outcome.registered_on,
                certified_contract_value=saved.certified_contract_value,
                certified_technology_value=saved.certified_technology_value,
                currency=saved.currency,
            )
        )


def _emit_refused(uow: UnitOfWork, registration: TechContractRegistration) -> None:
    uow.emit(
        TechContractRegistrationRefused(
            **event_fields(registration),
            reasons=[
                OfficeReasonPublic(field=r.field, code=r.code, message=r.message)
                for r in registration.refusal_reasons
            ],
        )
    )


def _error(outcome: Unavailable) -> str:
    return f"{outcome.error}: {outcome.detail}"[:1000]


async def _save(
    repository: RegistrySyncRepository, registration: TechContractRegistration
) -> TechContractRegistration:
    # The row is locked (FOR UPDATE) since it was read: its version cannot have moved.
    saved = await repository.save(registration)
    assert saved is not None
    return saved
