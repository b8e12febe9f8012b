"""Profiles loaded and saved: through the unit of work's session for the API's use cases,
and through the upload batch's asyncpg connection for the operator's import (the runner
of ``shared.uploads`` hands its handler a plain connection inside the batch's
transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from matching.domain.patent import MatchSubject
from matching.domain.profile import EnterpriseProfile, ProfileSource
from matching.profiles.mapping import PROFILE_COLUMNS, profile_record, profile_values, to_profile

_COLUMNS = ", ".join(PROFILE_COLUMNS)
_SELECT = f"SELECT {_COLUMNS} FROM enterprise_profiles"  # noqa: S608 - the table's own columns
# A save replaces every column the profile holds and clears the matcher's tokens: the
# matcher segments the text again.
_UPSERT = (
    f"INSERT INTO enterprise_profiles ({_COLUMNS}) VALUES "  # noqa: S608 - the table's own columns
    f"({', '.join(f'${i + 1}' for i in range(len(PROFILE_COLUMNS)))}) "
    "ON CONFLICT (uscc) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in PROFILE_COLUMNS if c not in ("uscc", "created_at"))
    + ", tokens = NULL"
)
# An import replaces only imported profiles: one the enterprise created since the batch
# looked (its row was not there to lock) stays as the enterprise saved it.
_IMPORT_UPSERT = _UPSERT + " WHERE enterprise_profiles.source = 'imported'"
_ASK = (
    "INSERT INTO match_requests (kind, key, requested_at) "
    "SELECT $1, unnest($2::text[]), $3 "
    "ON CONFLICT (kind, key) DO UPDATE SET requested_at = excluded.requested_at"
)


@dataclass(frozen=True)
class ProfileFilter:
    """Which profiles a list shows; codes and regions by prefix."""

    industry: str | None = None
    region: str | None = None
    push_consent: bool | None = None
    source: ProfileSource | None = None


def _named(sql: str) -> str:
    """The statement with ``:name`` parameters, for the session."""
    for i, column in reversed(list(enumerate(PROFILE_COLUMNS))):
        sql = sql.replace(f"${i + 1}", f":{column}")
    return sql


class ProfileRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, uscc: str) -> EnterpriseProfile | None:
        statement = text(f"{_SELECT} WHERE uscc = :uscc")
        found = (await self.session.execute(statement, {"uscc": uscc})).mappings().one_or_none()
        return None if found is None else to_profile(found)

    async def get_for_update(self, uscc: str) -> EnterpriseProfile | None:
        statement = text(f"{_SELECT} WHERE uscc = :uscc FOR UPDATE")
        found = (await self.session.execute(statement, {"uscc": uscc})).mappings().one_or_none()
        return None if found is None else to_profile(found)

    async def save(self, profile: EnterpriseProfile) -> None:
        await self.session.execute(text(_named(_UPSERT)), profile_values(profile))

    async def page(
        self, where: ProfileFilter, limit: int, after_uscc: str | None
    ) -> list[EnterpriseProfile]:
        """In USCC order, after ``after_uscc``."""
        clauses, params = _where(where)
        if after_uscc is not None:
            clauses.append("uscc > :after")
            params["after"] = after_uscc
        sql = _SELECT + (" WHERE " + " AND ".join(clauses) if clauses else "")
        params["limit"] = limit
        rows = await self.session.execute(text(f"{sql} ORDER BY uscc LIMIT :limit"), params)
        return [to_profile(r) for r in rows.mappings()]


def _where(where: ProfileFilter) -> tuple[list[str], dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if where.industry is not None:
        clauses.append(
            "EXISTS (SELECT 1 FROM unnest(industry_codes) AS code WHERE code LIKE :industry)"
        )
        params["industry"] = where.industry + "%"
    if where.region is not None:
        clauses.append("region_code LIKE :region")
        params["region"] = where.region + "%"
    if where.push_consent is not None:
        clauses.append("push_consent = :consent")
        params["consent"] = where.push_consent
    if where.source is not None:
        clauses.append("source = :source")
        params["source"] = where.source.value
    return clauses, params


class ImportedProfiles:
    """The import's reads and writes, in the upload batch's transaction."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def lock(self, usccs: Sequence[str]) -> dict[str, EnterpriseProfile]:
        """The profiles among ``usccs`` that exist, their rows locked (in key order, so
        two uploads, or an upload and an enterprise's own save, never wait in a circle)."""
        if not usccs:
            return {}
        rows = await self.conn.fetch(
            f"{_SELECT} WHERE uscc = ANY($1::text[]) ORDER BY uscc FOR UPDATE",
            sorted(set(usccs)),
        )
        return {r["uscc"]: to_profile(r) for r in rows}

    async def save(self, profiles: Sequence[EnterpriseProfile], now: datetime) -> set[str]:
        """Write the profiles and queue each for the matcher, except those the enterprise
        keeps itself: their USCCs are returned, and nothing of them is written."""
        if not profiles:
            return set()
        await self.conn.executemany(_IMPORT_UPSERT, [profile_record(p) for p in profiles])
        kept = {
            r["uscc"]
            for r in await self.conn.fetch(
                "SELECT uscc FROM enterprise_profiles WHERE uscc = ANY($1::text[])"
                " AND source = 'self'",
                [p.uscc for p in profiles],
            )
        }
        saved = [p.uscc for p in profiles if p.uscc not in kept]
        await self.conn.execute(_ASK, MatchSubject.ENTERPRISE.value, saved, now)
        return kept
