"""The seekers this instance holds in memory for matching, kept in step with the
database.

Every instance builds its own index from ``enterprise_profiles`` and ``needs`` and
refreshes it before each matching pass: every insert or update of a row gives it a new
change number (``seeker_changes``, a trigger), and the rows numbered above the highest
number seen, less a margin of ``MARGIN`` numbers (a transaction may commit after others
that drew later numbers), are taken again; an unchanged seeker is skipped. A seeker is
held while it can be proposed patents: a profile with consent and segmented text, a
need that is open, segmented and has a requester with a USCC. BM25 statistics are those
of the last full build (the re-match rebuilds them); a seeker added since is weighed
with them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from matching.domain.match import Seeker, SeekerKind
from matching.domain.patent import need_is_open
from matching.feedback.repository import FeedbackRepository
from matching.matches.index import SeekerIndex
from matching.matches.mapping import need_seeker, profile_seeker
from matching.matches.repository import SeekerSource

MARGIN = 1_000


class LiveIndex:
    def __init__(self) -> None:
        self.index: SeekerIndex | None = None
        self.requesters: dict[str, str] = {}  # need id -> its requester's USCC
        self._profiles_seen: int | None = None
        self._needs_seen: int | None = None

    async def current(self, session: AsyncSession, today: date) -> SeekerIndex:
        """The index, built on first use and refreshed from what changed since."""
        source = SeekerSource(session)
        if self.index is None:
            self.index, self._profiles_seen, self._needs_seen = await build_index(
                source, today, self.requesters
            )
            return self.index
        profiles = await source.profiles_changed(_since(self._profiles_seen))
        affinities = await FeedbackRepository(session).affinities_of_many(
            [row["uscc"] for row in profiles]
        )
        for row in profiles:
            self.take_profile(row, affinities.get(row["uscc"], {}))
            self._profiles_seen = _later(self._profiles_seen, row["change_seq"])
        for row in await source.needs_changed(_since(self._needs_seen)):
            self.take_need(row, today)
            self._needs_seen = _later(self._needs_seen, row["change_seq"])
        return self.index

    def take_profile(self, row: Any, affinity: dict[str, float]) -> None:
        """Hold the profile (replacing its earlier version), or drop it."""
        self._hold(SeekerKind.PROFILE, row["uscc"], _profile(row, affinity))

    def take_need(self, row: Any, today: date) -> None:
        seeker = _need(row, today)
        if seeker is not None:
            self.requesters[row["need_id"]] = row["requester_uscc"]
        self._hold(SeekerKind.NEED, row["need_id"], seeker)

    def _hold(self, kind: SeekerKind, key: str, seeker: Seeker | None) -> None:
        assert self.index is not None
        if seeker is None:
            self.index.remove(kind, key)
            return
        row = self.index.row_of.get(seeker.key)
        if row is None or self.index.seekers[row] != seeker:
            self.index.upsert(seeker)


async def build_index(
    source: SeekerSource, today: date, requesters: dict[str, str]
) -> tuple[SeekerIndex, int | None, int | None]:
    """Every seeker that can be proposed patents, with fresh BM25 statistics, and the
    highest change numbers of the profiles and of the needs read."""
    profiles = await source.profiles_changed(None)
    affinities = await FeedbackRepository(source.session).affinities_of_many(
        [row["uscc"] for row in profiles]
    )
    seekers = [_profile(row, affinities.get(row["uscc"], {})) for row in profiles]
    needs = await source.needs_changed(None)
    for row in needs:
        need = _need(row, today)
        if need is not None:
            requesters[row["need_id"]] = row["requester_uscc"]
            seekers.append(need)
    index = SeekerIndex.build(s for s in seekers if s is not None)
    return index, _latest(profiles), _latest(needs)


def _profile(row: Any, affinity: dict[str, float]) -> Seeker | None:
    if not row["push_consent"] or row["tokens"] is None:
        return None
    return profile_seeker(row, affinity)


def _need(row: Any, today: date) -> Seeker | None:
    if row["tokens"] is None or row["requester_uscc"] is None:
        return None
    if not need_is_open(row["open"], row["deadline"], today):
        return None
    return need_seeker(row)


def _since(seen: int | None) -> int | None:
    return None if seen is None else seen - MARGIN


def _later(seen: int | None, number: int) -> int:
    return number if seen is None or number > seen else seen


def _latest(rows: list[Any]) -> int | None:
    return max((row["change_seq"] for row in rows), default=None)
