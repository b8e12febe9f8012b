"""Pushes and the enterprises and matches they come from, loaded and saved as domain
objects. The SQL narrows to what the push rules (``domain/inbox.py``) would accept, so
that a bounded fetch holds enough; the rules then decide on what it returns."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.domain.inbox import Push, PushCandidate, Recipient
from matching.models import PushRecord
from matching.pushes.mapping import push_values, to_candidate, to_push, to_recipient

RECIPIENT_COLUMNS = (
    "e.uscc, e.org_id, e.name, e.push_consent, e.industry_codes, e.industries_opted_in, "
    "e.industries_opted_out"
)
# Patent p may go to enterprise e now: matchable (MatchablePatent.matchable), not yet
# received at this revision, not under an industry e opted out of, under one e opted
# into if it named any.
PENDING = """
    p.valid AND p.willingness IS DISTINCT FROM 'not_willing' AND p.tier IS DISTINCT FROM 'D'
    AND NOT EXISTS (
        SELECT 1 FROM pushes s WHERE s.enterprise_uscc = e.uscc
        AND s.application_number = p.application_number AND s.patent_revision >= p.revision)
    AND NOT EXISTS (
        SELECT 1 FROM unnest(p.industry_codes) c JOIN unnest(e.industries_opted_out) o
        ON starts_with(c, o))
    AND (cardinality(e.industries_opted_in) = 0 OR EXISTS (
        SELECT 1 FROM unnest(p.industry_codes) c JOIN unnest(e.industries_opted_in) o
        ON starts_with(c, o)))
"""
CANDIDATE_COLUMNS = """
    p.application_number, p.revision, p.valid, p.tier, p.willingness, p.industry_codes,
    p.institution_name, p.institution_uscc,
    (SELECT x->>'org_id' FROM jsonb_array_elements(p.patentees) x
     WHERE x->>'uscc' = p.institution_uscc LIMIT 1) AS institution_org_id,
    m.score, m.factors, m.matched_terms, m.industry_links, m.weights_version, m.via_need_id
"""
_TAKE_RECIPIENTS = text(
    f"SELECT {RECIPIENT_COLUMNS} FROM enterprise_profiles e"  # noqa: S608 - SQL fragments are constants
    " WHERE e.push_consent"
    " AND (SELECT count(*) FROM pushes s"
    "      WHERE s.enterprise_uscc = e.uscc AND s.pushed_at > :since) < :cap"
    " AND EXISTS (SELECT 1 FROM matches m JOIN patents p"
    "             ON p.application_number = m.application_number"
    f"            WHERE m.enterprise_uscc = e.uscc AND {PENDING})"
    " ORDER BY e.uscc LIMIT :limit FOR UPDATE OF e SKIP LOCKED"
)
_PENDING_MATCHES = text(
    f"SELECT {CANDIDATE_COLUMNS} FROM matches m"  # noqa: S608 - SQL fragments are constants
    " JOIN patents p ON p.application_number = m.application_number"
    " JOIN enterprise_profiles e ON e.uscc = m.enterprise_uscc"
    f" WHERE m.enterprise_uscc = :uscc AND {PENDING}"
    " ORDER BY m.score DESC, p.application_number LIMIT :limit"
)


class PushRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def take_recipients(self, limit: int, cap: int, since: datetime) -> list[Recipient]:
        """Up to ``limit`` consenting enterprises with a pending match and room under
        ``cap`` since ``since``, their profile rows locked for this transaction (rows
        another instance holds are skipped: it is pushing to them)."""
        rows = await self.session.execute(
            _TAKE_RECIPIENTS, {"limit": limit, "cap": cap, "since": since}
        )
        return [to_recipient(r) for r in rows.mappings()]

    async def pending_matches(self, enterprise_uscc: str, limit: int) -> list[PushCandidate]:
        """The enterprise's best matches it may be pushed now."""
        rows = await self.session.execute(
            _PENDING_MATCHES, {"uscc": enterprise_uscc, "limit": limit}
        )
        return [to_candidate(r) for r in rows.mappings()]

    async def pushed_revisions(
        self, enterprise_uscc: str, application_numbers: Sequence[str]
    ) -> dict[str, int]:
        """The highest revision of each of these patents the enterprise received."""
        query = (
            select(col(PushRecord.application_number), func.max(col(PushRecord.patent_revision)))
            .where(
                col(PushRecord.enterprise_uscc) == enterprise_uscc,
                col(PushRecord.application_number).in_(list(application_numbers)),
            )
            .group_by(col(PushRecord.application_number))
        )
        return {n: r for n, r in (await self.session.execute(query)).all()}

    async def pushed_since(self, enterprise_uscc: str, since: datetime) -> list[datetime]:
        query = select(col(PushRecord.pushed_at)).where(
            col(PushRecord.enterprise_uscc) == enterprise_uscc,
            col(PushRecord.pushed_at) > since,
        )
        return list((await self.session.execute(query)).scalars())

    async def add(self, push: Push) -> None:
        await self.session.execute(insert(PushRecord).values(**push_values(push)))

    async def get(self, push_id: str, enterprise_uscc: str) -> Push | None:
        """The push if it reached this enterprise."""
        return await self._one(
            select(PushRecord.__table__).where(  # type: ignore[attr-defined]
                col(PushRecord.push_id) == push_id,
                col(PushRecord.enterprise_uscc) == enterprise_uscc,
            )
        )

    async def get_for_update(self, push_id: str, enterprise_uscc: str) -> Push | None:
        return await self._one(
            select(PushRecord.__table__)  # type: ignore[attr-defined]
            .where(
                col(PushRecord.push_id) == push_id,
                col(PushRecord.enterprise_uscc) == enterprise_uscc,
            )
            .with_for_update()
        )

    async def latest_of_patent(self, enterprise_uscc: str, application_number: str) -> Push | None:
        """The latest push of the patent to the enterprise."""
        return await self._one(
            select(PushRecord.__table__)  # type: ignore[attr-defined]
            .where(
                col(PushRecord.enterprise_uscc) == enterprise_uscc,
                col(PushRecord.application_number) == application_number,
            )
            .order_by(col(PushRecord.pushed_at).desc())
            .limit(1)
        )

    async def save_opened(self, push: Push) -> None:
        await self.session.execute(
            update(PushRecord)
            .where(col(PushRecord.push_id) == push.push_id)
            .values(opened_at=push.opened_at)
        )

    async def _one(self, query: Any) -> Push | None:
        row = (await self.session.execute(query)).mappings().first()
        return None if row is None else to_push(row)
