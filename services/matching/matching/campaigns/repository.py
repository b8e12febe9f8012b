"""Campaigns, their clusters and the patents they push, loaded and saved as domain
objects. The cluster and concordance rules of ``domain/campaign.py`` are written here
once more in SQL, so that a cluster is counted and its enterprises taken in the
database; the push rules' SQL is the inbox's (``pushes.repository.PENDING``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.campaigns.mapping import campaign_values, to_campaign, to_reach
from matching.domain.campaign import Campaign, CampaignReach
from matching.domain.inbox import PushCandidate, Recipient
from matching.models import CampaignRecord
from matching.pushes.mapping import to_candidate, to_recipient
from matching.pushes.repository import CANDIDATE_COLUMNS, PENDING, RECIPIENT_COLUMNS

# Enterprise e is in the cluster of :industries and :regions (domain.campaign.in_cluster).
CLUSTER = """
    e.push_consent
    AND EXISTS (SELECT 1 FROM unnest(e.industry_codes) c
                JOIN unnest(CAST(:industries AS text[])) k ON starts_with(c, k))
    AND (cardinality(CAST(:regions AS text[])) = 0
         OR EXISTS (SELECT 1 FROM unnest(CAST(:regions AS text[])) r
                    WHERE starts_with(e.region_code, r)))
"""
# Patent p is one of the campaign's to push to enterprise e: of its tiers, with a code
# under one of the campaign's industries that is nested with one of e's codes.
CAMPAIGN_PATENT = """
    p.tier::text = ANY(CAST(:tiers AS text[]))
    AND EXISTS (SELECT 1 FROM unnest(p.industry_codes) c
                JOIN unnest(CAST(:industries AS text[])) k ON starts_with(c, k)
                JOIN unnest(e.industry_codes) o ON starts_with(c, o) OR starts_with(o, c))
