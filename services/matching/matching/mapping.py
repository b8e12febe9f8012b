"""Row <-> domain object for the tables several areas read (patents and needs); an area
that alone reads a table keeps its mapping beside it."""

from __future__ import annotations

from dataclasses import asdict

from matching.domain.patent import MatchablePatent, Patentee, TechnicalNeed
from matching.models import PatentRecord


def to_patent(record: PatentRecord) -> MatchablePatent:
    return MatchablePatent(
        application_number=record.application_number,
        title=record.title,
        abstract=record.abstract,
        ipc_codes=list(record.ipc_codes),
        industry_codes=list(record.industry_codes),
        region_code=record.region_code,
        patentees=[Patentee(**p) for p in record.patentees],
        valid=record.valid,
        tier=record.tier,
        willingness=record.willingness,
        intended_modes=list(record.intended_modes),
        declared=record.declared,
        listed=record.listed,
        listing_ids=list(record.listing_ids),
        inventoried=record.inventoried,
        revision=record.revision,
        tokens=None if record.tokens is None else list(record.tokens),
    )


def patent_values(patent: MatchablePatent) -> dict[str, object]:
    """The row's columns, except ``updated_at`` (the repository stamps it)."""
    institution = patent.institution
    return {
        "application_number": patent.application_number,
        "title": patent.title,
        "abstract": patent.abstract,
        "tokens": patent.tokens,
        "ipc_codes": patent.ipc_codes,
        "industry_codes": patent.industry_codes,
        "industry_divisions": sorted({code[:3] for code in patent.industry_codes}),
        "region_code": patent.region_code,
        "institution_uscc": institution.uscc if institution else None,
        "institution_name": institution.name if institution else None,
        "patentees": [asdict(p) for p in patent.patentees],
        "valid": patent.valid,
        "tier": patent.tier,
        "willingness": patent.willingness,
        "intended_modes": patent.intended_modes,
        "declared": patent.declared,
        "listed": patent.listed,
        "listing_ids": patent.listing_ids,
        "inventoried": patent.inventoried,
        "revision": patent.revision,
    }


def need_values(need: TechnicalNeed) -> dict[str, object]:
    return asdict(need)
