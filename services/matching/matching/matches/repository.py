"""The matches area's SQL: the seekers and patents the engine reads, the tokens the
matcher writes once, the ``matches`` rows it replaces, and the re-match jobs.

The engine works on rows, not aggregates: a seeker or a patent here is the handful of
columns matching reads (``mapping.py`` turns them into the engine's inputs), loaded in
bulk. Writes of ``matches`` by the re-match use COPY into a temporary table.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from matching.matches.mapping import MATCH_COLUMNS
from matching.matches.models import RematchJobRecord

_PROFILES = (
    "SELECT uscc, tokens, industry_codes, region_code, push_consent, change_seq"
    " FROM enterprise_profiles"
)
_PROFILES_SINCE = _PROFILES + " WHERE change_seq > :since"
_PROFILE = (
    "SELECT uscc, tokens, industry_codes, region_code, push_consent, change_seq, products,"
    " technical_needs FROM enterprise_profiles WHERE uscc = :uscc"
)
_NEEDS = (
    "SELECT need_id, requester_uscc, tokens, industry_codes, region_code, open, deadline,"
    " change_seq FROM needs"
)
_NEEDS_SINCE = _NEEDS + " WHERE change_seq > :since"
_NEED = (
    "SELECT need_id, requester_uscc, tokens, industry_codes, region_code, open, deadline,"
    " change_seq, title, description, technical_field FROM needs WHERE need_id = :id"
)
# What a patent must be to be proposed (domain/patent.py MatchablePatent.matchable).
_PATENTS = (
    "SELECT application_number, tokens, ipc_codes, industry_codes, region_code, tier,"
    " willingness, intended_modes, declared, listed, revision FROM patents"
    " WHERE valid AND tokens IS NOT NULL AND coalesce(willingness, '') <> 'not_willing'"
    " AND coalesce(tier, '') <> 'D'"
)
_CANDIDATES = _PATENTS + " AND industry_divisions && :divisions"
_ORDER = " ORDER BY industry_codes, application_number LIMIT :limit"
_FIRST_PATENTS = _PATENTS + _ORDER
_NEXT_PATENTS = (
    _PATENTS
    + " AND (industry_codes, application_number) > (CAST(:codes AS varchar[]), :after)"
    + _ORDER
)
_COUNT_MATCHABLE = (
    "SELECT count(*) FROM patents WHERE valid AND tokens IS NOT NULL"
    " AND coalesce(willingness, '') <> 'not_willing' AND coalesce(tier, '') <> 'D'"
)
_UPSERT_MATCH = (
    "INSERT INTO matches (application_number, enterprise_uscc, score, factors, matched_terms,"
    " industry_links, weights_version, patent_revision, via_need_id, computed_at)"
    " VALUES (:application_number, :enterprise_uscc, :score, CAST(:factors AS jsonb),"
    " :matched_terms, CAST(:industry_links AS jsonb), :weights_version, :patent_revision,"
    " :via_need_id, :computed_at)"
    " ON CONFLICT (application_number, enterprise_uscc) DO UPDATE SET"
    " score = excluded.score, factors = excluded.factors,"
    " matched_terms = excluded.matched_terms, industry_links = excluded.industry_links,"
    " weights_version = excluded.weights_version, patent_revision = excluded.patent_revision,"
    " via_need_id = excluded.via_need_id, computed_at = excluded.computed_at"
)


class SeekerSource:
    """Seekers and patents as the engine reads them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def profiles_changed(self, since: int | None) -> list[Any]:
        query = _PROFILES if since is None else _PROFILES_SINCE
        rows = await self.session.execute(text(query), {"since": since})
        return list(rows.mappings())

    async def needs_changed(self, since: int | None) -> list[Any]:
        query = _NEEDS if since is None else _NEEDS_SINCE
        rows = await self.session.execute(text(query), {"since": since})
        return list(rows.mappings())

    async def profile(self, uscc: str) -> Any | None:
        row = await self.session.execute(text(_PROFILE), {"uscc": uscc})
        return row.mappings().first()

    async def need(self, need_id: str) -> Any | None:
        row = await self.session.execute(text(_NEED), {"id": need_id})
        return row.mappings().first()

    async def set_profile_tokens(self, uscc: str, tokens: Sequence[str], now: datetime) -> None:
        """The segmented text; the row's change number moves (a trigger), so every
        instance's index takes the profile again, with its affinities, at its next
        refresh."""
        await self.session.execute(
            text("UPDATE enterprise_profiles SET tokens = :t, updated_at = :now WHERE uscc = :u"),
            {"t": list(tokens), "now": now, "u": uscc},
        )

    async def set_need_tokens(self, need_id: str, tokens: Sequence[str], now: datetime) -> None:
        await self.session.execute(
            text("UPDATE needs SET tokens = :t, updated_at = :now WHERE need_id = :id"),
            {"t": list(tokens), "now": now, "id": need_id},
        )

    async def set_patent_tokens(self, application_number: str, tokens: Sequence[str]) -> None:
        await self.session.execute(
            text("UPDATE patents SET tokens = :t WHERE application_number = :n"),
            {"t": list(tokens), "n": application_number},
        )

    async def candidate_patents(self, divisions: Sequence[str]) -> list[Any]:
        """Matchable patents with a code in one of the divisions (GIN on divisions)."""
        rows = await self.session.execute(text(_CANDIDATES), {"divisions": list(divisions)})
        return list(rows.mappings())

    async def matchable_patents(self, after: tuple[list[str], str] | None, limit: int) -> list[Any]:
        """The next ``limit`` matchable patents in (industry codes, application number)
        order, after the given position."""
        if after is None:
            rows = await self.session.execute(text(_FIRST_PATENTS), {"limit": limit})
        else:
            codes, number = after
            rows = await self.session.execute(
                text(_NEXT_PATENTS), {"codes": codes, "after": number, "limit": limit}
            )
        return list(rows.mappings())

    async def count_matchable(self) -> int:
        found = await self.session.execute(text(_COUNT_MATCHABLE))
        return int(found.scalar_one())


