"""Listing use cases: load through the repository, apply domain rules, stage events.
Services never commit; the caller's unit of work does."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import asyncpg

from listing.api import schemas
from listing.domain import search
from listing.domain.declaration import (
    IN_FORCE,
    DeclarationStatus,
    LicenseTerms,
    OpenLicenseDeclaration,
    RoyaltyBase,
    RoyaltySchedule,
)
from listing.domain.encumbrance import Encumbrance, EncumbranceKind, EncumbranceView
from listing.domain.errors import (
    NotPatentee,
    PatentAlreadyRegistered,
    TransferPledgedWithoutConsent,
)
from listing.domain.industry import industries_for
from listing.domain.patent import AnnualFeeStatus, LegalStatus, PartyType, Patent, Patentee
from listing.evidence.service import load_evidence
from listing.models import (
    DeclarationRecord,
    DeclarationTermsRecord,
    EncumbranceRecord,
    PatentRecord,
    PledgeeConsentRecord,
)
from listing.repository import ListingRepository
from listing.search.queries import read_patent
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.domain import ApplicationNumber, PatentType
from shared.errors import NotFound
from shared.events.schemas import (
    DeclarationExpired,
    DeclarationLapsed,
    DeclarationPublished,
    DeclarationReinstated,
    DeclarationSuspended,
    DeclarationWithdrawalRequested,
    DeclarationWithdrawn,
    OpenLicenseTerms,
    PatenteeRef,
    PatentOwnerChanged,
    PatentRegistered,
    PatentStatusChanged,
    PaymentMode,
    ReportingPeriod,
)

# -- patents ------------------------------------------------------------------------------


async def register_patent(
    uow: UnitOfWork, principal: Principal, body: schemas.PatentCreate
) -> PatentRecord:
    patent = patent_from_input(body)
    if principal.org_type is not OrgType.OPERATOR and not patent.is_patentee(principal.uscc):
        raise NotPatentee(
            "only a patentee (token USCC among the patentees) or the operator may register a patent"
        )
    record = catalogue_record(patent, principal.org_id)
    repo = ListingRepository(uow.session)
    if not await repo.add_patent(record):
        raise PatentAlreadyRegistered(
            f"patent {patent.application_number} is already in the catalogue"
        )
    uow.emit(patent_registered(patent))
    return record


def patent_from_input(body: schemas.PatentCreate) -> Patent:
    """The domain patent an API body (or a bulk-import row) describes; industries are
    derived from the IPC symbols (domain/industry.py)."""
    number = ApplicationNumber.parse(body.application_number)
    return Patent(
        application_number=number,
        patent_type=number.patent_type,
        title=body.title,
        abstract=body.abstract,
        filing_date=body.filing_date,
        grant_date=body.grant_date,
        ipc_codes=list(body.ipc_codes),
        industry_codes=industries_for(body.ipc_codes),
        region_code=body.region_code,
        patentees=[Patentee(p.name, p.uscc, p.share, p.party_type) for p in body.patentees],
        legal_status=body.legal_status,
        annual_fee_status=body.annual_fee_status,
        state_funded=body.state_funded,
        term_adjustment_days=body.term_adjustment_days,
        evaluation_report_favourable=body.evaluation_report_favourable,
    )


async def get_patent(pool: asyncpg.Pool, application_number: str) -> str:
    """The patent as JSON text (schemas.PatentPublic), written by PostgreSQL."""
    found = await read_patent(pool, application_number)
    if found is None:
        raise NotFound(f"patent {application_number} is not in the catalogue")
    return found


async def list_encumbrances(uow: UnitOfWork, application_number: str) -> list[EncumbranceRecord]:
    repo = ListingRepository(uow.session)
    if await repo.get_patent(application_number) is None:
        raise NotFound(f"patent {application_number} is not in the catalogue")
    return await repo.active_encumbrances(application_number)


async def list_patents(uow: UnitOfWork, limit: int, after: str | None) -> list[PatentRecord]:
    return await ListingRepository(uow.session).list_patents(limit, after)


async def update_patent_status(
    uow: UnitOfWork, application_number: str, body: schemas.PatentStatusUpdate
) -> PatentRecord:
    repo = ListingRepository(uow.session)
    record = await repo.get_patent(application_number, for_update=True)
    if record is None:
        raise NotFound(f"patent {application_number} is not in the catalogue")
    changes = body.model_dump(exclude_none=True, exclude={"reason"})
    for field, value in changes.items():
        setattr(record, field, value.value if hasattr(value, "value") else value)
    record.updated_at = datetime.now(UTC)
    if record.legal_status != LegalStatus.VALID.value:
        reason = f"patent legal status is now {record.legal_status}"
        if body.reason:
            reason += f" ({body.reason})"
        await _lapse_declarations(repo, uow, record, reason)
    index_for_search(record)
    uow.session.add(record)
    uow.emit(
        PatentStatusChanged(
            application_number=record.application_number,
            legal_status=record.legal_status,
            annual_fee_status=record.annual_fee_status,
            suspended=record.suspended,
            under_preservation=record.under_preservation,
            reason=body.reason,
        )
    )
    return record


# -- declarations -------------------------------------------------------------------------


async def create_declaration(
    uow: UnitOfWork, principal: Principal, body: schemas.DeclarationCreate
) -> tuple[DeclarationRecord, DeclarationTermsRecord]:
    repo = ListingRepository(uow.session)
    record = await repo.get_patent(body.application_number)
    if record is None:
        raise NotFound(f"patent {body.application_number} is not in the catalogue")
    patent = _patent(record)
    if not patent.is_patentee(principal.uscc):
        raise NotPatentee(
            f"only a patentee of {patent.application_number} may declare an open licence"
        )
    terms = _terms(body.terms.model_dump())
    # Terms are checked at creation too, so a draft is never saved with impossible terms.
    terms.validate(patent)
    await load_evidence(uow.session, body.evidence)
    declaration = DeclarationRecord(
        id=str(uuid.uuid4()),
        application_number=record.application_number,
        status=DeclarationStatus.DRAFT.value,
        declarant_org_id=principal.org_id,
        declarant_uscc=principal.uscc,
        description=body.description,
        contact=body.contact,
        co_owner_consents=list(body.co_owner_consents),
        evidence_document_ids=list(dict.fromkeys(body.evidence)),
    )
    terms_record = DeclarationTermsRecord(
        declaration_id=declaration.id, version=1, terms=body.terms.model_dump(mode="json")
    )
    await repo.add_declaration(declaration, terms_record)
    return declaration, terms_record


async def get_declaration(
    uow: UnitOfWork, declaration_id: str
) -> tuple[DeclarationRecord, DeclarationTermsRecord]:
    repo = ListingRepository(uow.session)
    record = await repo.get_declaration(declaration_id)
    if record is None:
        raise NotFound(f"declaration {declaration_id} does not exist")
    return record, await repo.get_terms(record.id, record.current_terms_version)


async def list_declarations(
    uow: UnitOfWork,
    *,
    limit: int,
    after: tuple[datetime, str] | None,
    status: DeclarationStatus | None,
    application_number: str | None,
) -> list[tuple[DeclarationRecord, DeclarationTermsRecord]]:
    repo = ListingRepository(uow.session)
    records = await repo.list_declarations(
        limit=limit,
        after=after,
        status=status.value if status else None,
        application_number=application_number,
    )
    return [(r, await repo.get_terms(r.id, r.current_terms_version)) for r in records]


async def submit_declaration(
    uow: UnitOfWork, principal: Principal, declaration_id: str
) -> tuple[DeclarationRecord, DeclarationTermsRecord]:
    """Check every refusal rule and announce the declaration (publishes it)."""
    repo = ListingRepository(uow.session)
    record = await repo.get_declaration(declaration_id, for_update=True)
    if record is None:
        raise NotFound(f"declaration {declaration_id} does not exist")
    if record.declarant_org_id != principal.org_id:
        raise NotPatentee("only the declarant may submit its declaration")
    # Locking the patent row serialises this check with encumbrance changes (pledges).
    patent_record = await repo.get_patent(record.application_number, for_update=True)
    assert patent_record is not None
    patent = _patent(patent_record)
    terms_record = await repo.get_terms(record.id, record.current_terms_version)
    declaration = _declaration(record, terms_record)
    declaration.evidence = await load_evidence(uow.session, record.evidence_document_ids)
    view = await _encumbrance_view(repo, record.application_number)
    declaration.submit(patent, view)
    now = datetime.now(UTC)
    declaration.announce(now)
    record.status = declaration.status.value
    record.announced_at = now
    uow.session.add(record)
    _set_offer(patent_record, terms_record.terms)
    uow.session.add(patent_record)
    uow.emit(_declaration_published(record, terms_record, patent, now))
    return record, terms_record


def _offer_price(terms: dict[str, Any]) -> Decimal | None:
    """What a licence costs up front: the lump sum, the entry fee, or nothing (free);
    ``None`` for a running royalty alone (no fixed price to filter on)."""
    mode = terms["payment_mode"]
    if mode == PaymentMode.FREE.value:
        return Decimal("0")
    raw = terms.get("lump_sum_fee") or terms.get("entry_fee")
    return Decimal(str(raw)) if raw is not None else None


def index_for_search(record: PatentRecord) -> None:
    """Refresh what search reads (domain/search.py) from the record's facts."""
    columns = search_columns(
        {name: getattr(record, name) for name in SEARCH_INPUTS},
    )
    record.search_keys = columns["search_keys"]
    record.search_text = columns["search_text"]
    record.facet_keys = columns["facet_keys"]


