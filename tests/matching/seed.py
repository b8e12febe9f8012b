"""Rows the inbox, feedback and campaign tests start from, written with SQL: patents as
the catalogue keeps them, enterprise profiles, the matches the matcher keeps, pushes
already made. The path through the catalogue's consumers, the profiles API and the
matcher is covered by the end-to-end test; these tests check what is done with the rows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import asyncpg

from matching.config import MatchingSettings
from shared.db.engine import asyncpg_dsn
from tests.support.stack import Org, application_number

INSTITUTION_USCC = "12100000400000624D"


@dataclass(eq=False)
class SeedPatent:
    industry_codes: list[str]
    tier: str | None = "A"
    valid: bool = True
    willingness: str | None = "willing"
    revision: int = 1
    title: str = "一种锂离子电池热管理系统"
    application_number: str = field(default_factory=application_number)


@dataclass
class SeedProfile:
    enterprise: Org
    industry_codes: list[str]
    region_code: str = "440305"
    push_consent: bool = True
    opted_in: list[str] = field(default_factory=list)
    opted_out: list[str] = field(default_factory=list)


@dataclass
class SeedMatch:
    patent: SeedPatent
    enterprise: Org
    score: float


async def connect(settings: MatchingSettings) -> asyncpg.Connection:
    return await asyncpg.connect(asyncpg_dsn(settings.database_url))


async def seed(
    settings: MatchingSettings,
    *,
    patents: Sequence[SeedPatent] = (),
    profiles: Sequence[SeedProfile] = (),
    matches: Sequence[SeedMatch] = (),
    pushes: Sequence[tuple[Org, SeedPatent, datetime]] = (),
) -> None:
    """Write the rows in one transaction, so the pusher sees all of them or none."""
    conn = await connect(settings)
    try:
        async with conn.transaction():
            for p in patents:
                await conn.execute(
                    "INSERT INTO patents (application_number, title, abstract, ipc_codes,"
                    " industry_codes, region_code, institution_uscc, institution_name,"
                    " patentees, valid, tier, willingness, intended_modes, declared, listed,"
                    " inventoried, revision, updated_at) VALUES ($1, $2, '摘要', '{H01M}', $3,"
                    " '110108', $4, '清华大学', $5, $6, $7, $8, '{license}', true, false, true,"
                    " $9, now())",
                    p.application_number,
                    p.title,
                    p.industry_codes,
                    INSTITUTION_USCC,
                    json.dumps(_patentees()),
                    p.valid,
                    p.tier,
                    p.willingness,
                    p.revision,
                )
            for e in profiles:
                await conn.execute(
                    "INSERT INTO enterprise_profiles (uscc, org_id, name, region_code,"
                    " industry_codes, size, products, technical_needs, push_consent,"
                    " industries_opted_in, industries_opted_out, source, revision, created_at,"
                    " updated_at) VALUES ($1, $2, $3, $4, $5, 'small', '电池', '', $6, $7, $8,"
                    " 'self', 1, now(), now())",
                    e.enterprise.uscc,
                    e.enterprise.org_id,
                    e.enterprise.name,
                    e.region_code,
                    e.industry_codes,
                    e.push_consent,
                    e.opted_in,
                    e.opted_out,
                )
            for m in matches:
                await conn.execute(
                    "INSERT INTO matches (application_number, enterprise_uscc, score, factors,"
                    " matched_terms, industry_links, weights_version, patent_revision,"
                    " computed_at) VALUES ($1, $2, $3, $4, '{锂离子电池,热管理}', $5,"
                    " '2026-12-v1', $6, now())",
                    m.patent.application_number,
                    m.enterprise.uscc,
                    m.score,
                    json.dumps({"industry": m.score / 2, "text": m.score / 2}),
                    json.dumps(_links(m.patent)),
                    m.patent.revision,
                )
            for enterprise, patent, at in pushes:
                await conn.execute(
                    "INSERT INTO pushes (push_id, enterprise_uscc, application_number,"
                    " patent_revision, score, explanation, weights_version, pushed_at)"
                    " VALUES (gen_random_uuid()::text, $1, $2, $3, 0.1, '{}', 'old', $4)",
                    enterprise.uscc,
                    patent.application_number,
                    patent.revision,
                    at,
                )
    finally:
        await conn.close()


def _patentees() -> list[dict[str, Any]]:
    return [
        {
            "name": "清华大学",
            "uscc": INSTITUTION_USCC,
            "org_id": "university-tsinghua",
            "party_type": "university",
        }
    ]


def _links(patent: SeedPatent) -> list[dict[str, Any]]:
    return [
        {
            "industry_code": code,
            "seeker_code": code[:4],
            "level": "group",
            "ipc_code": "H01M 10/613",
            "ipc_key": "H01M 10",
            "source": "official",
        }
        for code in patent.industry_codes
    ]


async def pushes_of(settings: MatchingSettings, enterprise: Org) -> list[asyncpg.Record]:
    conn = await connect(settings)
    try:
        return await conn.fetch(
            "SELECT * FROM pushes WHERE enterprise_uscc = $1 ORDER BY pushed_at, push_id",
            enterprise.uscc,
        )
    finally:
        await conn.close()
