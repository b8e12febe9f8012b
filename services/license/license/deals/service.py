"""Deal use cases: open a negotiation, counter, accept, withdraw, sign, record a
transfer's recordal, and fail the deals a patent's lapse or change of owner ends.
Load through the repositories, apply the domain rules (domain.deal), save, stage
events; services never commit, the caller's unit of work does.

A deal is its two parties' business and the operator's: anyone else asking for one, or
acting on one, gets the 404 an id that does not exist gets, word for word.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from license.catalogue.repository import CatalogueRepository
from license.deals.commands import (
    AnswerOffer,
    ListDeals,
    MakeOffer,
    OpenDeal,
)
from license.deals.repository import DealRepository
from license.declarations.service import declarations
from license.domain.catalogue import CataloguedPatent
from license.domain.deal import (
    Deal,
    Offer,
    Side,
)
from license.domain.declaration import DeclarationStatus
from license.domain.errors import (
    ExclusiveWhileDeclared,
    LicenseeIsPatentee,
    PatentUnknown,
)
from license.domain.errors_deals import (
    NotPartyToDeal,
    NotPatenteeOfPatent,
    PartyUsccMissing,
    PatentNotValid,
    ScopeTaken,
    deal_unknown,
)
from license.domain.offer import (
    DealParty,
    DealSubject,
    LicenseProposal,
    Proposal,
    check_expiry,
    check_proposal,
)
from license.licenses import service as licences
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.domain.terms import LicenseKind
from shared.events.schemas import (
    DealAgreed,
    DealOpened,
    OrgRef,
)


def deals(uow: UnitOfWork) -> DealRepository:
    return DealRepository(uow.session, uow.clock)


def _is_operator(principal: Principal) -> bool:
    return principal.org_type is OrgType.OPERATOR


async def visible_deal(
    repo: DealRepository, principal: Principal, deal_id: str, *, for_update: bool = False
) -> Deal:
    """The deal, if ``principal`` may know it exists; 404 otherwise."""
    deal = await repo.get(deal_id, for_update=for_update)
    if deal is None:
        raise deal_unknown(deal_id)
    if not _is_operator(principal) and deal.side_of(principal.org_id, principal.uscc) is None:
        raise deal_unknown(deal_id)
    return deal


async def locked_deal(uow: UnitOfWork, principal: Principal, deal_id: str) -> Deal:
    """The deal, locked for a change, after its patent's locks: the patent's licensing
    lock, its catalogue row (share), then the deal's row. Negotiated licences take the
    first two in that order and the catalogue's consumer takes the row, then the deals:
    no two of them wait for each other in a circle."""
    repo = deals(uow)
    seen = await visible_deal(repo, principal, deal_id)
    number = seen.application_number
    # Acceptances, signatures and negotiated licences on one patent go in turn.
    await licences.licenses(uow).lock_patent_licensing(number)
    await CatalogueRepository(uow.session).get(number, lock="share")
    return await visible_deal(repo, principal, deal_id, for_update=True)


def party_side(deal: Deal, principal: Principal, doing: str) -> Side:
    side = deal.side_of(principal.org_id, principal.uscc)
    if side is None:  # the operator sees every deal but is no party to one
        raise NotPartyToDeal(
            f"{principal.org_name} is not a party to deal {deal.id}; only its parties {doing}"
        )
    return side


async def valid_patent(uow: UnitOfWork, application_number: str) -> CataloguedPatent:
    """The patent, valid; a share lock makes a lapse or an owner change wait."""
    patent = await CatalogueRepository(uow.session).get(application_number, lock="share")
    if patent is None or not patent.known:
        raise PatentUnknown(
            f"patent {application_number} is not known to the license service: listing has "
            "not registered it, or its registration has not reached this service yet",
            application_number=application_number,
        )
    invalid = patent.invalidity()
    if invalid is not None:
        raise PatentNotValid(
            f"no licence or transfer may be agreed on {application_number}: {invalid}",
            application_number=application_number,
        )
    return patent


async def _no_exclusive_while_declared(uow: UnitOfWork, number: str, proposal: Proposal) -> None:
    if not isinstance(proposal, LicenseProposal) or proposal.kind is LicenseKind.ORDINARY:
        return
    for declaration in await declarations(uow).of_patent(number):
        if declaration.status is DeclarationStatus.ANNOUNCED:
            raise ExclusiveWhileDeclared(
                f"a {proposal.kind.value} licence on {number} is refused while the "
                f"open-licence declaration {declaration.declaration_id} is announced "
                "(Patent Law Art. 52: only ordinary licences during an open licence)",
                declaration_id=declaration.declaration_id,
            )


async def open_deal(uow: UnitOfWork, principal: Principal, command: OpenDeal) -> Deal:
    """A patentee offers a licence or a transfer, or an organisation asks a patentee
    for one: the deal opens with this first offer."""
    if principal.uscc is None:
        raise PartyUsccMissing(
            f"{principal.org_name} has no unified social credit code in its token; the "
            "parties of a deal are named by it"
        )
    number = command.application_number
    patent = await valid_patent(uow, number)
    caller = DealParty(principal.org_name, principal.uscc, principal.org_id, principal.org_type)
    other = command.counterparty
    if patent.is_patentee(caller.uscc):
        side, patentee, counterparty = Side.PATENTEE, caller, other
    elif patent.is_patentee(other.uscc):
        side, patentee, counterparty = Side.COUNTERPARTY, other, caller
    else:
        raise NotPatenteeOfPatent(
            f"neither {caller.name} nor {other.name} is a patentee of {number}: a deal is "
            "offered by a patentee, or asked of one",
            application_number=number,
        )
    if patent.is_patentee(counterparty.uscc):
        raise LicenseeIsPatentee(
            f"{counterparty.name} is a patentee of {number} too; a deal is made between a "
            "patentee and an organisation that is not one"
        )
    now = uow.clock.now()
    _check_offer(command.subject, command.proposal, counterparty, patent, command.expires_at, now)
    await _no_exclusive_while_declared(uow, number, command.proposal)
    assert patent.facts is not None
    deal = Deal(
        id=str(uuid.uuid4()),
        application_number=number,
        patent_number=patent.facts.patent_number,
        subject=command.subject,
        owners=patent.patentees,
        patentee=patentee,
        counterparty=counterparty,
        opened_by=side,
    )
    deal.make_offer(Offer(str(uuid.uuid4()), side, command.proposal, command.expires_at, now), now)
    await deals(uow).add(deal)
    uow.emit(
        DealOpened(
            deal_id=deal.id,
            application_number=number,
            patent_number=deal.patent_number,
            deal_type=deal.subject.value,
            kind=_kind(command.proposal),
            patentee=org_ref(deal.patentee),
            counterparty=org_ref(deal.counterparty),
            opened_at=now,
        )
    )
    return deal


def _check_offer(
    subject: DealSubject,
    proposal: Proposal,
    counterparty: DealParty,
    patent: CataloguedPatent,
    expires_at: datetime,
    now: datetime,
) -> None:
    check_expiry(expires_at, now)
    expiry = patent.facts.expiry_date if patent.facts else None
    check_proposal(subject, proposal, counterparty=counterparty, patent_expiry=expiry)


async def make_offer(uow: UnitOfWork, principal: Principal, command: MakeOffer) -> Deal:
    """A counter-offer by the party the open offer is addressed to."""
    deal = await locked_deal(uow, principal, command.deal_id)
    side = party_side(deal, principal, "make offers")
    now = uow.clock.now()
    deal.make_offer(Offer(str(uuid.uuid4()), side, command.proposal, command.expires_at, now), now)
    patent = await valid_patent(uow, deal.application_number)
    _check_offer(deal.subject, command.proposal, deal.counterparty, patent, command.expires_at, now)
    await _no_exclusive_while_declared(uow, deal.application_number, command.proposal)
    await deals(uow).save(deal)
    return deal


async def accept_offer(uow: UnitOfWork, principal: Principal, command: AnswerOffer) -> Deal:
    """Accept the open offer: the deal is agreed and, for an exclusive or sole licence
    (or a transfer), its scope is reserved against every other deal and licence."""
    deal = await locked_deal(uow, principal, command.deal_id)
    side = party_side(deal, principal, "accept offers")
    number = deal.application_number
    now = uow.clock.now()
    offer = deal.accept(command.offer_id, side, now)
    await valid_patent(uow, number)
    await _no_exclusive_while_declared(uow, number, offer.proposal)
    await _scope_free(uow, deal)
    await deals(uow).save(deal)
    uow.emit(
        DealAgreed(
            deal_id=deal.id,
            application_number=number,
            patent_number=deal.patent_number,
            deal_type=deal.subject.value,
            kind=_kind(offer.proposal),
            patentee=org_ref(deal.patentee),
            counterparty=org_ref(deal.counterparty),
            agreed_at=now,
        )
    )
    return deal


async def _scope_free(uow: UnitOfWork, deal: Deal) -> None:
    number = deal.application_number
    pending = [d for d in await deals(uow).pending_on(number) if d.id != deal.id]
    transfer = deal.agreed_transfer
    if transfer is not None:
        for other in pending:
            if other.agreed_transfer is not None:
                raise ScopeTaken(
                    f"the transfer of {number} to {other.counterparty.name} is already "
                    f"agreed (deal {other.id}); a patent is transferred once",
                    deal_id=other.id,
                )
        return
    licence = deal.agreed_license
    assert licence is not None
    scope = licence.scope()
    for other in pending:
        agreed = other.agreed_license
        if agreed is not None and scope.excludes(agreed.scope()):
            raise ScopeTaken(
                f"the {scope.describe()} overlaps the {agreed.scope().describe()} agreed in "
                f"deal {other.id}; an exclusive or sole licence excludes any other licence of "
                "an overlapping scope (term, territory and field of use)",
                deal_id=other.id,
            )
    for held in await licences.licenses(uow).licenses_in_force(number):
        if scope.excludes(held.scope()):
            raise ScopeTaken(
                f"the {scope.describe()} overlaps the {held.scope().describe()} of licence "
                f"{held.id} in force; an exclusive or sole licence excludes any other licence "
                "of an overlapping scope (term, territory and field of use)",
                license_id=held.id,
            )


async def withdraw_offer(uow: UnitOfWork, principal: Principal, command: AnswerOffer) -> Deal:
    deal = await locked_deal(uow, principal, command.deal_id)
    deal.withdraw(command.offer_id, party_side(deal, principal, "withdraw offers"), uow.clock.now())
    await deals(uow).save(deal)
    return deal


async def get_deal(uow: UnitOfWork, principal: Principal, deal_id: str) -> Deal:
    return await visible_deal(deals(uow), principal, deal_id)


async def list_deals(uow: UnitOfWork, principal: Principal, query: ListDeals) -> list[Deal]:
    """The deals ``principal`` is a party to (all of them for the operator)."""
    return await deals(uow).list_deals(
        limit=query.limit,
        after=query.after,
        visible_to=None if _is_operator(principal) else (principal.org_id, principal.uscc),
        application_number=query.application_number,
        state=query.state,
    )


def _kind(proposal: Proposal) -> LicenseKind | None:
    return proposal.kind if isinstance(proposal, LicenseProposal) else None


def org_ref(party: DealParty) -> OrgRef:
    return OrgRef(org_id=party.org_id, name=party.name, uscc=party.uscc)
