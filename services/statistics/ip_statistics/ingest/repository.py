"""Ingestion's writes: each a single multi-row upsert over arrays (``unnest``), so a batch
costs one round trip per table whatever its size, and the statement's text never
changes (prepared once per connection)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from ip_statistics.domain.facts import AttributeChange, Fact
from ip_statistics.domain.measures import Conflict

_FACT_COLUMNS = (
    "measure, fact_key, event_id, effective_on, recorded_at, application_number, detail, "
    "party_org_id, amount, tech_amount"
)
_FACT_ROWS = (
    "SELECT * FROM unnest(CAST(:measure AS text[]), CAST(:fact_key AS text[]), "
    "CAST(:event_id AS text[]), CAST(:effective_on AS date[]), "
    "CAST(:recorded_at AS timestamptz[]), CAST(:application_number AS text[]), "
    "CAST(:detail AS text[]), CAST(:party_org_id AS text[]), CAST(:amount AS numeric[]), "
    "CAST(:tech_amount AS numeric[]))"
)
_REPLACE = (
    "event_id = EXCLUDED.event_id, effective_on = EXCLUDED.effective_on, "
    "recorded_at = EXCLUDED.recorded_at, application_number = EXCLUDED.application_number, "
    "detail = EXCLUDED.detail, party_org_id = EXCLUDED.party_org_id, "
    "amount = EXCLUDED.amount, tech_amount = EXCLUDED.tech_amount"
)
_ON_CONFLICT = {
    Conflict.FIRST: f"DO UPDATE SET {_REPLACE} WHERE EXCLUDED.effective_on < facts.effective_on",
    Conflict.LATEST: f"DO UPDATE SET {_REPLACE} WHERE EXCLUDED.recorded_at >= facts.recorded_at",
    Conflict.AMEND: (
        "DO UPDATE SET amount = EXCLUDED.amount, party_org_id = EXCLUDED.party_org_id, "
        "recorded_at = EXCLUDED.recorded_at WHERE EXCLUDED.recorded_at >= facts.recorded_at"
    ),
}
FACT_UPSERTS = {
    conflict: text(
        f"INSERT INTO facts ({_FACT_COLUMNS}) {_FACT_ROWS} ON CONFLICT (measure, fact_key) {action}"
    )
    for conflict, action in _ON_CONFLICT.items()
}

# Owners travel as one string per patent (an array of arrays must be rectangular).
_OWNER_SEPARATOR = "\x1f"


def _newer(group: str) -> str:
    return (
        f"EXCLUDED.{group}_as_of IS NOT NULL AND (patent_attributes.{group}_as_of IS NULL "
        f"OR EXCLUDED.{group}_as_of >= patent_attributes.{group}_as_of)"
    )


def _take(group: str, *columns: str) -> str:
    return ", ".join(
        f"{c} = CASE WHEN {_newer(group)} THEN EXCLUDED.{c} ELSE patent_attributes.{c} END"
        for c in (*columns, f"{group}_as_of")
    )


ATTRIBUTES_UPSERT = text(
    "INSERT INTO patent_attributes (application_number, region_code, province_code, "  # noqa: S608
    "city_code, place_as_of, industry_section, industry_division, industry_as_of, "
    "party_type, owner_org_ids, owners_as_of, tier, tier_as_of, inventoried_on) "
    "SELECT n, r, p, c, pa, s, d, ia, pt, "
    "CASE WHEN o = '' THEN '{}'::varchar[] ELSE string_to_array(o, E'\\x1f')::varchar[] END, "
    "oa, t, ta, inv FROM unnest(CAST(:number AS text[]), CAST(:region AS text[]), "
    "CAST(:province AS text[]), CAST(:city AS text[]), CAST(:place_as_of AS timestamptz[]), "
    "CAST(:section AS text[]), CAST(:division AS text[]), "
    "CAST(:industry_as_of AS timestamptz[]), CAST(:party_type AS text[]), "
    "CAST(:owners AS text[]), CAST(:owners_as_of AS timestamptz[]), CAST(:tier AS text[]), "
    "CAST(:tier_as_of AS timestamptz[]), CAST(:inventoried_on AS date[])) "
    "AS u(n, r, p, c, pa, s, d, ia, pt, o, oa, t, ta, inv) "
    "ON CONFLICT (application_number) DO UPDATE SET "
    + ", ".join(
        (
            _take("place", "region_code", "province_code", "city_code"),
            _take("industry", "industry_section", "industry_division"),
            _take("owners", "party_type", "owner_org_ids"),
            _take("tier", "tier"),
            "inventoried_on = LEAST(patent_attributes.inventoried_on, EXCLUDED.inventoried_on)",
        )
    )
)


class IngestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save_facts(self, conflict: Conflict, facts: list[Fact]) -> None:
        """At most one fact per act (``domain.facts.by_conflict``)."""
        await self._session.execute(
            FACT_UPSERTS[conflict],
            {
                "measure": [f.measure for f in facts],
                "fact_key": [f.fact_key for f in facts],
                "event_id": [f.event_id for f in facts],
                "effective_on": [f.effective_on for f in facts],
                "recorded_at": [f.recorded_at for f in facts],
                "application_number": [f.application_number for f in facts],
                "detail": [f.detail for f in facts],
                "party_org_id": [f.party_org_id for f in facts],
                "amount": [f.amount for f in facts],
                "tech_amount": [f.tech_amount for f in facts],
            },
        )

    async def save_attributes(self, changes: list[AttributeChange]) -> None:
        """At most one change per patent (``domain.attributes.merged``)."""
        await self._session.execute(
            ATTRIBUTES_UPSERT,
            {
                "number": [c.application_number for c in changes],
                "region": [c.region_code for c in changes],
                "province": [c.province_code for c in changes],
                "city": [c.city_code for c in changes],
                "place_as_of": [c.place_as_of for c in changes],
                "section": [c.industry_section for c in changes],
                "division": [c.industry_division for c in changes],
                "industry_as_of": [c.industry_as_of for c in changes],
                "party_type": [c.party_type for c in changes],
                "owners": [_OWNER_SEPARATOR.join(c.owner_org_ids) for c in changes],
                "owners_as_of": [c.owners_as_of for c in changes],
                "tier": [c.tier for c in changes],
                "tier_as_of": [c.tier_as_of for c in changes],
                "inventoried_on": [c.inventoried_on for c in changes],
            },
        )
