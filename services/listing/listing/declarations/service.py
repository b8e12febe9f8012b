"""Open-licence declaration use cases: load -> act (domain/declaration.py) -> save ->
emit. Use cases never commit; the caller's unit of work does."""

from __future__ import annotations

import uuid
from datetime import datetime

from listing import mapping
from listing.catalogue.repository import PatentRepository
from listing.declarations.commands import (
    AnnounceWithdrawal,
    ChangeTerms,
    CreateDeclaration,
    RequestWithdrawal,
    SubmitDeclaration,
)
from listing.declarations.repository import LIVE, DeclarationRepository
from listing.domain.declaration import DeclarationStatus, OpenLicenseDeclaration
from listing.domain.errors import NotPatentee
from listing.domain.patent import Patent
from listing.encumbrances.repository import EncumbranceRepository
from listing.evidence.service import load_evidence
from listing.restrictions.service import refuse_restricted_declarant
from shared.auth import Principal
from shared.db.uow import UnitOfWork
from shared.errors import NotFound
from shared.events.schemas import (
    DeclarationExpired,
    DeclarationLapsed,
    DeclarationWithdrawalRequested,
    DeclarationWithdrawn,
)


async def create_declaration(
    uow: UnitOfWork, principal: Principal, command: CreateDeclaration
) -> OpenLicenseDeclaration:
    """A draft with its first terms version; only a patentee of the patent drafts one."""
    patent = await PatentRepository(uow.session).get(command.application_number)
    if patent is None:
        raise NotFound(f"patent {command.application_number} is not in the catalogue")
    if not patent.is_patentee(principal.uscc):
        raise NotPatentee(
            f"only a patentee of {patent.application_number} may declare an open licence"
        )
    await refuse_restricted_declarant(
        uow, [p.uscc for p in patent.patentees], patent.application_number.value
    )
    # Terms are checked at creation too, so a draft is never saved with impossible terms.
    command.terms.validate(patent)
    await load_evidence(uow.session, list(command.evidence))
    declaration = OpenLicenseDeclaration(
        id=str(uuid.uuid4()),
        application_number=patent.application_number.value,
        declarant_org_id=principal.org_id,
        declarant_uscc=principal.uscc,
        terms=command.terms,
        description=command.description,
        contact=command.contact,
        co_owner_consents=list(command.co_owner_consents),
        evidence_ids=list(dict.fromkeys(command.evidence)),
        created_at=uow.clock.now(),
    )
    await DeclarationRepository(uow.session).add(declaration)
    return declaration


async def get_declaration(uow: UnitOfWork, declaration_id: str) -> OpenLicenseDeclaration:
    declaration = await DeclarationRepository(uow.session).get(declaration_id)
    if declaration is None:
        raise NotFound(f"declaration {declaration_id} does not exist")
    return declaration


async def list_declarations(
    uow: UnitOfWork,
    *,
    limit: int,
    after: tuple[datetime, str] | None,
    status: DeclarationStatus | None,
    application_number: str | None,
) -> list[OpenLicenseDeclaration]:
    return await DeclarationRepository(uow.session).page(
        limit=limit, after=after, status=status, application_number=application_number
    )


async def submit_declaration(
    uow: UnitOfWork, principal: Principal, command: SubmitDeclaration
) -> OpenLicenseDeclaration:
    """Check every refusal rule and announce the declaration (publishes it)."""
    declarations = DeclarationRepository(uow.session)
    declaration = await _locked(declarations, command.declaration_id)
    if declaration.declarant_org_id != principal.org_id:
        raise NotPatentee("only the declarant may submit its declaration")
    # Locking the patent row serialises this check with encumbrance changes (pledges).
    patents = PatentRepository(uow.session)
    patent = await patents.get_for_update(declaration.application_number)
    assert patent is not None
    declaration.evidence = await load_evidence(uow.session, declaration.evidence_ids)
    encumbrances = await EncumbranceRepository(uow.session).view(declaration.application_number)
    declaration.submit(patent, encumbrances)
    # A restriction imposed after the draft was made refuses its announcement too.
    await refuse_restricted_declarant(
        uow, [p.uscc for p in patent.patentees], patent.application_number.value
    )
    await announce(uow, declarations, declaration, patents, patent, first=True)
    return declaration


async def change_terms(
    uow: UnitOfWork, principal: Principal, command: ChangeTerms
) -> OpenLicenseDeclaration:
    """A new, immutable terms version. For a declaration in force it is announced at
    once (``DeclarationPublished`` with the new version); licences already taken keep
    the version they took."""
    declarations = DeclarationRepository(uow.session)
    declaration = await _own(declarations, principal, command.declaration_id)
    patents = PatentRepository(uow.session)
    patent = await patents.get_for_update(declaration.application_number)
    assert patent is not None
    declaration.change_terms(command.terms, patent)
    if declaration.in_force:
        await announce(uow, declarations, declaration, patents, patent, first=False)
    else:
        await declarations.save(declaration, now=uow.clock.now())
    return declaration


