"""Rows <-> domain objects (and the events that carry them), each field list written once.

Repositories load rows into domain objects and save domain objects into rows through
these functions; bulk import builds its rows with :func:`catalogue_values`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from listing.domain import search
from listing.domain.declaration import DeclarationStatus, OpenLicenseDeclaration
from listing.domain.encumbrance import Encumbrance, EncumbranceKind
from listing.domain.inventory import IntendedMode, Willingness
from listing.domain.market import ClosedReason, Demand, ListingStatus, SupplyKind, SupplyListing
from listing.domain.patent import AnnualFeeStatus, LegalStatus, PartyType, Patent, Patentee
from listing.domain.terms import LicenseTerms, RoyaltyBase, RoyaltySchedule
from listing.domain.tiers import Tier
from listing.domain.timeline import TimelineEntry
from listing.market.models import DemandRecord, SupplyListingRecord
from listing.models import (
    DeclarationRecord,
    EncumbranceRecord,
    PatentRecord,
    TimelineEntryRecord,
)
from shared.domain import ApplicationNumber, PatentType
from shared.domain.terms import PaymentMode, ReportingPeriod
from shared.events.schemas import (
    DeclarationPublished,
    OpenLicenseTerms,
    PatenteeRef,
    PatentRegistered,
)

# -- patents ------------------------------------------------------------------------------


def patentee_rows(patentees: list[Patentee]) -> list[dict[str, Any]]:
    """The ``patentees`` column: exactly PatenteeOut's (and PatenteeRef's) fields."""
    return [
        {"name": p.name, "uscc": p.uscc, "share": str(p.share), "party_type": p.party_type.value}
        for p in patentees
    ]


def patentee_refs(patentees: list[Patentee]) -> list[PatenteeRef]:
    return [PatenteeRef(**row) for row in patentee_rows(patentees)]


def patent_facts(patent: Patent) -> dict[str, Any]:
    """What the catalogue publishes of a patent (its API body, its registration event)."""
    return dict(
        application_number=patent.application_number.value,
        patent_number=patent.patent_number,
        patent_type=patent.patent_type.value,
        title=patent.title,
        abstract=patent.abstract,
        ipc_codes=patent.ipc_codes,
        industry_codes=patent.industry_codes,
        patentees=patentee_rows(patent.patentees),
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
        **inventory_facts(patent),
    )


def inventory_facts(patent: Patent) -> dict[str, Any]:
    """The public facts of a patent's inventory, as its columns hold them."""
    return dict(
        tier=_value(patent.tier),
        willingness=_value(patent.willingness),
        intended_modes=[m.value for m in patent.intended_modes],
        unexploited_flagged_on=patent.unexploited_flagged_on,
    )


def catalogue_values(patent: Patent, registered_by: str, now: datetime) -> dict[str, Any]:
    """Every column of a patent's catalogue row, indexed for search (bulk import copies
    these without building a record: constructing SQLModel objects dominated its cost)."""
    values = patent_facts(patent)
    values.update(
        registered_by_org_id=registered_by,
        offer_payment_mode=_value(patent.offer_payment_mode),
        offer_price=patent.offer_price,
        created_at=now,
        updated_at=now,
    )
    values.update(search_columns(values))
    return values


def patent_record(patent: Patent, registered_by: str, now: datetime) -> PatentRecord:
    return PatentRecord(**catalogue_values(patent, registered_by, now))


def update_patent_record(record: PatentRecord, patent: Patent) -> None:
    """Write what may change of a catalogued patent into its row, search columns too."""
    record.patentees = patentee_rows(patent.patentees)
    record.industry_codes = list(patent.industry_codes)
    record.legal_status = patent.legal_status.value
    record.annual_fee_status = patent.annual_fee_status.value
    record.suspended = patent.suspended
    record.under_preservation = patent.under_preservation
    record.evaluation_report_favourable = patent.evaluation_report_favourable
    record.offer_payment_mode = _value(patent.offer_payment_mode)
    record.offer_price = patent.offer_price
    for name, value in inventory_facts(patent).items():
        setattr(record, name, value)
    columns = search_columns({name: getattr(record, name) for name in SEARCH_INPUTS})
    record.search_keys = columns["search_keys"]
    record.search_text = columns["search_text"]
    record.facet_keys = columns["facet_keys"]


