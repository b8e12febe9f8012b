"""Catalogue use cases: register a patent, record its register facts and its transfers.
Use cases never commit; the caller's unit of work does."""

from __future__ import annotations

from dataclasses import fields

from listing import mapping
from listing.catalogue.commands import (
    ApplyOfficeStatus,
    RecordTransfer,
    RegisterPatent,
    UpdatePatentStatus,
)
from listing.catalogue.repository import PatentRepository
from listing.coverage.service import keep_holdings, keep_validity
from listing.declarations.service import lapse_declarations
from listing.domain.encumbrance import EncumbranceKind, consents_to_transfer
from listing.domain.errors import (
    NotPatentee,
    PatentAlreadyRegistered,
    TransferPledgedWithoutConsent,
)
from listing.domain.legal_status import facts_for
from listing.domain.patent import LegalStatus, Patent
from listing.encumbrances.repository import EncumbranceRepository
from listing.evidence.service import load_evidence
from listing.funding.service import record_transferred
from listing.industries.service import concordance_in_force
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.domain.terms import ConsentSubject
from shared.errors import NotFound
from shared.events.schemas import PatentOwnerChanged, PatentStatusChanged

# The registration's facts the patent takes as they are (the others are derived below).
_TAKEN_AS_GIVEN = tuple(
    f.name for f in fields(RegisterPatent) if f.name not in ("ipc_codes", "patentees")
)


def patent_from(command: RegisterPatent) -> Patent:
    """The domain patent a registration (an API body or a bulk-import row) describes;
    industries are derived from the IPC symbols with the concordance in force
    (industries.service)."""
    given = {name: getattr(command, name) for name in _TAKEN_AS_GIVEN}
    return Patent(
        **given,
        patent_type=command.application_number.patent_type,
        ipc_codes=list(command.ipc_codes),
        industry_codes=concordance_in_force().industries_for(command.ipc_codes),
        patentees=list(command.patentees),
    )


async def register_patent(uow: UnitOfWork, principal: Principal, command: RegisterPatent) -> Patent:
    patent = patent_from(command)
    if principal.org_type is not OrgType.OPERATOR and not patent.is_patentee(principal.uscc):
        raise NotPatentee(
            "only a patentee (token USCC among the patentees) or the operator may register a patent"
        )
    if not await PatentRepository(uow.session).add(patent, principal.org_id, uow.clock.now()):
        raise PatentAlreadyRegistered(
            f"patent {patent.application_number} is already in the catalogue"
        )
    await keep_holdings(uow, patent)
    uow.emit(mapping.patent_registered(patent))
    return patent


async def list_patents(uow: UnitOfWork, limit: int, after: str | None) -> list[Patent]:
    return await PatentRepository(uow.session).page(limit, after)


async def catalogued(patents: PatentRepository, application_number: str, *, lock: bool) -> Patent:
    """The patent (its row locked with ``lock``); NotFound if it is not catalogued."""
    patent = await (patents.get_for_update if lock else patents.get)(application_number)
    if patent is None:
        raise NotFound(f"patent {application_number} is not in the catalogue")
    return patent


async def update_patent_status(uow: UnitOfWork, command: UpdatePatentStatus) -> Patent:
    """Record register facts; a patent no longer valid ends its declarations (they lapse)."""
    patents = PatentRepository(uow.session)
    patent = await catalogued(patents, command.application_number, lock=True)
    patent.record_register_facts(
        legal_status=command.legal_status,
        annual_fee_status=command.annual_fee_status,
        suspended=command.suspended,
        under_preservation=command.under_preservation,
    )
    await _status_changed(uow, patents, patent, command.reason)
    return patent


