"""The matcher's use cases: what waits in the queue is segmented once and matched (a
patent against the seekers, an enterprise or a need against its candidate patents), and
the operator's full re-match goes through every matchable patent batch by batch.

The engine (``engine.py``) is pure and in memory; these functions load its inputs,
call it and replace the ``matches`` rows it produced, in the caller's unit of work.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from matching.domain.errors import MatchesNotYours, RematchJobUnknown, RematchRunning
from matching.domain.match import Match, Seeker, SeekerKind
from matching.domain.outcome import may_read
from matching.domain.patent import MatchSubject
from matching.domain.scoring import WEIGHTS
from matching.feedback.repository import FeedbackRepository
from matching.matches import engine
from matching.matches.commands import ContinueRematch, MatchWaiting, RequestRematch
from matching.matches.index import SeekerIndex
from matching.matches.live import LiveIndex, build_index
from matching.matches.mapping import facts_from_row, match_row, patent_facts
from matching.matches.models import RematchJobRecord
from matching.matches.ranking import segment
from matching.matches.repository import MatchRepository, RematchJobs, SeekerSource
from matching.repository import MatchRequests, PatentRepository
from shared.db.uow import UnitOfWork
from shared.domain.industry import default_concordance
from shared.errors import NotFound


async def match_waiting(uow: UnitOfWork, live: LiveIndex, command: MatchWaiting) -> int:
    """Match up to ``command.limit`` queued patents, enterprises and needs; how many."""
    index = await live.current(uow.session, uow.clock.today())
    taken = await MatchRequests(uow.session).take(command.limit)
    for subject, key in taken:
        if subject is MatchSubject.PATENT:
            await _match_patent(uow, index, live, key, command.top_k)
        elif subject is MatchSubject.ENTERPRISE:
            await _match_enterprise(uow, index, live, key, command.top_k)
        else:
            await _match_need(uow, index, live, key, command.top_k)
    return len(taken)


async def _match_patent(
    uow: UnitOfWork, index: SeekerIndex, live: LiveIndex, number: str, top_k: int
) -> None:
    patent = await PatentRepository(uow.session).get(number)
    matches = MatchRepository(uow.session)
    if patent is None or not patent.matchable:
        await matches.replace_for_patent(number, [])
        return
    tokens = tuple(patent.tokens) if patent.tokens is not None else None
    if tokens is None:
        tokens = segment(patent.title, patent.abstract or "")
        await SeekerSource(uow.session).set_patent_tokens(number, tokens)
    facts = patent_facts(patent, tokens, default_concordance())
    found = engine.match_patent(facts, index, top_k)
    now = uow.clock.now()
    rows = _rows(found, live.requesters, now, {number: patent.revision})
    await matches.replace_for_patent(number, rows)


async def _match_enterprise(
    uow: UnitOfWork, index: SeekerIndex, live: LiveIndex, uscc: str, top_k: int
) -> None:
    source = SeekerSource(uow.session)
    row = await source.profile(uscc)
    if row is None:
        return
    now = uow.clock.now()
    tokens = segment(row["products"], row["technical_needs"])
    await source.set_profile_tokens(uscc, tokens, now)
    profile = {**row, "tokens": list(tokens)}
    affinity = await FeedbackRepository(uow.session).affinities(uscc)
    live.take_profile(profile, affinity)
    key = (SeekerKind.PROFILE, uscc)
    if key not in index.row_of:  # no consent: it keeps no matches
        await MatchRepository(uow.session).replace_for_enterprise(uscc, [])
        return
    found, revisions = await _patents_for(source, index.seekers[index.row_of[key]], index, top_k)
    await MatchRepository(uow.session).replace_for_enterprise(
        uscc, _rows(found, live.requesters, now, revisions)
    )


async def _match_need(
    uow: UnitOfWork, index: SeekerIndex, live: LiveIndex, need_id: str, top_k: int
) -> None:
    source = SeekerSource(uow.session)
    row = await source.need(need_id)
    if row is None:
        return
    now = uow.clock.now()
    tokens = segment(row["title"], row["technical_field"] or "", row["description"])
    await source.set_need_tokens(need_id, tokens, now)
    live.take_need({**row, "tokens": list(tokens)}, uow.clock.today())
    key = (SeekerKind.NEED, need_id)
    if key not in index.row_of:
        await MatchRepository(uow.session).replace_for_need(need_id, [])
        return
    found, revisions = await _patents_for(source, index.seekers[index.row_of[key]], index, top_k)
    rows = _rows(found, live.requesters, now, revisions)
    await MatchRepository(uow.session).replace_for_need(need_id, rows)


async def _patents_for(
    source: SeekerSource, seeker: Seeker, index: SeekerIndex, top_k: int
) -> tuple[list[Match], dict[str, int]]:
    """The seeker's best patents among its candidates (matchable patents of its
    divisions), and the revision of each candidate."""
    divisions = sorted({code[:3] for code in seeker.industry_codes})
    rows = await source.candidate_patents(divisions)
    concordance = default_concordance()
    facts = [facts_from_row(row, concordance) for row in rows]
    revisions = {row["application_number"]: row["revision"] for row in rows}
    return engine.match_seeker(seeker, facts, index, top_k), revisions


def _rows(
    found: list[Match], requesters: dict[str, str], now: datetime, revisions: dict[str, int]
) -> list[tuple[Any, ...]]:
    """``matches`` rows, one per (patent, enterprise): a need's match goes to its
    requester; of two matches of the same pair, the better is kept."""
    best: dict[tuple[str, str], tuple[Any, ...]] = {}
    for match in found:
        if match.seeker_kind is SeekerKind.NEED:
            uscc = requesters.get(match.seeker_id)
            if uscc is None:
                continue
        else:
            uscc = match.seeker_id
        row = match_row(match, uscc, revisions[match.application_number], now)
        pair = (match.application_number, uscc)
        if pair not in best or best[pair][2] < row[2]:
            best[pair] = row
    return list(best.values())


async def patent_matches(
    uow: UnitOfWork, application_number: str, *, reader_type: str, reader_uscc: str | None
) -> list[Any]:
    """A patent's matches, best first, for its owners, the operator and regulators."""
    patent = await PatentRepository(uow.session).get(application_number)
    if patent is None:
        raise NotFound(f"application_number: matching knows no patent {application_number}")
    owners = tuple(p.uscc for p in patent.patentees if p.uscc)
    if not may_read(reader_type, reader_uscc, owners):
        raise MatchesNotYours("application_number: the patent is not the calling organisation's")
    return await MatchRepository(uow.session).of_patent(application_number)