async def announce(
    uow: UnitOfWork,
    declarations: DeclarationRepository,
    declaration: OpenLicenseDeclaration,
    patents: PatentRepository,
    patent: Patent,
    *,
    first: bool,
) -> None:
    """Announce the declaration's current terms (``first``: the declaration itself): the
    patent's offer follows them, and every connected platform is told."""
    now = uow.clock.now()
    if first:
        declaration.announce(now)
    await declarations.save(declaration, now=now)
    patent.offer(declaration.terms.payment_mode, declaration.terms.up_front_price())
    await patents.save(patent)
    uow.emit(mapping.declaration_published(declaration, patent, now))


async def request_withdrawal(
    uow: UnitOfWork, principal: Principal, command: RequestWithdrawal
) -> OpenLicenseDeclaration:
    """The patentee's written request (Art. 51). The declaration stays in force until
    the office announces the withdrawal."""
    declarations = DeclarationRepository(uow.session)
    declaration = await _own(declarations, principal, command.declaration_id)
    now = uow.clock.now()
    declaration.request_withdrawal(now, command.reason)
    await declarations.save(declaration)
    uow.emit(
        DeclarationWithdrawalRequested(
            declaration_id=declaration.id,
            application_number=declaration.application_number,
            requested_at=now,
            reason=command.reason,
        )
    )
    return declaration


async def announce_withdrawal(
    uow: UnitOfWork, command: AnnounceWithdrawal
) -> OpenLicenseDeclaration:
    """The office announced the withdrawal (recorded by the operator): it takes effect;
    licences granted before it keep their effect."""
    declarations = DeclarationRepository(uow.session)
    declaration = await _locked(declarations, command.declaration_id)
    now = uow.clock.now()
    declaration.withdraw(now)
    await declarations.save(declaration)
    await withdraw_offer(uow, declaration.application_number)
    uow.emit(
        DeclarationWithdrawn(
            declaration_id=declaration.id,
            application_number=declaration.application_number,
            effective_at=now,
            reason=declaration.status_reason,
        )
    )
    return declaration


async def lapse_declarations(uow: UnitOfWork, patent: Patent, reason: str) -> None:
    """The patent is no longer valid: every live declaration lapses, and the patent's
    offer goes (the caller saves the patent)."""
    declarations = DeclarationRepository(uow.session)
    now = uow.clock.now()
    for declaration in await declarations.of_patent(patent.application_number.value, LIVE):
        if declaration.end(DeclarationStatus.LAPSED, now, reason):
            await declarations.save(declaration)
            uow.emit(
                DeclarationLapsed(
                    declaration_id=declaration.id,
                    application_number=declaration.application_number,
                    effective_at=now,
                    reason=reason,
                )
            )
    patent.withdraw_offer()


async def expire_declarations(uow: UnitOfWork, limit: int = 200) -> int:
    """End the declarations whose term is over (Asia/Shanghai dates); returns how many
    were found (the sweep's batch)."""
    declarations = DeclarationRepository(uow.session)
    now = uow.clock.now()
    found = await declarations.past_term(uow.clock.today(), limit)
    for declaration in found:
        if not declaration.expire(now):
            continue
        await declarations.save(declaration)
        await withdraw_offer(uow, declaration.application_number)
        uow.emit(
            DeclarationExpired(
                declaration_id=declaration.id,
                application_number=declaration.application_number,
                term_end=declaration.terms.term_end,
                effective_at=now,
            )
        )
    return len(found)


async def withdraw_offer(uow: UnitOfWork, application_number: str) -> None:
    """No open licence is in force on the patent any more: search stops offering it."""
    patents = PatentRepository(uow.session)
    patent = await patents.get_for_update(application_number)
    if patent is not None and patent.withdraw_offer():
        await patents.save(patent)


async def _locked(
    declarations: DeclarationRepository, declaration_id: str
) -> OpenLicenseDeclaration:
    declaration = await declarations.get_for_update(declaration_id)
    if declaration is None:
        raise NotFound(f"declaration {declaration_id} does not exist")
    return declaration


async def _own(
    declarations: DeclarationRepository, principal: Principal, declaration_id: str
) -> OpenLicenseDeclaration:
    declaration = await _locked(declarations, declaration_id)
    if declaration.declarant_org_id != principal.org_id:
        raise NotPatentee("only the declarant may change or withdraw its declaration")
    return declaration
