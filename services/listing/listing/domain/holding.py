"""Which institutions hold a patent, as the inventory's coverage (盘点覆盖率) counts them.

Coverage is about the stock patents of universities and research institutes: every such
patentee of a catalogued patent holds it, co-owners each once. Regions come from the
patent's GB/T 2260 region code: the province is ``xx0000``, the city ``xxxx00``
(``region_levels``)."""

from __future__ import annotations

from dataclasses import dataclass

from listing.domain.patent import LegalStatus, PartyType, Patent
from shared.domain import InvalidIdentifier, RegionCode

INSTITUTION_TYPES = frozenset({PartyType.UNIVERSITY, PartyType.RESEARCH_INSTITUTE})


@dataclass(frozen=True)
class InstitutionHolding:
    """One institution's holding of one patent.

    ``counted`` is set on exactly one holding of each patent (its first institutional
    patentee): national and regional figures count a co-owned patent by it, once, with
    no DISTINCT over the holdings."""

    uscc: str
    application_number: str
    name: str
    party_type: PartyType
    province: str | None
    city: str | None
    valid: bool
    counted: bool


def region_levels(region_code: str | None) -> tuple[str | None, str | None]:
    """The province and city (prefecture level) of a GB/T 2260 code; None where unknown.

    ``440305`` (Nanshan) -> (``440000``, ``440300``); ``440000`` -> (``440000``, None).
    Municipalities are provinces: ``110108`` (Haidian) -> (``110000``, ``110100``), their
    districts grouped under the municipality's ``xx01`` city; Chongqing's counties fall
    under ``500200``, and county-level units governed by a province directly (``429004``
    Xiantao) under the province's ``xx90`` group, exactly as the codes put them."""
    if region_code is None:
        return None, None
    try:
        code = RegionCode.parse(region_code)
    except InvalidIdentifier:
        return None, None
    return code.province_code, code.prefecture_code


def holdings_of(patent: Patent) -> list[InstitutionHolding]:
    """The holdings of a patent: one per university or research institute among its
    patentees (by USCC: a patentee without one cannot be counted for an institution)."""
    province, city = region_levels(patent.region_code)
    valid = patent.legal_status is LegalStatus.VALID
    holdings: list[InstitutionHolding] = []
    seen: set[str] = set()
    for patentee in patent.patentees:
        if patentee.party_type not in INSTITUTION_TYPES or not patentee.uscc:
            continue
        if patentee.uscc in seen:
            continue
        seen.add(patentee.uscc)
        holdings.append(
            InstitutionHolding(
                uscc=patentee.uscc,
                application_number=patent.application_number.value,
                name=patentee.name,
                party_type=patentee.party_type,
                province=province,
                city=city,
                valid=valid,
                counted=not holdings,
            )
        )
    return holdings