SEARCH_INPUTS = (
    "title",
    "abstract",
    "ipc_codes",
    "industry_codes",
    "region_code",
    "patent_type",
    "patentees",
    "legal_status",
    "offer_payment_mode",
)


def search_columns(values: dict[str, Any]) -> dict[str, Any]:
    """The search columns of a catalogue row, from its other columns."""
    facets = search.facet_keys(
        ipc_codes=values["ipc_codes"],
        industry_codes=values["industry_codes"],
        region_code=values["region_code"],
        patent_type=values["patent_type"],
        patentee_types=sorted({str(p.get("party_type")) for p in values["patentees"]}),
        legal_status=values["legal_status"],
        payment_mode=values["offer_payment_mode"],
    )
    # Cut from the very text keywords are confirmed against (normalised once: the
    # normalisation is most of a bulk import row's search cost).
    text = search.searchable_text(values["title"], values["abstract"])
    return {
        "search_keys": search.search_keys(search.grams(text), facets),
        "search_text": text,
        "facet_keys": facets,
    }


# -- encumbrance view (from other services' events) --------------------------------------


async def record_pledge(
    uow: UnitOfWork,
    *,
    pledge_id: str,
    application_numbers: list[str],
    pledgee: str,
    registered_on: date,
    open_license_consented: bool,
    registered_at: datetime,
) -> None:
    """Keep the pledge in the encumbrance view. A declaration announced after the pledge
    took effect, without the pledgee's consent, is suspended (the pledge came first)."""
    repo = ListingRepository(uow.session)
    for number in application_numbers:
        await repo.get_patent(number, for_update=True)
        await repo.upsert_encumbrance(
            application_number=number,
            kind=EncumbranceKind.PLEDGE.value,
            reference_id=pledge_id,
            holder=pledgee,
            effective_from=registered_on,
            open_license_consented=open_license_consented,
        )
        if not open_license_consented:
            await _resolve_race(
                repo,
                uow,
                number,
                act_at=registered_at,
                reference=pledge_id,
                reason=(
                    f"pledge {pledge_id} to {pledgee} was registered at "
                    f"{registered_at.isoformat()}, before the declaration was announced, "
                    "and the pledgee has not consented to an open licence"
                ),
            )


