"""What the campaigns' use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class LaunchCampaign:
    """The operator's campaign (供需精准对接活动): industry and region prefixes, tiers."""

    name: str
    industry_codes: tuple[str, ...]
    region_codes: tuple[str, ...]
    tiers: tuple[str, ...]
    per_enterprise_limit: int
    operator_org_id: str


@dataclass(frozen=True)
class RunCampaigns:
    """One batch of the campaign runner: up to ``enterprises`` of one campaign's cluster."""

    enterprises: int


@dataclass(frozen=True)
class ListCampaigns:
    limit: int
    after: tuple[datetime, str] | None = None