def to_patent(record: PatentRecord) -> Patent:
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
        offer_payment_mode=(
            PaymentMode(record.offer_payment_mode) if record.offer_payment_mode else None
        ),
        offer_price=record.offer_price,
        tier=Tier(record.tier) if record.tier else None,
        willingness=Willingness(record.willingness) if record.willingness else None,
        intended_modes=[IntendedMode(m) for m in record.intended_modes],
        unexploited_flagged_on=record.unexploited_flagged_on,
    )


# What the search columns are computed from.
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
    "tier",
    "willingness",
    "intended_modes",
    "unexploited_flagged_on",
)


def search_columns(values: dict[str, Any]) -> dict[str, Any]:
    """The search columns of a catalogue row (domain/search.py), from its other columns."""
    facets = search.facet_keys(
        ipc_codes=values["ipc_codes"],
        industry_codes=values["industry_codes"],
        region_code=values["region_code"],
        patent_type=values["patent_type"],
        patentee_types=sorted({str(p.get("party_type")) for p in values["patentees"]}),
        legal_status=values["legal_status"],
        payment_mode=values["offer_payment_mode"],
        tier=values["tier"],
        willingness=values["willingness"],
        intended_modes=values["intended_modes"],
        unexploited=values["unexploited_flagged_on"] is not None,
    )
    # Cut from the very text keywords are confirmed against (normalised once: the
    # normalisation is most of a bulk import row's search cost).
    text = search.searchable_text(values["title"], values["abstract"])
    return {
        "search_keys": search.search_keys(search.grams(text), facets),
        "search_text": text,
        "facet_keys": facets,
    }


def patent_registered(patent: Patent, facts: Mapping[str, Any] | None = None) -> PatentRegistered:
    """``facts``: the patent's facts when the caller has them already (the bulk import's
    catalogue values), so they are not gathered twice."""
    facts = patent_facts(patent) if facts is None else facts
    return PatentRegistered(**{name: facts[name] for name in PatentRegistered.model_fields})


# -- declarations -------------------------------------------------------------------------


def terms_document(terms: LicenseTerms) -> dict[str, Any]:
    """A terms version as stored (JSON): money with its two decimals, rates as written."""
    schedule = terms.royalty_schedule
    return {
        "payment_mode": terms.payment_mode.value,
        "lump_sum_fee": _money(terms.lump_sum_fee),
        "entry_fee": _money(terms.entry_fee),
        "royalty_base": _value(terms.royalty_base),
        "royalty_rate": _rate(terms.royalty_rate),
        "payment_schedule": terms.payment_schedule,
        "royalty_schedule": None
        if schedule is None
        else {
            "period": schedule.period.value,
            "due_days_after_period": schedule.due_days_after_period,
            "annual_due": schedule.annual_due,
        },
        "term_start": terms.term_start.isoformat(),
        "term_end": terms.term_end.isoformat(),
        "territory": terms.territory,
    }


def to_terms(raw: dict[str, Any]) -> LicenseTerms:
    schedule = raw.get("royalty_schedule")
    return LicenseTerms(
        payment_mode=PaymentMode(raw["payment_mode"]),
        term_start=_as_date(raw["term_start"]),
        term_end=_as_date(raw["term_end"]),
        lump_sum_fee=_as_decimal(raw.get("lump_sum_fee")),
        entry_fee=_as_decimal(raw.get("entry_fee")),
        royalty_base=RoyaltyBase(raw["royalty_base"]) if raw.get("royalty_base") else None,
        royalty_rate=_as_decimal(raw.get("royalty_rate")),
        payment_schedule=raw.get("payment_schedule"),
        # Absent from terms versions stored before schedules were declared.
        royalty_schedule=None
        if schedule is None
        else RoyaltySchedule(
            period=ReportingPeriod(schedule["period"]),
            due_days_after_period=schedule.get("due_days_after_period"),
            annual_due=schedule.get("annual_due"),
        ),
        territory=raw.get("territory") or "中国大陆",
    )