async def record_pledgee_consent(
    uow: UnitOfWork,
    *,
    pledge_id: str,
    application_numbers: list[str],
    pledgee: str,
    consent_to: str,
    counterparty_uscc: str | None,
    recorded_on: date,
) -> None:
    """Keep a pledgee's consent. To an open licence: the pledge no longer blocks one (and
    a declaration it suspended comes back); to a transfer: the transfer may be recorded."""
    repo = ListingRepository(uow.session)
    for number in application_numbers:
        await repo.get_patent(number, for_update=True)
        await repo.add_consent(
            PledgeeConsentRecord(
                pledge_id=pledge_id,
                application_number=number,
                consent_to=consent_to,
                counterparty_uscc=counterparty_uscc or "",
                recorded_on=recorded_on,
            )
        )
        if consent_to == "open_license":
            await repo.consent_to_open_license(
                kind=EncumbranceKind.PLEDGE.value, reference_id=pledge_id
            )
            await _reinstate(repo, uow, number, pledge_id, f"pledgee {pledgee} consented")


async def record_transfer(
    uow: UnitOfWork,
    application_number: str,
    body: schemas.TransferIn,
    *,
    disposal_of: str | None = None,
) -> PatentRecord:
    """The office registered a transfer: the owner changes (``PatentOwnerChanged``). A
    pledged patent changes hands only with its pledgee's recorded consent to a transfer
    to this transferee, or when the pledgee itself disposes of it (``disposal_of``)."""
    repo = ListingRepository(uow.session)
    record = await repo.get_patent(application_number, for_update=True)
    if record is None:
        raise NotFound(f"patent {application_number} is not in the catalogue")
    await load_evidence(uow.session, body.evidence)
    transferees = {p.uscc for p in body.patentees}
    for pledge in await repo.active_encumbrances(application_number):
        if pledge.kind != EncumbranceKind.PLEDGE.value or pledge.reference_id == disposal_of:
            continue
        consents = await repo.consents(pledge.reference_id, application_number, "transfer")
        if not any(c.counterparty_uscc in ("", *transferees) for c in consents):
            raise TransferPledgedWithoutConsent(
                f"patent {application_number} is pledged to {pledge.holder} (pledge "
                f"{pledge.reference_id}); the pledgee has not consented to this transfer"
            )
    previous = [PatenteeRef(**p) for p in record.patentees]
    record.patentees = [
        {"name": p.name, "uscc": p.uscc, "share": str(p.share), "party_type": p.party_type.value}
        for p in body.patentees
    ]
    record.updated_at = datetime.now(UTC)
    index_for_search(record)
    uow.session.add(record)
    uow.emit(
        PatentOwnerChanged(
            application_number=application_number,
            previous_patentees=previous,
            patentees=[PatenteeRef(**p) for p in record.patentees],
            transfer_reference=body.transfer_reference,
            effective_date=body.effective_date,
        )
    )
    return record


