"""Campaigns' use cases: launch one, run them (push the tiers' patents to each
cluster), and report what they reached."""

from __future__ import annotations

from dataclasses import dataclass

from matching.campaigns.commands import LaunchCampaign, ListCampaigns, RunCampaigns
from matching.campaigns.repository import CampaignRepository
from matching.domain.campaign import (
    Campaign,
    CampaignReach,
    check_industry_prefixes,
    check_region_prefixes,
    check_tiers,
)
from matching.domain.errors import CampaignUnknown
from matching.pushes.repository import PushRepository
from matching.pushes.service import deliver
from shared.db.uow import UnitOfWork
from shared.events.schemas import CampaignLaunched


@dataclass(frozen=True)
class CampaignReport:
    campaign: Campaign
    reach: CampaignReach


async def launch_campaign(uow: UnitOfWork, command: LaunchCampaign) -> CampaignReport:
    """Launch the campaign on its cluster (refused when the cluster has no enterprise)
    and publish ``CampaignLaunched``; the campaign runner pushes its patents."""
    industries = check_industry_prefixes(command.industry_codes)
    regions = check_region_prefixes(command.region_codes)
    tiers = check_tiers(command.tiers)
    campaigns = CampaignRepository(uow.session)
    campaign = Campaign.launch(
        name=command.name,
        industry_codes=industries,
        region_codes=regions,
        tiers=tiers,
        per_enterprise_limit=command.per_enterprise_limit,
        cluster_size=await campaigns.cluster_size(industries, regions),
        launched_by_org_id=command.operator_org_id,
        now=uow.clock.now(),
    )
    await campaigns.add(campaign)
    uow.emit(
        CampaignLaunched(
            campaign_id=campaign.campaign_id,
            name=campaign.name,
            industry_codes=list(campaign.industry_codes),
            region_codes=list(campaign.region_codes),
            tiers=list(campaign.tiers),
            enterprises=campaign.enterprises,
            launched_at=campaign.launched_at,
        )
    )
    return CampaignReport(campaign, CampaignReach(0, 0, 0, 0, 0))


async def run_campaigns(uow: UnitOfWork, command: RunCampaigns) -> bool:
    """One batch of the campaign runner on the oldest running campaign: up to
    ``command.enterprises`` enterprises of its cluster are pushed its patents (the push
    rules, with the campaign's per-enterprise limit instead of the weekly cap). The
    campaign completes once no enterprise of its cluster has anything left. True when
    it did something (the runner goes on at once)."""
    campaigns = CampaignRepository(uow.session)
    campaign = await campaigns.take_active()
    if campaign is None:
        return False
    now = uow.clock.now()
    pushes = PushRepository(uow.session)
    recipients = await campaigns.take_recipients(campaign, command.enterprises)
    delivered = 0
    for recipient in recipients:
        room = campaign.per_enterprise_limit - await campaigns.pushes_to(campaign, recipient.uscc)
        candidates = await campaigns.candidates(campaign, recipient, room)
        delivered += len(
            await deliver(
                uow,
                pushes,
                recipient,
                candidates,
                room=room,
                now=now,
                campaign_id=campaign.campaign_id,
            )
        )
    if not recipients and not await campaigns.anything_left(campaign):
        campaign.complete(now)
        await campaigns.save(campaign)
        return True
    return delivered > 0


async def campaign_report(uow: UnitOfWork, campaign_id: str) -> CampaignReport:
    campaigns = CampaignRepository(uow.session)
    campaign = await campaigns.get(campaign_id)
    if campaign is None:
        raise CampaignUnknown(f"campaign_id: no campaign {campaign_id}", campaign_id=campaign_id)
    reach = await campaigns.reach([campaign_id])
    return CampaignReport(campaign, reach[campaign_id])


async def list_campaigns(uow: UnitOfWork, command: ListCampaigns) -> list[CampaignReport]:
    campaigns = CampaignRepository(uow.session)
    found = await campaigns.page(command.limit, command.after)
    reach = await campaigns.reach([c.campaign_id for c in found])
    return [CampaignReport(c, reach[c.campaign_id]) for c in found]
