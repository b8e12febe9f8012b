"""Matching's periodic workers (``shared.workers``): the pusher fills enterprises'
inboxes from their matches, the campaign runner pushes campaigns' patents, the upload
worker runs the operator's profile imports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from matching.campaigns.commands import RunCampaigns
from matching.campaigns.service import run_campaigns
from matching.config import MatchingSettings
from matching.matches.commands import ContinueRematch, MatchWaiting
from matching.matches.live import LiveIndex
from matching.matches.service import RematchState, continue_rematch, match_waiting
from matching.profiles.uploads import ProfileUploads
from matching.pushes.commands import PushPending
from matching.pushes.service import push_pending
from shared.uploads import upload_worker
from shared.workers import PeriodicWorker

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime

PUSHER = "pusher"
CAMPAIGN_RUNNER = "campaign-runner"
MATCHER = "matcher"
REMATCHER = "rematcher"


def pusher(runtime: ServiceRuntime) -> PeriodicWorker:
    """Each tick serves one batch of enterprises with pending matches, committed with
    its ``MatchPushed`` events; a full batch wakes it again at once. The matcher wakes
    it (``runtime.wake("pusher")``) after writing matches."""
    settings = runtime.settings
    assert isinstance(settings, MatchingSettings)
    command = PushPending(
        cap=settings.push_cap_per_7_days, enterprises=settings.push_batch_enterprises
    )

    async def tick() -> None:
        async with runtime.uow() as uow:
            served = await push_pending(uow, command)
            await uow.commit()
        if served == command.enterprises:
            runtime.wake(PUSHER)

    return PeriodicWorker(PUSHER, settings.push_interval_s, tick)


def campaign_runner(runtime: ServiceRuntime) -> PeriodicWorker:
    """Each tick runs one batch of the oldest running campaign; launching a campaign
    wakes it, and so does a batch that pushed something."""
    settings = runtime.settings
    assert isinstance(settings, MatchingSettings)
    command = RunCampaigns(enterprises=settings.campaign_batch_enterprises)

    async def tick() -> None:
        async with runtime.uow() as uow:
            progressed = await run_campaigns(uow, command)
            await uow.commit()
        if progressed:
            runtime.wake(CAMPAIGN_RUNNER)

    return PeriodicWorker(CAMPAIGN_RUNNER, settings.campaign_interval_s, tick)


# The operator's profile imports (profiles/uploads.py): woken by the upload endpoint, and
# every few seconds for a job an instance that died left behind (shared.uploads.runner).
profile_uploads = upload_worker([ProfileUploads()], name="uploads")


def matcher(runtime: ServiceRuntime) -> PeriodicWorker:
    """Matches what waits in the queue (patents, enterprises, needs whose facts changed)
    against this instance's index of seekers; wakes the pusher when it wrote matches,
    and itself while the queue is not empty. Consumers and endpoints wake it."""
    settings = runtime.settings
    assert isinstance(settings, MatchingSettings)
    live = LiveIndex()
    command = MatchWaiting(limit=settings.match_batch, top_k=settings.matches_per_patent)

    async def tick() -> None:
        async with runtime.uow() as uow:
            done = await match_waiting(uow, live, command)
            await uow.commit()
        if done:
            runtime.wake(PUSHER)
        if done == command.limit:
            runtime.wake(MATCHER)

    return PeriodicWorker(MATCHER, settings.match_interval_s, tick)


def rematcher(runtime: ServiceRuntime) -> PeriodicWorker:
    """The operator's full re-match, one batch of patents per transaction; the
    endpoint wakes it, and it goes on at once while there is more."""
    settings = runtime.settings
    assert isinstance(settings, MatchingSettings)
    state = RematchState()
    command = ContinueRematch(batch=settings.rematch_batch, top_k=settings.matches_per_patent)

    async def tick() -> None:
        async with runtime.uow() as uow:
            more = await continue_rematch(uow, state, command)
            await uow.commit()
        if more:
            runtime.wake(REMATCHER)
        else:
            runtime.wake(PUSHER)

    return PeriodicWorker(REMATCHER, settings.rematch_interval_s, tick)