class MatchRepository:
    """``matches``: each patent's best enterprises and each enterprise's best patents;
    the last computation of a pair is the one kept."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def replace_for_patent(
        self, application_number: str, rows: list[tuple[Any, ...]]
    ) -> None:
        await self.session.execute(
            text("DELETE FROM matches WHERE application_number = :n"), {"n": application_number}
        )
        await self._insert(rows)

    async def replace_for_enterprise(self, uscc: str, rows: list[tuple[Any, ...]]) -> None:
        await self.session.execute(
            text("DELETE FROM matches WHERE enterprise_uscc = :u AND via_need_id IS NULL"),
            {"u": uscc},
        )
        await self._insert(rows)

    async def replace_for_need(self, need_id: str, rows: list[tuple[Any, ...]]) -> None:
        await self.session.execute(
            text("DELETE FROM matches WHERE via_need_id = :id"), {"id": need_id}
        )
        await self._insert(rows)

    async def _insert(self, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            await self.session.execute(
                text(_UPSERT_MATCH), [dict(zip(MATCH_COLUMNS, r, strict=True)) for r in rows]
            )

    async def write_batch(self, numbers: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """The re-match's batch: the patents' rows replaced with COPY."""
        connection = await self.session.connection()
        raw = await connection.get_raw_connection()
        conn: Any = raw.driver_connection
        await conn.execute("DELETE FROM matches WHERE application_number = ANY($1)", list(numbers))
        await conn.copy_records_to_table("matches", records=rows, columns=MATCH_COLUMNS)

    async def of_patent(self, application_number: str) -> list[Any]:
        rows = await self.session.execute(
            text(
                "SELECT m.*, e.name AS enterprise_name FROM matches m"
                " LEFT JOIN enterprise_profiles e ON e.uscc = m.enterprise_uscc"
                " WHERE m.application_number = :n ORDER BY m.score DESC, m.enterprise_uscc"
            ),
            {"n": application_number},
        )
        return list(rows.mappings())


class RematchJobs:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, job: RematchJobRecord) -> None:
        self.session.add(job)
        await self.session.flush()

    async def get(self, job_id: str) -> RematchJobRecord | None:
        return await self.session.get(RematchJobRecord, job_id)

    async def running_for_update(self) -> RematchJobRecord | None:
        """The oldest unfinished job, locked; None when none, or another instance holds it."""
        found = await self.session.execute(
            text(
                "SELECT job_id FROM rematch_jobs WHERE state IN ('queued', 'running')"
                " ORDER BY requested_at LIMIT 1 FOR UPDATE SKIP LOCKED"
            )
        )
        job_id = found.scalar_one_or_none()
        return None if job_id is None else await self.get(job_id)

    async def unfinished(self) -> RematchJobRecord | None:
        found = await self.session.execute(
            text(
                "SELECT job_id FROM rematch_jobs WHERE state IN ('queued', 'running')"
                " ORDER BY requested_at LIMIT 1"
            )
        )
        job_id = found.scalar_one_or_none()
        return None if job_id is None else await self.get(job_id)