async def release_pledge(uow: UnitOfWork, pledge_id: str, application_numbers: list[str]) -> None:
    repo = ListingRepository(uow.session)
    await repo.release_encumbrance(kind=EncumbranceKind.PLEDGE.value, reference_id=pledge_id)
    for number in application_numbers:
        await _reinstate(repo, uow, number, pledge_id, f"pledge {pledge_id} was cancelled")


async def record_exclusive_license(
    uow: UnitOfWork,
    *,
    license_id: str,
    application_number: str,
    kind: EncumbranceKind,
    licensee: str,
    effective_from: date,
    granted_at: datetime,
) -> None:
    repo = ListingRepository(uow.session)
    await repo.get_patent(application_number, for_update=True)
    await repo.upsert_encumbrance(
        application_number=application_number,
        kind=kind.value,
        reference_id=license_id,
        holder=licensee,
        effective_from=effective_from,
        open_license_consented=False,
    )
    await _resolve_race(
        repo,
        uow,
        application_number,
        act_at=granted_at,
        reference=license_id,
        reason=(
            f"{kind.value.replace('_', ' ')} {license_id} to {licensee} took effect at "
            f"{granted_at.isoformat()}, before the declaration was announced"
        ),
    )


# -- mapping between records, domain objects and events ----------------------------------


def catalogue_record(patent: Patent, registered_by: str) -> PatentRecord:
    """The catalogue row of a patent, indexed for search."""
    return PatentRecord(**catalogue_values(patent, registered_by))


def catalogue_values(patent: Patent, registered_by: str) -> dict[str, Any]:
    """Every column of a patent's catalogue row (bulk import copies these without
    building a record: constructing SQLModel objects dominated its cost)."""
    now = datetime.now(UTC)
    values: dict[str, Any] = dict(
        application_number=patent.application_number.value,
        patent_number=patent.patent_number,
        patent_type=patent.patent_type.value,
        title=patent.title,
        abstract=patent.abstract,
        ipc_codes=patent.ipc_codes,
        industry_codes=patent.industry_codes,
        patentees=[
            {
                "name": p.name,
                "uscc": p.uscc,
                "share": str(p.share),
                "party_type": p.party_type.value,
            }
            for p in patent.patentees
        ],
        region_code=patent.region_code,
        filing_date=patent.filing_date,
        grant_date=patent.grant_date,
        expiry_date=patent.expiry_date,
        term_adjustment_days=patent.term_adjustment_days,
        legal_status=patent.legal_status.value,
        annual_fee_status=patent.annual_fee_status.value,
        suspended=patent.suspended,
        under_preservation=patent.under_preservation,
        state_funded=patent.state_funded,
        evaluation_report_favourable=patent.evaluation_report_favourable,
        registered_by_org_id=registered_by,
        offer_payment_mode=None,
        offer_price=None,
        created_at=now,
        updated_at=now,
    )
    values.update(search_columns(values))
    return values