async def request_rematch(uow: UnitOfWork, command: RequestRematch) -> RematchJobRecord:
    """A full re-match job (one at a time: another unfinished one is refused)."""
    jobs = RematchJobs(uow.session)
    running = await jobs.unfinished()
    if running is not None:
        raise RematchRunning(
            f"re-match {running.job_id} is still {running.state}: one runs at a time",
            job_id=running.job_id,
        )
    job = RematchJobRecord(
        job_id=str(uuid.uuid4()),
        state="queued",
        requested_by_org_id=command.requested_by_org_id,
        patents_total=await SeekerSource(uow.session).count_matchable(),
        weights_version=WEIGHTS.version,
        requested_at=uow.clock.now(),
    )
    await jobs.add(job)
    return job


async def get_rematch(uow: UnitOfWork, job_id: str) -> RematchJobRecord:
    job = await RematchJobs(uow.session).get(job_id)
    if job is None:
        raise RematchJobUnknown(f"job_id: no re-match {job_id}", job_id=job_id)
    return job


class RematchState:
    """The seekers a running re-match scores against, built once per job and instance."""

    def __init__(self) -> None:
        self.job_id: str | None = None
        self.index: SeekerIndex | None = None
        self.requesters: dict[str, str] = {}  # need id -> its requester's USCC


async def continue_rematch(uow: UnitOfWork, state: RematchState, command: ContinueRematch) -> bool:
    """One batch of the unfinished re-match, if any and no other instance holds it;
    True while there is more to do."""
    jobs = RematchJobs(uow.session)
    job = await jobs.running_for_update()
    if job is None:
        return False
    source = SeekerSource(uow.session)
    if state.job_id != job.job_id or state.index is None:
        state.requesters = {}
        state.index, _, _ = await build_index(source, uow.clock.today(), state.requesters)
        state.job_id = job.job_id
    now = uow.clock.now()
    if job.state == "queued":
        job.state, job.started_at = "running", now
    after = None
    if job.resume_after is not None:
        after = (list(job.resume_codes or []), job.resume_after)
    rows = await source.matchable_patents(after, command.batch)
    if not rows:
        job.state, job.finished_at = "succeeded", now
        uow.session.add(job)
        return False
    concordance = default_concordance()
    revisions = {row["application_number"]: row["revision"] for row in rows}
    written: list[tuple[Any, ...]] = []
    for _, found in engine.rematch_all(
        (facts_from_row(row, concordance) for row in rows), state.index, command.top_k
    ):
        written += _rows(found, state.requesters, now, revisions)
    await MatchRepository(uow.session).write_batch(list(revisions), written)
    job.patents_done += len(rows)
    job.matches_written += len(written)
    job.resume_codes = list(rows[-1]["industry_codes"])
    job.resume_after = rows[-1]["application_number"]
    uow.session.add(job)
    return True
