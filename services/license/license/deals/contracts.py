"""Deal use cases once a deal is agreed: the parties' signatures (the contract takes
effect, or a transfer awaits its recordal), the operator's entry of the office's
recordal, and the failure of unfinished deals when the patent lapses or changes owner.
Services never commit; the caller's unit of work does."""

from __future__ import annotations

import uuid
from datetime import date

from license.deals.commands import RecordOfficeRecordal, RecordTransferRecordal, SignContract
from license.deals.service import (
    deals,
    locked_deal,
    party_side,
    valid_patent,
    visible_deal,
)
from license.domain.deal import (
    Deal,
    Signature,
)
from license.domain.declaration import Patentee
from license.domain.errors import OfficeNumberConflict, OperatorOnly
from license.domain.errors_deals import (
    SignatureRefused,
    TransferPledgedWithoutConsent,
    deal_unknown,
)
from license.domain.license import Licensee
from license.licenses import service as licences
from license.pledges.service import pledges
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.domain.documents import accepted_content, sha256
from shared.domain.terms import ConsentSubject
from shared.events.schemas import DealFailed, PatenteeRef, TransferAgreed, TransferRecorded


async def sign(
    uow: UnitOfWork, principal: Principal, command: SignContract, max_bytes: int
) -> Deal:
    """Keep a party's signed contract document with its SHA-256; once both parties
    signed, a licence takes effect (on its term's start, or today when later) and a
    transfer awaits its recordal with the patent office."""
    repo = deals(uow)
    deal = await locked_deal(uow, principal, command.deal_id)
    side = party_side(deal, principal, "sign its contract")
    media = accepted_content(
        command.content_type,
        command.content,
        max_bytes,
        what="a signed contract document",
        refused=SignatureRefused,
    )
    now = uow.clock.now()
    signature = Signature(
        id=str(uuid.uuid4()),
        side=side,
        signer_org_id=principal.org_id,
        signer_name=principal.org_name,
        sha256=sha256(command.content),
        content_type=media,
        size=len(command.content),
        signed_at=now,
    )
    if deal.sign(signature):
        await _both_signed(uow, deal)
    await repo.add_signature(deal.id, signature, command.content)
    await repo.save(deal)
    return deal


async def _both_signed(uow: UnitOfWork, deal: Deal) -> None:
    number = deal.application_number
    patent = await valid_patent(uow, number)
    today = uow.clock.today()
    agreed = deal.agreed_license
    if agreed is not None:
        counterparty = deal.counterparty
        licence = await licences.negotiated_license(
            uow,
            application_number=number,
            patent_number=deal.patent_number,
            patentees=patent.patentees,
            kind=agreed.kind,
            licensee=Licensee(
                org_id=counterparty.org_id,
                name=counterparty.name,
                uscc=counterparty.uscc,
                org_type=counterparty.org_type or "enterprise",
            ),
            terms=agreed.terms,
            field_of_use=agreed.field_of_use,
            effective_date=max(agreed.terms.term_start, today),
            deal_id=deal.id,
        )
        await licences.take_deal_license(uow, licence)
        deal.take_effect(licence.id)
        return
    transfer = deal.agreed_transfer
    assert transfer is not None
    await _pledgee_consents(uow, deal)
    deal.await_recordal()
    uow.emit(
        TransferAgreed(
            deal_id=deal.id,
            application_number=number,
            patent_number=deal.patent_number,
            transferors=_patentee_refs(deal.owners),
            transferees=_patentee_refs(transfer.transferees),
            contract_value=transfer.price,
            signed_on=today,
        )
    )