def _patent(record: PatentRecord) -> Patent:
    return Patent(
        application_number=ApplicationNumber.parse(record.application_number),
        patent_type=PatentType(record.patent_type),
        title=record.title,
        abstract=record.abstract,
        filing_date=record.filing_date,
        grant_date=record.grant_date,
        ipc_codes=list(record.ipc_codes),
        industry_codes=list(record.industry_codes),
        region_code=record.region_code,
        patentees=[
            Patentee(p["name"], p.get("uscc"), Decimal(p["share"]), PartyType(p["party_type"]))
            for p in record.patentees
        ],
        legal_status=LegalStatus(record.legal_status),
        annual_fee_status=AnnualFeeStatus(record.annual_fee_status),
        suspended=record.suspended,
        under_preservation=record.under_preservation,
        state_funded=record.state_funded,
        term_adjustment_days=record.term_adjustment_days,
        evaluation_report_favourable=record.evaluation_report_favourable,
    )


def _terms(raw: dict[str, Any]) -> LicenseTerms:
    return LicenseTerms(
        payment_mode=PaymentMode(raw["payment_mode"]),
        term_start=_as_date(raw["term_start"]),
        term_end=_as_date(raw["term_end"]),
        lump_sum_fee=_as_decimal(raw.get("lump_sum_fee")),
        entry_fee=_as_decimal(raw.get("entry_fee")),
        royalty_base=RoyaltyBase(raw["royalty_base"]) if raw.get("royalty_base") else None,
        royalty_rate=_as_decimal(raw.get("royalty_rate")),
        payment_schedule=raw.get("payment_schedule"),
        royalty_schedule=_royalty_schedule(raw.get("royalty_schedule")),
        territory=raw.get("territory") or "中国大陆",
    )


def _royalty_schedule(raw: dict[str, Any] | None) -> RoyaltySchedule | None:
    if raw is None:
        return None
    return RoyaltySchedule(
        period=ReportingPeriod(raw["period"]),
        due_days_after_period=raw.get("due_days_after_period"),
        annual_due=raw.get("annual_due"),
    )


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _as_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _declaration(
    record: DeclarationRecord, terms: DeclarationTermsRecord
) -> OpenLicenseDeclaration:
    return OpenLicenseDeclaration(
        id=record.id,
        application_number=record.application_number,
        declarant_org_id=record.declarant_org_id,
        declarant_uscc=record.declarant_uscc,
        terms=_terms(terms.terms),
        terms_version=terms.version,
        status=DeclarationStatus(record.status),
        description=record.description,
        contact=record.contact,
        co_owner_consents=list(record.co_owner_consents),
    )


async def _encumbrance_view(repo: ListingRepository, application_number: str) -> EncumbranceView:
    rows = await repo.active_encumbrances(application_number)
    return EncumbranceView(
        tuple(
            Encumbrance(EncumbranceKind(r.kind), r.reference_id, r.holder, r.open_license_consented)
            for r in rows
        )
    )


def _patentee_refs(patent: Patent) -> list[PatenteeRef]:
    return [
        PatenteeRef(name=p.name, uscc=p.uscc, share=p.share, party_type=p.party_type.value)
        for p in patent.patentees
    ]


def patent_registered(patent: Patent) -> PatentRegistered:
    return PatentRegistered(
        application_number=patent.application_number.value,
        patent_number=patent.patent_number,
        patent_type=patent.patent_type.value,
        title=patent.title,
        abstract=patent.abstract,
        ipc_codes=patent.ipc_codes,
        industry_codes=patent.industry_codes,
        patentees=_patentee_refs(patent),
        region_code=patent.region_code,
        filing_date=patent.filing_date,
        grant_date=patent.grant_date,
        expiry_date=patent.expiry_date,
        legal_status=patent.legal_status.value,
        annual_fee_status=patent.annual_fee_status.value,
        suspended=patent.suspended,
        under_preservation=patent.under_preservation,
        state_funded=patent.state_funded,
    )