async def apply_office_status(uow: UnitOfWork, command: ApplyOfficeStatus) -> bool:
    """The patent office's announcement, applied as the operator's status change is (the
    declarations of a patent no longer valid lapse, ``PatentStatusChanged`` follows); a
    status already in force changes nothing. NotFound for a patent not catalogued. True
    when the patent changed."""
    facts = facts_for(command.office_event)
    patent = await catalogued(PatentRepository(uow.session), command.application_number, lock=True)
    if not facts.change(patent):
        return False
    reason = (
        f"the patent office announced {command.office_event} effective "
        f"{command.effective_on.isoformat()} (legal-status feed #{command.sequence})"
    )
    update = UpdatePatentStatus(
        command.application_number,
        legal_status=facts.legal_status,
        annual_fee_status=facts.annual_fee_status,
        reason=reason,
    )
    await update_patent_status(uow, update)
    return True


async def expire_patents(uow: UnitOfWork, limit: int) -> int:
    """Patents whose term ended (the day after their expiry date, Asia/Shanghai) lapse by
    themselves, as if the office's register said so: each ``expired`` once, its
    declarations lapsing, ``PatentStatusChanged`` published. Returns how many."""
    patents = PatentRepository(uow.session)
    ended = await patents.past_their_term(uow.clock.today(), limit)
    for patent in ended:
        patent.record_register_facts(legal_status=LegalStatus.EXPIRED)
        reason = f"the patent term ended on {patent.expiry_date.isoformat()}"
        await _status_changed(uow, patents, patent, reason)
    return len(ended)


async def _status_changed(
    uow: UnitOfWork, patents: PatentRepository, patent: Patent, reason: str | None
) -> None:
    if patent.legal_status is not LegalStatus.VALID:
        why = f"patent legal status is now {patent.legal_status.value}"
        await lapse_declarations(uow, patent, f"{why} ({reason})" if reason else why)
    await patents.save(patent, updated_at=uow.clock.now())
    await keep_validity(uow, patent)
    uow.emit(
        PatentStatusChanged(
            application_number=patent.application_number.value,
            legal_status=patent.legal_status.value,
            annual_fee_status=patent.annual_fee_status.value,
            suspended=patent.suspended,
            under_preservation=patent.under_preservation,
            reason=reason,
        )
    )


async def record_transfer(uow: UnitOfWork, command: RecordTransfer) -> Patent:
    """The office registered a transfer: the owner changes (``PatentOwnerChanged``), and
    so do the institutions holding it; a transfer exploits the patent (funding). A
    pledged patent changes hands only with its pledgee's recorded consent to a transfer
    to this transferee, or when the pledgee itself disposes of it (``disposal_of``)."""
    number = command.application_number
    patents = PatentRepository(uow.session)
    patent = await catalogued(patents, number, lock=True)
    await load_evidence(uow.session, list(command.evidence))
    transferees = {p.uscc for p in command.patentees}
    encumbrances = EncumbranceRepository(uow.session)
    # The office's recordal is the fact: license checked the pledgees' consents first.
    pledges = [] if command.consents_checked else await encumbrances.active(number)
    for pledge in pledges:
        if pledge.kind is not EncumbranceKind.PLEDGE or pledge.reference_id == command.disposal_of:
            continue
        consented = await encumbrances.consented_counterparties(
            pledge.reference_id, number, ConsentSubject.TRANSFER
        )
        if not consents_to_transfer(consented, transferees):
            raise TransferPledgedWithoutConsent(
                f"patent {number} is pledged to {pledge.holder} (pledge "
                f"{pledge.reference_id}); the pledgee has not consented to this transfer"
            )
    previous = patent.transfer_to(list(command.patentees))
    await patents.save(patent, updated_at=uow.clock.now())
    await keep_holdings(uow, patent)
    uow.emit(
        PatentOwnerChanged(
            application_number=number,
            previous_patentees=mapping.patentee_refs(previous),
            patentees=mapping.patentee_refs(patent.patentees),
            transfer_reference=command.transfer_reference,
            effective_date=command.effective_date,
        )
    )
    await record_transferred(
        uow, patent, command.transfer_reference, command.effective_date, previous
    )
    return patent