# The declaration's columns its domain object holds under the same name, as they are
# (the status is an enum, the lists are copied).
_DECLARATION_FIELDS = tuple(
    f.name
    for f in fields(OpenLicenseDeclaration)
    if f.name in DeclarationRecord.model_fields and f.name not in {"status", "co_owner_consents"}
)


def to_declaration(record: DeclarationRecord, terms: dict[str, Any]) -> OpenLicenseDeclaration:
    return OpenLicenseDeclaration(
        **{name: getattr(record, name) for name in _DECLARATION_FIELDS},
        terms=to_terms(terms),
        terms_version=record.current_terms_version,
        status=DeclarationStatus(record.status),
        co_owner_consents=list(record.co_owner_consents),
        evidence_ids=list(record.evidence_document_ids),
    )


def update_declaration_record(
    record: DeclarationRecord, declaration: OpenLicenseDeclaration
) -> None:
    for name in _DECLARATION_FIELDS:
        setattr(record, name, getattr(declaration, name))
    record.status = declaration.status.value
    record.current_terms_version = declaration.terms_version
    record.co_owner_consents = list(declaration.co_owner_consents)
    record.evidence_document_ids = list(declaration.evidence_ids)


def declaration_published(
    declaration: OpenLicenseDeclaration, patent: Patent, at: datetime
) -> DeclarationPublished:
    return DeclarationPublished(
        declaration_id=declaration.id,
        application_number=declaration.application_number,
        patent_number=patent.patent_number,
        patent_type=patent.patent_type.value,
        title=patent.title,
        patentees=patentee_refs(patent.patentees),
        terms_version=declaration.terms_version,
        terms=OpenLicenseTerms.model_validate(terms_document(declaration.terms)),
        announced_at=at,
        ipc_codes=patent.ipc_codes,
        region_code=patent.region_code,
    )


# -- encumbrances and history -------------------------------------------------------------


def to_encumbrance(record: EncumbranceRecord) -> Encumbrance:
    return Encumbrance(
        EncumbranceKind(record.kind),
        record.reference_id,
        record.holder,
        record.open_license_consented,
        record.effective_from,
        record.released_at,
    )


def to_timeline_entry(record: TimelineEntryRecord) -> TimelineEntry:
    return TimelineEntry(**record.model_dump())


# -- supply and demand (the market area) --------------------------------------------------
# The domain objects carry exactly their tables' columns: a row maps field by field, enums
# from and to their values (documents: evidence/mapping.py).


def _columns(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {n: getattr(obj, n) for n in names}


def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


_SUPPLY = _names(SupplyListing)
_DEMAND = _names(Demand)


def supply_listing(record: SupplyListingRecord) -> SupplyListing:
    values = _columns(record, _SUPPLY) | _lifecycle(record)
    return SupplyListing(**values | {"kind": SupplyKind(record.kind)})


def supply_listing_record(listing: SupplyListing) -> SupplyListingRecord:
    return SupplyListingRecord(**_columns(listing, _SUPPLY))


def demand(record: DemandRecord) -> Demand:
    return Demand(**_columns(record, _DEMAND) | _lifecycle(record))


def demand_record(need: Demand) -> DemandRecord:
    return DemandRecord(**_columns(need, _DEMAND))


def _lifecycle(record: SupplyListingRecord | DemandRecord) -> dict[str, Any]:
    reason = record.closed_reason and ClosedReason(record.closed_reason)
    return {"status": ListingStatus(record.status), "closed_reason": reason}


_FEN = Decimal("0.01")


# -- values -------------------------------------------------------------------------------


def _value(member: StrEnum | None) -> str | None:
    return None if member is None else member.value


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount.quantize(_FEN, rounding=ROUND_HALF_UP):f}"


def _rate(rate: Decimal | None) -> str | None:
    if rate is None:
        return None
    text = f"{rate:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _as_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))
