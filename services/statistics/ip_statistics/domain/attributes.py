"""What listing's patent events say of a patent's place, industry, owners, tier and
inventory, and how several such statements about one patent combine: per group of
attributes, the statement that held last wins, whatever order they arrive in."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from ip_statistics.domain.facts import AttributeChange, Data, day_of
from ip_statistics.domain.provinces import place

_EVENT = "cn.ipmarket.listing."
_INDUSTRY = re.compile(r"^([A-T])(\d{2})\d{0,2}$")


def _industry(codes: Any) -> tuple[str | None, str | None]:
    """Section and division of the first industry code (GB/T 4754: ``C3841`` -> C, C38)."""
    if not codes or not isinstance(codes, list) or not isinstance(codes[0], str):
        return None, None
    match = _INDUSTRY.match(codes[0].strip())
    if match is None:
        return None, None
    return match[1], match[1] + match[2]


def _owners(patentees: Any) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """The first patentee's party type, and every patentee's org id and USCC it has."""
    if not patentees:
        return None, (), ()
    ids = tuple(p["org_id"] for p in patentees if p.get("org_id"))
    usccs = tuple(uscc_key(p["uscc"]) for p in patentees if p.get("uscc"))
    return patentees[0].get("party_type"), ids, usccs


def uscc_key(uscc: str) -> str:
    """A USCC as kept and compared: the code has no lower-case letters and no spaces."""
    return uscc.strip().upper()


def _whole(number: str, as_of: datetime, d: Data) -> AttributeChange:
    region, province, city = place(d.get("region_code"))
    section, division = _industry(d.get("industry_codes"))
    party_type, owners, usccs = _owners(d.get("patentees"))
    return AttributeChange(
        number,
        place_as_of=as_of,
        region_code=region,
        province_code=province,
        city_code=city,
        industry_as_of=as_of,
        industry_section=section,
        industry_division=division,
        owners_as_of=as_of,
        party_type=party_type,
        owner_org_ids=owners,
        owner_usccs=usccs,
    )


def _registered(at: datetime, d: Data) -> AttributeChange:
    return _whole(d["application_number"], at, d)


def _restated(at: datetime, d: Data) -> AttributeChange:
    # A restatement says what held when listing read it, not when it was published.
    return _whole(d["application_number"], datetime.fromisoformat(d["as_of"]), d)


def _owner_changed(at: datetime, d: Data) -> AttributeChange:
    party_type, owners, usccs = _owners(d.get("patentees"))
    return AttributeChange(
        d["application_number"],
        owners_as_of=at,
        party_type=party_type,
        owner_org_ids=owners,
        owner_usccs=usccs,
    )


def _industries_changed(at: datetime, d: Data) -> AttributeChange:
    section, division = _industry(d.get("industry_codes"))
    return AttributeChange(
        d["application_number"],
        industry_as_of=at,
        industry_section=section,
        industry_division=division,
    )


def _tier_changed(at: datetime, d: Data) -> AttributeChange:
    return AttributeChange(d["application_number"], tier_as_of=at, tier=d.get("tier"))


def _inventory_recorded(at: datetime, d: Data) -> AttributeChange:
    return AttributeChange(d["application_number"], inventoried_on=day_of(at))


ATTRIBUTE_RULES: dict[str, Callable[[datetime, Data], AttributeChange]] = {
    _EVENT + "patent.registered.v1": _registered,
    "cn.ipmarket.listing.patent.restated.v1": _restated,
    _EVENT + "patent.owner_changed.v1": _owner_changed,
    _EVENT + "patent.industries_changed.v1": _industries_changed,
    _EVENT + "inventory.tier_changed.v1": _tier_changed,
    _EVENT + "inventory.recorded.v1": _inventory_recorded,
}


def attributes_of(event_type: str, at: datetime, data: Data) -> AttributeChange | None:
    """What the event says of its patent's attributes, or None when it says nothing."""
    rule = ATTRIBUTE_RULES.get(event_type)
    return None if rule is None else rule(at, data)


def _newer(mine: datetime | None, theirs: datetime | None) -> bool:
    return theirs is not None and (mine is None or theirs >= mine)


def _earliest(a: date | None, b: date | None) -> date | None:
    return b if a is None else a if b is None else min(a, b)


def merge(a: AttributeChange, b: AttributeChange) -> AttributeChange:
    """Both statements about one patent as one (``b`` arrived after ``a``)."""
    out = a
    if _newer(a.place_as_of, b.place_as_of):
        out = replace(
            out,
            place_as_of=b.place_as_of,
            region_code=b.region_code,
            province_code=b.province_code,
            city_code=b.city_code,
        )
    if _newer(a.industry_as_of, b.industry_as_of):
        out = replace(
            out,
            industry_as_of=b.industry_as_of,
            industry_section=b.industry_section,
            industry_division=b.industry_division,
        )
    if _newer(a.owners_as_of, b.owners_as_of):
        out = replace(
            out,
            owners_as_of=b.owners_as_of,
            party_type=b.party_type,
            owner_org_ids=b.owner_org_ids,
            owner_usccs=b.owner_usccs,
        )
    if _newer(a.tier_as_of, b.tier_as_of):
        out = replace(out, tier_as_of=b.tier_as_of, tier=b.tier)
    inventoried = _earliest(a.inventoried_on, b.inventoried_on)
    if inventoried != out.inventoried_on:
        out = replace(out, inventoried_on=inventoried)
    return out


def merged(changes: Iterable[AttributeChange]) -> list[AttributeChange]:
    """One change per patent, in the order the patents first appear."""
    by_patent: dict[str, AttributeChange] = {}
    for change in changes:
        known = by_patent.get(change.application_number)
        by_patent[change.application_number] = change if known is None else merge(known, change)
    return list(by_patent.values())
