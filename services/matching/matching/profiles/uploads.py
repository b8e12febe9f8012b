"""The operator's profile import: the row handler of the ``enterprise_profiles`` upload
kind (``shared.uploads``).

Each batch, in the runner's transaction: the rows are checked without the database (the
domain's rules, ``rows.check_row``); the batch's existing profiles are locked; a row
creates an imported profile (no consent) or replaces an imported one's facts (consent
and industry choices stay the enterprise's); a row about a profile the enterprise keeps
itself is refused. Each saved profile is queued for the matcher. Profiles publish no
event: they are enterprises' own data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import asyncpg

from matching.domain.errors import ProfileMaintainedByEnterprise
from matching.domain.profile import EnterpriseProfile
from matching.profiles.repository import ImportedProfiles
from matching.profiles.rows import SPEC, ProfileRow, check_row
from shared.clock import Clock
from shared.uploads import RawRow, RowError, UploadJob


@dataclass(frozen=True)
class CheckedBatch:
    rows: list[ProfileRow]
    refused: list[RowError]


class ProfileUploads:
    """``shared.uploads.RowHandler`` of the ``enterprise_profiles`` upload kind."""

    spec = SPEC

    def check(self, rows: list[RawRow], job: UploadJob, now: datetime) -> CheckedBatch:
        good: list[ProfileRow] = []
        refused: list[RowError] = []
        for raw in rows:
            row = check_row(raw)
            if isinstance(row, RowError):
                refused.append(row)
            else:
                good.append(row)
        return CheckedBatch(good, refused)

    async def handle(
        self, checked: CheckedBatch, job: UploadJob, conn: asyncpg.Connection, clock: Clock
    ) -> list[RowError]:
        store, now = ImportedProfiles(conn), clock.now()
        existing = await store.lock([row.uscc for row in checked.rows])
        refused = list(checked.refused)
        saved: dict[int, EnterpriseProfile] = {}
        for row in checked.rows:
            profile = existing.get(row.uscc)
            if profile is None:
                saved[row.number] = EnterpriseProfile.imported(row.uscc, row.facts, now)
                continue
            try:
                profile.reimport(row.facts, now)
            except ProfileMaintainedByEnterprise as kept:
                refused.append(_kept(row.number, kept))
                continue
            saved[row.number] = profile
        # A profile the enterprise created while this batch ran: its row was not there
        # to lock, and the write left it alone.
        for uscc in await store.save(list(saved.values()), now):
            number = next(n for n, p in saved.items() if p.uscc == uscc)
            refused.append(_kept(number, ProfileMaintainedByEnterprise.about(uscc)))
        return refused


def _kept(row: int, kept: ProfileMaintainedByEnterprise) -> RowError:
    return RowError(row, "uscc", f"{kept.detail} (rule: {kept.slug})")
