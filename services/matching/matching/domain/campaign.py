"""Matching campaigns (供需精准对接活动): the operator picks an industry cluster (GB/T
4754 codes and GB/T 2260 regions, each by prefix) and tiers; the tiers' matchable
patents of the cluster's industries are pushed to the cluster's enterprises.

The cluster is every enterprise that consented to pushes, has an industry code under one
of the campaign's codes, and lies in one of its regions (all regions when none is
named). A patent concords with an enterprise when one of its codes lies under one of the
campaign's codes and is nested with one of the enterprise's codes (``C3841`` and
``C38``, either way round).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from matching.domain.errors import (
    CampaignClusterEmpty,
    CampaignIndustryCode,
    CampaignRegionCode,
    CampaignTier,
)
from shared.domain.industry import check_industry_code, default_concordance
from shared.errors import InvalidRequest

# A province (44), a prefecture-level city (4403) or a full GB/T 2260 code (440305).
REGION_PREFIX = re.compile(r"\d{2}|\d{4}|\d{6}")
# Tier D patents have no realistic market: a campaign never pushes them.
CAMPAIGN_TIERS = ("A", "B", "C")


class CampaignState(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"


def check_industry_prefixes(codes: Sequence[str]) -> tuple[str, ...]:
    """GB/T 4754-2017 divisions, groups or classes the standard has (as far as the shared
    industry table can tell), without repeats."""
    if not codes:
        raise CampaignIndustryCode(
            "industry_codes: name at least one industry", field="industry_codes"
        )
    for code in codes:
        try:
            check_industry_code(code)
        except ValueError as exc:
            raise CampaignIndustryCode(f"industry_codes: {exc}", field="industry_codes") from None
        if not default_concordance().is_known_industry(code):
            raise CampaignIndustryCode(
                f"industry_codes: {code!r}: GB/T 4754-2017 has no such code in division {code[:3]}",
                field="industry_codes",
            )
    return tuple(dict.fromkeys(codes))


def check_region_prefixes(codes: Sequence[str]) -> tuple[str, ...]:
    return _each_matching(
        codes,
        REGION_PREFIX,
        CampaignRegionCode,
        "region_codes",
        "a GB/T 2260 province (2 digits), city (4 digits) or full code (6 digits)",
    )


def _each_matching(
    codes: Sequence[str],
    pattern: re.Pattern[str],
    error: type[InvalidRequest],
    field: str,
    expected: str,
) -> tuple[str, ...]:
    """The codes without repeats, once each matches ``pattern``; else ``error`` naming
    the first that does not."""
    for code in codes:
        if not pattern.fullmatch(code):
            raise error(f"{field}: {code!r} is not {expected}", field=field)
    return tuple(dict.fromkeys(codes))


def check_tiers(tiers: Sequence[str]) -> tuple[str, ...]:
    if not tiers:
        raise CampaignTier("tiers: name at least one of A, B, C", field="tiers")
    for tier in tiers:
        if tier not in CAMPAIGN_TIERS:
            raise CampaignTier(
                f"tiers: {tier!r} cannot be pushed by a campaign (only A, B or C: tier D "
                "patents have no realistic market)",
                field="tiers",
            )
    return tuple(sorted(set(tiers)))


def in_cluster(
    industry_prefixes: Sequence[str],
    region_prefixes: Sequence[str],
    *,
    push_consent: bool,
    industry_codes: Iterable[str],
    region_code: str,
) -> bool:
    """The cluster rule for one enterprise (the repository counts the same in SQL)."""
    return (
        push_consent
        and any(code.startswith(p) for code in industry_codes for p in industry_prefixes)
        and (not region_prefixes or any(region_code.startswith(p) for p in region_prefixes))
    )


@dataclass
class Campaign:
    campaign_id: str
    name: str
    industry_codes: tuple[str, ...]
    region_codes: tuple[str, ...]
    tiers: tuple[str, ...]
    per_enterprise_limit: int
    state: CampaignState
    enterprises: int
    launched_by_org_id: str
    launched_at: datetime
    completed_at: datetime | None = None

    @classmethod
    def launch(
        cls,
        *,
        name: str,
        industry_codes: tuple[str, ...],
        region_codes: tuple[str, ...],
        tiers: tuple[str, ...],
        per_enterprise_limit: int,
        cluster_size: int,
        launched_by_org_id: str,
        now: datetime,
    ) -> Campaign:
        """A campaign about to run; refused when its cluster has no enterprise."""
        if cluster_size == 0:
            raise CampaignClusterEmpty(
                "industry_codes, region_codes: no enterprise that consented to pushes has an "
                f"industry under {', '.join(industry_codes)} in "
                f"{', '.join(region_codes) if region_codes else 'any region'}",
                field="industry_codes",
            )
        return cls(
            campaign_id=str(uuid.uuid4()),
            name=name,
            industry_codes=industry_codes,
            region_codes=region_codes,
            tiers=tiers,
            per_enterprise_limit=per_enterprise_limit,
            state=CampaignState.ACTIVE,
            enterprises=cluster_size,
            launched_by_org_id=launched_by_org_id,
            launched_at=now,
        )

    def complete(self, now: datetime) -> None:
        """Nothing is left to push to the cluster."""
        self.state = CampaignState.COMPLETED
        self.completed_at = now


@dataclass(frozen=True)
class CampaignReach:
    """What a campaign achieved: its pushes and what the enterprises did with them."""

    enterprises_reached: int
    pushes: int
    opened: int
    feedback: int
    positive_feedback: int

    @staticmethod
    def rate(count: int, of: int) -> float | None:
        """``count / of``, None when there is nothing to divide (no push yet)."""
        return None if of == 0 else round(count / of, 4)