def _declaration_published(
    record: DeclarationRecord, terms: DeclarationTermsRecord, patent: Patent, at: datetime
) -> DeclarationPublished:
    return DeclarationPublished(
        declaration_id=record.id,
        application_number=record.application_number,
        patent_number=patent.patent_number,
        patent_type=patent.patent_type.value,
        title=patent.title,
        patentees=_patentee_refs(patent),
        terms_version=terms.version,
        terms=OpenLicenseTerms.model_validate(terms.terms),
        announced_at=at,
        ipc_codes=patent.ipc_codes,
        region_code=patent.region_code,
    )


# -- declaration lifecycle after announcement ---------------------------------------------


async def _own_declaration(
    repo: ListingRepository, principal: Principal, declaration_id: str
) -> DeclarationRecord:
    record = await repo.get_declaration(declaration_id, for_update=True)
    if record is None:
        raise NotFound(f"declaration {declaration_id} does not exist")
    if record.declarant_org_id != principal.org_id:
        raise NotPatentee("only the declarant may change or withdraw its declaration")
    return record


async def change_terms(
    uow: UnitOfWork, principal: Principal, declaration_id: str, body: schemas.TermsIn
) -> tuple[DeclarationRecord, DeclarationTermsRecord]:
    """A new, immutable terms version. For a declaration in force it is announced at
    once (``DeclarationPublished`` with the new version); licences already taken keep
    the version they took."""
    repo = ListingRepository(uow.session)
    record = await _own_declaration(repo, principal, declaration_id)
    patent_record = await repo.get_patent(record.application_number, for_update=True)
    assert patent_record is not None
    patent = _patent(patent_record)
    declaration = _declaration(
        record, await repo.get_terms(record.id, record.current_terms_version)
    )
    declaration.change_terms(_terms(body.model_dump()), patent)
    terms_record = DeclarationTermsRecord(
        declaration_id=record.id,
        version=declaration.terms_version,
        terms=body.model_dump(mode="json"),
    )
    await repo.add_terms(terms_record)
    record.current_terms_version = declaration.terms_version
    uow.session.add(record)
    if declaration.status in IN_FORCE:
        now = datetime.now(UTC)
        _set_offer(patent_record, terms_record.terms)
        uow.session.add(patent_record)
        uow.emit(_declaration_published(record, terms_record, patent, now))
    return record, terms_record


async def request_withdrawal(
    uow: UnitOfWork, principal: Principal, declaration_id: str, reason: str | None
) -> tuple[DeclarationRecord, DeclarationTermsRecord]:
    """The patentee's written request (Art. 51). The declaration stays in force until
    the office announces the withdrawal."""
    repo = ListingRepository(uow.session)
    record = await _own_declaration(repo, principal, declaration_id)
    terms = await repo.get_terms(record.id, record.current_terms_version)
    declaration = _declaration(record, terms)
    declaration.request_withdrawal()
    now = datetime.now(UTC)
    record.status = declaration.status.value
    record.withdrawal_requested_at = now
    record.status_reason = reason
    uow.session.add(record)
    uow.emit(
        DeclarationWithdrawalRequested(
            declaration_id=record.id,
            application_number=record.application_number,
            requested_at=now,
            reason=reason,
        )
    )
    return record, terms


async def announce_withdrawal(
    uow: UnitOfWork, declaration_id: str
) -> tuple[DeclarationRecord, DeclarationTermsRecord]:
    """The office announced the withdrawal (recorded by the operator): it takes effect;
    licences granted before it keep their effect."""
    repo = ListingRepository(uow.session)
    record = await repo.get_declaration(declaration_id, for_update=True)
    if record is None:
        raise NotFound(f"declaration {declaration_id} does not exist")
    terms = await repo.get_terms(record.id, record.current_terms_version)
    declaration = _declaration(record, terms)
    now = datetime.now(UTC)
    declaration.withdraw(now)
    record.status = declaration.status.value
    record.withdrawn_at = now
    uow.session.add(record)
    await _clear_offer(repo, uow, record.application_number)
    uow.emit(
        DeclarationWithdrawn(
            declaration_id=record.id,
            application_number=record.application_number,
            effective_at=now,
            reason=record.status_reason,
        )
    )
    return record, terms


