"""The inbox as the enterprise reads it: each push with the patent's facts now and the
enterprise's feedback on it. A read path that joins three tables into one page and loads
no aggregate, so it reads rows with SQL rather than through the repositories."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from matching.domain.feedback import Feedback
from matching.domain.inbox import Push
from matching.feedback.mapping import to_feedback
from matching.pushes.commands import InboxPosition
from matching.pushes.mapping import to_push


@dataclass(frozen=True)
class PatentSummary:
    application_number: str
    title: str
    tier: str | None
    institution_name: str | None
    industry_codes: tuple[str, ...]
    declared: bool
    listed: bool


@dataclass(frozen=True)
class InboxEntry:
    push: Push
    patent: PatentSummary
    feedback: Feedback | None


_SELECT = """
    SELECT s.*, p.title, p.tier, p.institution_name, p.industry_codes, p.declared, p.listed,
        f.feedback_id AS f_feedback_id, f.enterprise_uscc AS f_enterprise_uscc,
        f.application_number AS f_application_number, f.push_id AS f_push_id,
        f.campaign_id AS f_campaign_id, f.will_implement AS f_will_implement,
        f.wants_cooperation AS f_wants_cooperation,
        f.market_evaluation AS f_market_evaluation, f.prospect_score AS f_prospect_score,
        f.improvement_needs AS f_improvement_needs, f.comment AS f_comment,
        f.recorded_at AS f_recorded_at
    FROM pushes s
    JOIN patents p ON p.application_number = s.application_number
    LEFT JOIN feedback f
        ON f.enterprise_uscc = s.enterprise_uscc AND f.application_number = s.application_number
    WHERE s.enterprise_uscc = :uscc
"""


def _entry(row: Mapping[Any, Any]) -> InboxEntry:
    patent = PatentSummary(
        application_number=str(row["application_number"]),
        title=str(row["title"]),
        tier=row["tier"],
        institution_name=row["institution_name"],
        industry_codes=tuple(row["industry_codes"]),
        declared=bool(row["declared"]),
        listed=bool(row["listed"]),
    )
    feedback = None if row["f_feedback_id"] is None else to_feedback(row, prefix="f_")
    return InboxEntry(push=to_push(row), patent=patent, feedback=feedback)


async def inbox_page(
    session: AsyncSession,
    enterprise_uscc: str,
    *,
    unopened: bool,
    limit: int,
    after: InboxPosition | None,
) -> list[InboxEntry]:
    """The enterprise's pushes, best score first, then newest."""
    sql = _SELECT
    params: dict[str, object] = {"uscc": enterprise_uscc, "limit": limit}
    if unopened:
        sql += " AND s.opened_at IS NULL"
    if after is not None:
        sql += " AND (s.score, s.pushed_at, s.push_id) < (:score, :pushed_at, :push_id)"
        params |= {"score": after.score, "pushed_at": after.pushed_at, "push_id": after.push_id}
    sql += " ORDER BY s.score DESC, s.pushed_at DESC, s.push_id DESC LIMIT :limit"
    rows = await session.execute(text(sql), params)
    return [_entry(r) for r in rows.mappings()]


async def inbox_entry(
    session: AsyncSession, enterprise_uscc: str, push_id: str
) -> InboxEntry | None:
    rows = await session.execute(
        text(_SELECT + " AND s.push_id = :push_id"), {"uscc": enterprise_uscc, "push_id": push_id}
    )
    row = rows.mappings().first()
    return None if row is None else _entry(row)
