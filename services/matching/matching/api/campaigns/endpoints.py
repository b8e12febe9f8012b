"""Matching campaigns (供需精准对接活动): launched by the operator, read by it and
regulators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status

from matching.api.campaigns import schemas
from matching.api.deps import Operator, Oversight
from matching.campaigns import service
from matching.campaigns.commands import ListCampaigns
from matching.workers import CAMPAIGN_RUNNER
from shared.http.dependencies import PageDep, UnitOfWorkDep, get_runtime
from shared.http.pagination import Page, TimeIdPosition
from shared.http.routes import StrictRoute
from shared.runtime import ServiceRuntime

router = APIRouter(route_class=StrictRoute, tags=["campaigns"])

RuntimeDep = Annotated[ServiceRuntime, Depends(get_runtime)]
CampaignId = Annotated[str, Path(min_length=1, max_length=36, description="The campaign's id.")]


@router.post(
    "/campaigns",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.CampaignOut,
    summary="Launch a matching campaign (供需精准对接活动)",
)
async def launch_campaign(
    body: schemas.CampaignIn, principal: Operator, uow: UnitOfWorkDep, runtime: RuntimeDep
) -> schemas.CampaignOut:
    """Push the tiers' matchable patents of the cluster's industries to the cluster's
    enterprises, best matches first, at most `per_enterprise_limit` each; an enterprise's
    opt-outs hold, and no patent reaches an enterprise twice at the same revision.
    Publishes `cn.ipmarket.matching.campaign.launched.v1`; the campaign completes when
    nothing is left to push. A cluster without any consenting enterprise: 422
    `campaign-cluster-empty`."""
    report = await service.launch_campaign(uow, body.to_command(principal.org_id))
    await uow.commit()
    runtime.wake(CAMPAIGN_RUNNER)
    return schemas.CampaignOut.of(report)


@router.get(
    "/campaigns", response_model=Page[schemas.CampaignOut], summary="Campaigns and their reach"
)
async def list_campaigns(
    _: Oversight, uow: UnitOfWorkDep, page: PageDep
) -> Page[schemas.CampaignOut]:
    """Every campaign, newest first, with its cluster size, the enterprises it reached,
    its pushes, and how many were opened and answered (count and rate)."""
    after = page.after(TimeIdPosition)
    found = await service.list_campaigns(
        uow, ListCampaigns(limit=page.limit, after=after.key if after else None)
    )
    last = found[-1].campaign if len(found) == page.limit else None
    cursor = TimeIdPosition(t=last.launched_at, id=last.campaign_id).cursor() if last else None
    return Page(items=[schemas.CampaignOut.of(r) for r in found], next_cursor=cursor)


@router.get("/campaigns/{campaign_id}", response_model=schemas.CampaignOut, summary="One campaign")
async def get_campaign(
    campaign_id: CampaignId, _: Oversight, uow: UnitOfWorkDep
) -> schemas.CampaignOut:
    """The campaign and its report; 404 `campaign-unknown` for an id never launched."""
    return schemas.CampaignOut.of(await service.campaign_report(uow, campaign_id))
