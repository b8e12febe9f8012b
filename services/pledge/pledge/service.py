"""Pledge use cases. Services never commit; the caller's unit of work does."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from pledge.api import schemas
from pledge.domain.errors import NotAParty, PatentUnknown
from pledge.domain.pledge import CancellationReason, PledgeStatus, transition
from pledge.domain.precheck import PatentView, PledgeTerms, precheck
from pledge.models import LicenseViewRecord, PatentViewRecord, PledgeRecord
from pledge.repository import PledgeRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.errors import NotFound
from shared.events.schemas import (
    DeclarationPublished,
    DeclarationWithdrawn,
    LicenseGranted,
    OrgRef,
    PatentOwnerChanged,
    PatentRegistered,
    PatentStatusChanged,
    PledgeCancelled,
    PledgeRegistered,
)

log = logging.getLogger(__name__)

# -- pledges ------------------------------------------------------------------------------


async def apply(uow: UnitOfWork, principal: Principal, body: schemas.PledgeCreate) -> PledgeRecord:
    numbers = sorted(set(body.application_numbers))
    terms = PledgeTerms(
        pledgor_uscc=principal.uscc,
        debt_term_end=body.debt_term_end,
        has_forfeiture_clause=body.has_forfeiture_clause,
        co_owner_consents=frozenset(body.co_owner_consents),
    )
    repo = PledgeRepository(uow.session)
    views = await repo.patent_views(numbers)
    precheck(numbers, _views(views), terms, await repo.pledged_numbers(numbers))
    pledge = PledgeRecord(
        id=str(uuid.uuid4()),
        status=PledgeStatus.SUBMITTED.value,
        pledgor_org_id=principal.org_id,
        pledgor_name=principal.org_name,
        pledgor_uscc=principal.uscc,
        pledgee_org_id=body.pledgee.org_id,
        pledgee_name=body.pledgee.name,
        pledgee_uscc=body.pledgee.uscc,
        secured_amount=body.secured_amount.amount,
        currency=body.secured_amount.currency,
        debt_term_end=body.debt_term_end,
        has_forfeiture_clause=body.has_forfeiture_clause,
        co_owner_consents=list(body.co_owner_consents),
        application_numbers=numbers,
    )
    await repo.add_pledge(pledge)
    return pledge


async def register(
    uow: UnitOfWork, principal: Principal, pledge_id: str, body: schemas.RegistrationIn
) -> PledgeRecord:
    """Record the office's registration. The patents' view rows are locked (in a fixed
    order) so two pledges racing for one patent end with exactly one registered."""
    repo = PledgeRepository(uow.session)
    pledge = await _pledge_for_bank_action(repo, principal, pledge_id)
    views = await repo.patent_views(pledge.application_numbers, for_update=True)
    terms = PledgeTerms(
        pledgor_uscc=pledge.pledgor_uscc,
        debt_term_end=pledge.debt_term_end,
        has_forfeiture_clause=pledge.has_forfeiture_clause,
        co_owner_consents=frozenset(pledge.co_owner_consents),
    )
    pledged = await repo.pledged_numbers(pledge.application_numbers, excluding=pledge.id)
    precheck(pledge.application_numbers, _views(views), terms, pledged)
    pledge.status = transition(PledgeStatus(pledge.status), PledgeStatus.REGISTERED).value
    pledge.registration_number = body.registration_number
    pledge.registered_on = body.registered_on
    uow.session.add(pledge)
    uow.emit(
        PledgeRegistered(
            pledge_id=pledge.id,
            application_numbers=pledge.application_numbers,
            pledgor=OrgRef(
                org_id=pledge.pledgor_org_id, name=pledge.pledgor_name, uscc=pledge.pledgor_uscc
            ),
            pledgee=OrgRef(
                org_id=pledge.pledgee_org_id, name=pledge.pledgee_name, uscc=pledge.pledgee_uscc
            ),
            secured_amount=pledge.secured_amount,
            currency=pledge.currency,
            debt_term_end=pledge.debt_term_end,
            registration_number=pledge.registration_number,
            registered_on=body.registered_on,
        )
    )
    return pledge


async def cancel(
    uow: UnitOfWork, principal: Principal, pledge_id: str, body: schemas.CancellationIn
) -> PledgeRecord:
    repo = PledgeRepository(uow.session)
    pledge = await _pledge_for_bank_action(repo, principal, pledge_id)
    pledge.status = transition(PledgeStatus(pledge.status), PledgeStatus.CANCELLED).value
    pledge.cancelled_on = body.cancelled_on
    pledge.cancellation_reason = CancellationReason(body.reason).value
    uow.session.add(pledge)
    uow.emit(
        PledgeCancelled(
            pledge_id=pledge.id,
            application_numbers=pledge.application_numbers,
            reason=pledge.cancellation_reason,
            cancelled_on=body.cancelled_on,
        )
    )
    return pledge


async def get(uow: UnitOfWork, principal: Principal, pledge_id: str) -> PledgeRecord:
    pledge = await PledgeRepository(uow.session).get_pledge(pledge_id)
    if pledge is None:
        raise NotFound(f"pledge {pledge_id} does not exist")
    if principal.org_type is not OrgType.OPERATOR and principal.org_id not in (
        pledge.pledgor_org_id,
        pledge.pledgee_org_id,
    ):
        raise NotAParty("a pledge is visible to its pledgor, its pledgee bank and the operator")
    return pledge


async def list_pledges(
    uow: UnitOfWork, principal: Principal, *, limit: int, after: tuple[datetime, str] | None
) -> list[PledgeRecord]:
    org = None if principal.org_type is OrgType.OPERATOR else principal.org_id
    return await PledgeRepository(uow.session).list_pledges(limit=limit, after=after, org_id=org)


async def _pledge_for_bank_action(
    repo: PledgeRepository, principal: Principal, pledge_id: str
) -> PledgeRecord:
    pledge = await repo.get_pledge(pledge_id, for_update=True)
    if pledge is None:
        raise NotFound(f"pledge {pledge_id} does not exist")
    if principal.org_type is not OrgType.OPERATOR and principal.org_id != pledge.pledgee_org_id:
        raise NotAParty("only the pledgee bank or the operator may do this")
    return pledge


def _views(records: dict[str, PatentViewRecord]) -> dict[str, PatentView]:
    return {
        number: PatentView(
            application_number=r.application_number,
            title=r.title,
            patentee_usccs=tuple(p["uscc"] for p in r.patentees if p.get("uscc")),
            expiry_date=r.expiry_date,
            legal_status=r.legal_status,
            annual_fee_status=r.annual_fee_status,
            suspended=r.suspended,
            under_preservation=r.under_preservation,
        )
        for number, r in records.items()
    }


# -- views, from other services' events ----------------------------------------------------


async def on_patent_registered(uow: UnitOfWork, event: PatentRegistered) -> None:
    await PledgeRepository(uow.session).upsert_patent_view(
        {
            "application_number": event.application_number,
            "patent_type": event.patent_type,
            "title": event.title,
            "patentees": [p.model_dump(mode="json") for p in event.patentees],
            "expiry_date": event.expiry_date,
            "legal_status": event.legal_status,
            "annual_fee_status": event.annual_fee_status,
            "suspended": event.suspended,
            "under_preservation": event.under_preservation,
        }
    )


async def on_patent_status_changed(uow: UnitOfWork, event: PatentStatusChanged) -> None:
    # Listing keys both events by the application number, so a status change never
    # arrives before the registration it follows; an unknown patent is a data error.
    found = await PledgeRepository(uow.session).update_patent_view(
        event.application_number,
        legal_status=event.legal_status,
        annual_fee_status=event.annual_fee_status,
        suspended=event.suspended,
        under_preservation=event.under_preservation,
    )
    if not found:
        raise PatentUnknown(f"status change for unknown patent {event.application_number}")


async def on_patent_owner_changed(uow: UnitOfWork, event: PatentOwnerChanged) -> None:
    found = await PledgeRepository(uow.session).update_patent_view(
        event.application_number, patentees=[p.model_dump(mode="json") for p in event.patentees]
    )
    if not found:
        raise PatentUnknown(f"owner change for unknown patent {event.application_number}")


async def on_declaration(
    uow: UnitOfWork, event: DeclarationPublished | DeclarationWithdrawn, status: str
) -> None:
    await PledgeRepository(uow.session).set_declaration_view(
        event.declaration_id, event.application_number, status
    )


async def on_license_granted(uow: UnitOfWork, event: LicenseGranted) -> None:
    await PledgeRepository(uow.session).add_license_view(
        LicenseViewRecord(
            license_id=event.license_id,
            application_number=event.application_number,
            kind=event.kind.value,
            licensee_name=event.licensee.name,
            effective_date=event.effective_date,
            contract_value=event.contract_value,
        )
    )