async def _pledgee_consents(uow: UnitOfWork, deal: Deal) -> None:
    """A pledged patent is transferred only with its pledgee's recorded consent to a
    transfer to these transferees (专利权质押登记办法)."""
    transfer = deal.agreed_transfer
    assert transfer is not None
    repo = pledges(uow)
    number = deal.application_number
    active = [p for p in await repo.active_on(number) if p.active]
    if not active:
        return
    consents = await repo.consents_on(number)
    for pledge in active:
        given = [c for c in consents if c.pledge_id == pledge.pledge_id]
        if not all(
            any(c.allows(ConsentSubject.TRANSFER, t.uscc) for c in given)
            for t in transfer.transferees
        ):
            raise TransferPledgedWithoutConsent(
                f"{number} is pledged to {pledge.pledgee_name} (pledge {pledge.pledge_id}); "
                "its transfer needs the pledgee's recorded consent to a transfer to "
                f"{'、'.join(t.name for t in transfer.transferees)}",
                pledge_id=pledge.pledge_id,
            )


async def record_recordal(
    uow: UnitOfWork, principal: Principal, command: RecordTransferRecordal
) -> Deal:
    """The operator enters the patent office's recordal of a signed transfer: the deal
    is recorded and listing changes the owner (``TransferRecorded``)."""
    if principal.org_type is not OrgType.OPERATOR:
        raise OperatorOnly("only the platform operator enters the patent office's recordal")
    repo = deals(uow)
    deal = await visible_deal(repo, principal, command.deal_id, for_update=True)
    await _record(uow, deal, command.recordal_number, command.recorded_on)
    return deal


async def record_office_recordal(uow: UnitOfWork, command: RecordOfficeRecordal) -> None:
    """The patent office recorded a transfer the platform submitted (registry-sync):
    recorded as the operator's entry is. Already recorded with this number: nothing to
    do; with another (entered by hand): the first stays and
    :class:`OfficeNumberConflict` says so."""
    deal = await deals(uow).get(command.deal_id, for_update=True)
    if deal is None:
        raise deal_unknown(command.deal_id)
    if deal.recordal_number is not None:
        if deal.recordal_number == command.recordal_number:
            return
        raise OfficeNumberConflict(
            f"deal {deal.id} is recorded as {deal.recordal_number}; the patent office "
            f"reports recordal {command.recordal_number}: the first stays"
        )
    await _record(uow, deal, command.recordal_number, command.recorded_on)


async def _record(uow: UnitOfWork, deal: Deal, recordal_number: str, recorded_on: date) -> None:
    """Record the transfer, asking again for the consent of every pledgee known now: a
    pledge registered after the agreement, before the pledge service heard of it (the
    two crossed), stops the owner change until its pledgee consents. The patent's
    licensing lock orders this against a registration arriving (``record_pledge``)."""
    repo = deals(uow)
    deal.record(recordal_number, recorded_on, uow.clock.today())  # a transfer awaiting it
    await licences.licenses(uow).lock_patent_licensing(deal.application_number)
    await _pledgee_consents(uow, deal)
    await repo.save(deal)
    transfer = deal.agreed_transfer
    assert transfer is not None
    uow.emit(
        TransferRecorded(
            deal_id=deal.id,
            application_number=deal.application_number,
            patent_number=deal.patent_number,
            transferors=_patentee_refs(deal.owners),
            transferees=_patentee_refs(transfer.transferees),
            recordal_number=recordal_number,
            recorded_on=recorded_on,
            contract_value=transfer.price,
        )
    )


async def fail_unfinished_deals(uow: UnitOfWork, application_number: str, reason: str) -> None:
    """The patent lapsed or changed owner: every deal on it not yet in effect (or
    recorded) fails with ``reason``."""
    repo = deals(uow)
    now = uow.clock.now()
    for deal in await repo.unfinished_on(application_number):
        if deal.fail(reason):
            await repo.save(deal)
            uow.emit(
                DealFailed(
                    deal_id=deal.id,
                    application_number=application_number,
                    reason=reason,
                    failed_at=now,
                )
            )


def _patentee_refs(parties: tuple[Patentee, ...]) -> list[PatenteeRef]:
    return [
        PatenteeRef(name=p.name, uscc=p.uscc, share=p.share, party_type=p.party_type)
        for p in parties
    ]
