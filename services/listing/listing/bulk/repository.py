"""The bulk import's writes: COPY on a plain asyncpg connection.

A write path that bypasses the ORM on purpose, exempt from the use cases' load -> act ->
save: building a SQLModel object and an INSERT per patent would be tens of times slower
for a million rows. Each call is one transaction that writes the patents, their
institutions' holdings (what coverage counts) and their events' outbox rows
(``shared.db.outbox_rows``, as the unit of work writes them) together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import asyncpg

from listing.coverage.mapping import HOLDING_COLUMNS
from listing.models import PatentRecord
from shared.db.outbox_rows import OUTBOX_COLUMNS
from shared.db.uow import OUTBOX_CHANNEL

# The outbox rows of the events about the given (newly written) patents; their
# institution holdings rows (coverage.mapping.HOLDING_COLUMNS) likewise.
# The columns of ``patents``, in the order the bulk writes (import and upload) COPY them.
# Not search_xid: the row trigger writes it (migration 20261207_search_feed).
PATENT_COLUMNS = tuple(
    c.name
    for c in PatentRecord.__table__.columns  # type: ignore[attr-defined]
    if c.name != "search_xid"
)
# The events' source, as the listing service's runtime names it.
SOURCE = "/ipmarket/listing"

EventRows = Callable[[list[str]], list[tuple[Any, ...]]]
HoldingRows = Callable[[list[str]], list[tuple[Any, ...]]]


class CatalogueCopy:
    """The patents of an import and their events' outbox rows, COPYed together."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def copy_new(
        self,
        records: list[tuple[Any, ...]],
        columns: Sequence[str],
        events: EventRows,
        holdings: HoldingRows | None = None,
    ) -> int:
        """COPY straight into ``patents`` the rows not catalogued yet (the usual case)."""
        async with self.conn.transaction():
            known = {
                r[0]
                for r in await self.conn.fetch(
                    "SELECT application_number FROM patents WHERE application_number = ANY($1)",
                    [r[0] for r in records],
                )
            }
            new = [r for r in records if r[0] not in known]
            await self.conn.copy_records_to_table("patents", records=new, columns=columns)
            await self._hold(holdings, [r[0] for r in new])
            await self._publish(events([r[0] for r in new]))
        return len(new)

    async def copy_staged(
        self,
        records: list[tuple[Any, ...]],
        columns: Sequence[str],
        events: EventRows,
        holdings: HoldingRows | None = None,
    ) -> int:
        """COPY into a staging table, then insert what is still new."""
        async with self.conn.transaction():
            await self.conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS patents_import"
                " (LIKE patents INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
            )
            await self.conn.copy_records_to_table(
                "patents_import", records=records, columns=columns
            )
            inserted = await self.conn.fetch(
                "INSERT INTO patents SELECT * FROM patents_import"
                " ON CONFLICT (application_number) DO NOTHING RETURNING application_number"
            )
            await self._hold(holdings, [r[0] for r in inserted])
            await self._publish(events([r[0] for r in inserted]))
        return len(inserted)

    async def _hold(self, holdings: HoldingRows | None, numbers: list[str]) -> None:
        rows = holdings(numbers) if holdings is not None else []
        if rows:
            await self.conn.copy_records_to_table(
                "institution_holdings", records=rows, columns=HOLDING_COLUMNS
            )

    async def _publish(self, rows: list[tuple[Any, ...]]) -> None:
        await self.conn.copy_records_to_table("outbox", records=rows, columns=OUTBOX_COLUMNS)
        await self.conn.execute(f"NOTIFY {OUTBOX_CHANNEL}")