"""
_WITH_ROOM = (
    "(SELECT count(*) FROM pushes s"
    " WHERE s.enterprise_uscc = e.uscc AND s.campaign_id = :campaign_id) < :per_enterprise"
)
_HAS_CANDIDATE = f"EXISTS (SELECT 1 FROM patents p WHERE {CAMPAIGN_PATENT} AND {PENDING})"  # noqa: S608 - SQL fragments are constants
_TAKE_RECIPIENTS = text(
    f"SELECT {RECIPIENT_COLUMNS} FROM enterprise_profiles e"  # noqa: S608 - SQL fragments are constants
    f" WHERE {CLUSTER} AND {_WITH_ROOM} AND {_HAS_CANDIDATE}"
    " ORDER BY e.uscc LIMIT :limit FOR UPDATE OF e SKIP LOCKED"
)
_ANY_LEFT = text(
    "SELECT EXISTS (SELECT 1 FROM enterprise_profiles e"  # noqa: S608 - SQL fragments are constants
    f" WHERE {CLUSTER} AND {_WITH_ROOM} AND {_HAS_CANDIDATE})"
)
_CANDIDATES = text(
    f"SELECT {CANDIDATE_COLUMNS} FROM patents p"  # noqa: S608 - SQL fragments are constants
    " JOIN enterprise_profiles e ON e.uscc = :uscc"
    " LEFT JOIN matches m"
    "   ON m.application_number = p.application_number AND m.enterprise_uscc = e.uscc"
    f" WHERE {CAMPAIGN_PATENT} AND {PENDING}"
    " ORDER BY m.score DESC NULLS LAST, p.application_number LIMIT :limit"
)
_CLUSTER_SIZE = text(f"SELECT count(*) FROM enterprise_profiles e WHERE {CLUSTER}")  # noqa: S608 - SQL fragments are constants
_REACH = text(
    "SELECT s.campaign_id, count(DISTINCT s.enterprise_uscc) AS reached,"
    " count(DISTINCT s.push_id) AS pushes,"
    " count(DISTINCT s.push_id) FILTER (WHERE s.opened_at IS NOT NULL) AS opened,"
    " count(DISTINCT f.feedback_id) AS feedback,"
    " count(DISTINCT f.feedback_id) FILTER"
    "   (WHERE f.will_implement = 'yes' OR f.market_evaluation = 'positive') AS positive"
    " FROM pushes s LEFT JOIN feedback f"
    "   ON f.enterprise_uscc = s.enterprise_uscc AND f.application_number = s.application_number"
    " WHERE s.campaign_id = ANY(CAST(:ids AS text[])) GROUP BY s.campaign_id"
)


def _params(campaign: Campaign) -> dict[str, Any]:
    return {
        "campaign_id": campaign.campaign_id,
        "industries": list(campaign.industry_codes),
        "regions": list(campaign.region_codes),
        "tiers": list(campaign.tiers),
        "per_enterprise": campaign.per_enterprise_limit,
    }


class CampaignRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def cluster_size(self, industries: Sequence[str], regions: Sequence[str]) -> int:
        count = await self.session.execute(
            _CLUSTER_SIZE, {"industries": list(industries), "regions": list(regions)}
        )
        return int(count.scalar_one())

    async def add(self, campaign: Campaign) -> None:
        await self.session.execute(insert(CampaignRecord).values(**campaign_values(campaign)))

    async def save(self, campaign: Campaign) -> None:
        values = campaign_values(campaign)
        await self.session.execute(
            update(CampaignRecord)
            .where(col(CampaignRecord.campaign_id) == campaign.campaign_id)
            .values(**{k: v for k, v in values.items() if k != "campaign_id"})
        )

    async def get(self, campaign_id: str) -> Campaign | None:
        rows = await self.session.execute(
            text("SELECT * FROM campaigns WHERE campaign_id = :id"), {"id": campaign_id}
        )
        row = rows.mappings().first()
        return None if row is None else to_campaign(row)

    async def take_active(self) -> Campaign | None:
        """The oldest campaign still running that no other instance is running now."""
        rows = await self.session.execute(
            text(
                "SELECT * FROM campaigns WHERE state = 'active'"
                " ORDER BY launched_at, campaign_id LIMIT 1 FOR UPDATE SKIP LOCKED"
            )
        )
        row = rows.mappings().first()
        return None if row is None else to_campaign(row)

    async def page(self, limit: int, after: tuple[datetime, str] | None) -> list[Campaign]:
        """Campaigns, newest first."""
        sql = "SELECT * FROM campaigns"
        params: dict[str, Any] = {"limit": limit}
        if after is not None:
            sql += " WHERE (launched_at, campaign_id) < (:t, :id)"
            params |= {"t": after[0], "id": after[1]}
        sql += " ORDER BY launched_at DESC, campaign_id DESC LIMIT :limit"
        rows = await self.session.execute(text(sql), params)
        return [to_campaign(r) for r in rows.mappings()]

    async def take_recipients(self, campaign: Campaign, limit: int) -> list[Recipient]:
        """Up to ``limit`` of the cluster's enterprises the campaign still has something
        for, their profile rows locked (another instance's pushers skip them)."""
        rows = await self.session.execute(_TAKE_RECIPIENTS, {**_params(campaign), "limit": limit})
        return [to_recipient(r) for r in rows.mappings()]

    async def anything_left(self, campaign: Campaign) -> bool:
        """Whether any enterprise of the cluster, locked or not, has a push left."""
        return bool((await self.session.execute(_ANY_LEFT, _params(campaign))).scalar_one())

    async def pushes_to(self, campaign: Campaign, enterprise_uscc: str) -> int:
        count = await self.session.execute(
            text(
                "SELECT count(*) FROM pushes"
                " WHERE campaign_id = :campaign_id AND enterprise_uscc = :uscc"
            ),
            {"campaign_id": campaign.campaign_id, "uscc": enterprise_uscc},
        )
        return int(count.scalar_one())

    async def candidates(
        self, campaign: Campaign, recipient: Recipient, limit: int
    ) -> list[PushCandidate]:
        """The campaign's patents for the enterprise: those a match row scored, best
        first, then the concordant ones no match row scored (explained by the industry
        links alone)."""
        rows = await self.session.execute(
            _CANDIDATES, {**_params(campaign), "uscc": recipient.uscc, "limit": limit}
        )
        return [to_candidate(r, recipient.industry_codes) for r in rows.mappings()]

    async def reach(self, campaign_ids: Sequence[str]) -> dict[str, CampaignReach]:
        rows = await self.session.execute(_REACH, {"ids": list(campaign_ids)})
        found = {r["campaign_id"]: to_reach(r) for r in rows.mappings()}
        return {i: found.get(i) or to_reach(None) for i in campaign_ids}