async def _lapse_declarations(
    repo: ListingRepository, uow: UnitOfWork, patent: PatentRecord, reason: str
) -> None:
    """The patent is no longer valid: every declaration still in force lapses."""
    now = datetime.now(UTC)
    for record in await repo.declarations_of(patent.application_number, _LIVE):
        declaration = _declaration(
            record, await repo.get_terms(record.id, record.current_terms_version)
        )
        if declaration.end(DeclarationStatus.LAPSED):
            record.status, record.ended_at, record.status_reason = "lapsed", now, reason
            uow.session.add(record)
            uow.emit(
                DeclarationLapsed(
                    declaration_id=record.id,
                    application_number=record.application_number,
                    effective_at=now,
                    reason=reason,
                )
            )
    patent.offer_payment_mode, patent.offer_price = None, None


async def expire_declarations(uow: UnitOfWork, today: date, limit: int = 200) -> int:
    """End the declarations whose term is over; returns how many (the sweep's batch)."""
    repo = ListingRepository(uow.session)
    now = datetime.now(UTC)
    records = await repo.declarations_past_term(today, limit)
    for record in records:
        terms = await repo.get_terms(record.id, record.current_terms_version)
        declaration = _declaration(record, terms)
        if not declaration.end(DeclarationStatus.EXPIRED):
            continue
        record.status, record.ended_at = "expired", now
        record.status_reason = f"the declared term ended on {declaration.terms.term_end}"
        uow.session.add(record)
        await _clear_offer(repo, uow, record.application_number)
        uow.emit(
            DeclarationExpired(
                declaration_id=record.id,
                application_number=record.application_number,
                term_end=declaration.terms.term_end,
                effective_at=now,
            )
        )
    return len(records)


_LIVE = ("announced", "withdrawal_requested", "suspended")


async def _resolve_race(
    repo: ListingRepository,
    uow: UnitOfWork,
    application_number: str,
    *,
    act_at: datetime,
    reference: str,
    reason: str,
) -> None:
    """An act that forbids a declaration (a pledge without the pledgee's consent, an
    exclusive or sole licence) took effect at ``act_at``. A declaration announced after
    it must not stand: it is suspended with an event naming the act. A declaration
    announced before it stands (the other service resolves its side)."""
    for record in await repo.declarations_of(application_number, IN_FORCE_NAMES):
        if record.announced_at is None or record.announced_at <= act_at:
            continue
        declaration = _declaration(
            record, await repo.get_terms(record.id, record.current_terms_version)
        )
        if declaration.suspend():
            record.status, record.suspended_by, record.status_reason = (
                declaration.status.value,
                reference,
                reason,
            )
            uow.session.add(record)
            await _clear_offer(repo, uow, application_number)
            uow.emit(
                DeclarationSuspended(
                    declaration_id=record.id,
                    application_number=application_number,
                    effective_at=datetime.now(UTC),
                    reason=reason,
                    conflicting_reference=reference,
                )
            )


async def _reinstate(
    repo: ListingRepository, uow: UnitOfWork, application_number: str, reference: str, why: str
) -> None:
    """Declarations suspended by ``reference`` come back into force once it is gone."""
    for record in await repo.declarations_of(application_number, ("suspended",)):
        if record.suspended_by != reference:
            continue
        terms = await repo.get_terms(record.id, record.current_terms_version)
        declaration = _declaration(record, terms)
        if declaration.reinstate():
            record.status, record.suspended_by, record.status_reason = "announced", None, why
            uow.session.add(record)
            patent = await repo.get_patent(application_number, for_update=True)
            assert patent is not None
            _set_offer(patent, terms.terms)
            uow.session.add(patent)
            uow.emit(
                DeclarationReinstated(
                    declaration_id=record.id,
                    application_number=application_number,
                    effective_at=datetime.now(UTC),
                    reason=why,
                )
            )


IN_FORCE_NAMES = tuple(s.value for s in IN_FORCE)


def _set_offer(patent: PatentRecord, terms: dict[str, Any]) -> None:
    patent.offer_payment_mode = terms["payment_mode"]
    patent.offer_price = _offer_price(terms)
    index_for_search(patent)


async def _clear_offer(repo: ListingRepository, uow: UnitOfWork, application_number: str) -> None:
    patent = await repo.get_patent(application_number, for_update=True)
    if patent is not None and patent.offer_payment_mode is not None:
        patent.offer_payment_mode, patent.offer_price = None, None
        index_for_search(patent)
        uow.session.add(patent)
