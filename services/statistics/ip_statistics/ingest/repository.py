"""Ingestion's writes: each a single multi-row upsert over arrays (``unnest``), so a batch
costs one round trip per table whatever its size, and the statement's text never
changes (prepared once per connection). They go straight to the session's asyncpg
connection, in its transaction: a backlog of millions of events passes through here, and
the arrays need no translation on the way (docs/statistics.md, "Ingestion")."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ip_statistics.domain.facts import AttributeChange, Fact
from ip_statistics.domain.measures import Conflict

_FACT_COLUMNS = (
    "measure, fact_key, event_id, effective_on, recorded_at, application_number, detail, "
    "party_org_id, amount, tech_amount"
)
_FACT_ROWS = (
    "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], "
    "$5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::numeric[], $10::numeric[])"
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
    conflict: (
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


def _owners(column: str) -> str:
    return (
        f"CASE WHEN {column} = '' THEN '{{}}'::varchar[] "
        f"ELSE string_to_array({column}, E'\\x1f')::varchar[] END"
    )


ATTRIBUTES_UPSERT = (
    "INSERT INTO patent_attributes (application_number, region_code, province_code, "  # noqa: S608
    "city_code, place_as_of, industry_section, industry_division, industry_as_of, "
    "party_type, owner_org_ids, owner_usccs, owners_as_of, tier, tier_as_of, inventoried_on) "
    f"SELECT n, r, p, c, pa, s, d, ia, pt, {_owners('o')}, {_owners('ou')}, "
    "oa, t, ta, inv FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], "
    "$5::timestamptz[], $6::text[], $7::text[], $8::timestamptz[], $9::text[], $10::text[], "
    "$11::text[], $12::timestamptz[], $13::text[], $14::timestamptz[], $15::date[]) "
    "AS u(n, r, p, c, pa, s, d, ia, pt, o, ou, oa, t, ta, inv) "
    "ON CONFLICT (application_number) DO UPDATE SET "
    + ", ".join(
        (
            _take("place", "region_code", "province_code", "city_code"),
            _take("industry", "industry_section", "industry_division"),
            _take("owners", "party_type", "owner_org_ids", "owner_usccs"),
            _take("tier", "tier"),
            "inventoried_on = LEAST(patent_attributes.inventoried_on, EXCLUDED.inventoried_on)",
        )
    )
)


def attribute_columns(changes: list[AttributeChange]) -> list[list[Any]]:
    """The parameters of ``ATTRIBUTES_UPSERT``: one array per column."""
    return [
        [c.application_number for c in changes],
        [c.region_code for c in changes],
        [c.province_code for c in changes],
        [c.city_code for c in changes],
        [c.place_as_of for c in changes],
        [c.industry_section for c in changes],
        [c.industry_division for c in changes],
        [c.industry_as_of for c in changes],
        [c.party_type for c in changes],
        [_OWNER_SEPARATOR.join(c.owner_org_ids) for c in changes],
        [_OWNER_SEPARATOR.join(c.owner_usccs) for c in changes],
        [c.owners_as_of for c in changes],
        [c.tier for c in changes],
        [c.tier_as_of for c in changes],
        [c.inventoried_on for c in changes],
    ]


class IngestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _connection(self) -> Any:
        """The asyncpg connection under the session, in the session's transaction."""
        connection = await self._session.connection()
        raw = await connection.get_raw_connection()
        return raw.driver_connection

    async def save_facts(self, conflict: Conflict, facts: list[Fact]) -> None:
        """At most one fact per act (``domain.facts.by_conflict``)."""
        conn = await self._connection()
        await conn.execute(
            FACT_UPSERTS[conflict],
            [f.measure for f in facts],
            [f.fact_key for f in facts],
            [f.event_id for f in facts],
            [f.effective_on for f in facts],
            [f.recorded_at for f in facts],
            [f.application_number for f in facts],
            [f.detail for f in facts],
            [f.party_org_id for f in facts],
            [f.amount for f in facts],
            [f.tech_amount for f in facts],
        )

    async def save_attributes(self, changes: list[AttributeChange]) -> None:
        """At most one change per patent (``domain.attributes.merged``)."""
        conn = await self._connection()
        await conn.execute(ATTRIBUTES_UPSERT, *attribute_columns(changes))
