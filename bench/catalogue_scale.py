"""The catalogue's search table at national scale: the operator's fast path.

After the import (measured at its own size), the search table is topped up to the
search size with raw COPY of the same generator's next patents (distinct application
numbers, the search columns the import computes), without events, then VACUUMed: search
latency depends on the table, not on how its rows arrived. As an operator loads millions
of rows, the table's secondary indexes are dropped first and built again after the COPY
(one sorted build instead of millions of insertions into a GIN index); the primary key
stays, so a duplicate still fails. Rows are built in worker processes a chunk at a time
and COPYed as they come, so no more than a few chunks are ever held in memory.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from typing import Any

import asyncpg

from bench.catalogue_data import patents
from listing.bulk.repository import PATENT_COLUMNS
from listing.bulk.service import catalogue_row

CHUNK = 20_000
# The indexes of ``patents`` that back no constraint: dropped and built again.
_SECONDARY = """
SELECT indexname, indexdef FROM pg_indexes
WHERE schemaname = current_schema() AND tablename = 'patents'
  AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'patents'::regclass)
"""


def _rows(chunk: list[dict[str, Any]], now: datetime) -> list[tuple[Any, ...]]:
    return [catalogue_row(item, "bench", now)[0] for item in chunk]


async def top_up(dsns: list[str], first: int, total: int, workers: int = 2) -> float:
    """COPY the generator's patents ``first`` .. ``total`` into ``patents`` of every
    database, then VACUUM (ANALYZE) them; the seconds that took."""
    start = time.perf_counter()
    conns = [await asyncpg.connect(dsn) for dsn in dsns]
    loop = asyncio.get_running_loop()
    now = datetime.now(UTC)
    source = itertools.islice(patents(total), first, None)
    try:
        secondary = [await conn.fetch(_SECONDARY) for conn in conns]
        for conn, indexes in zip(conns, secondary, strict=True):
            for index in indexes:
                await conn.execute(f'DROP INDEX "{index["indexname"]}"')
        with ProcessPoolExecutor(max_workers=workers) as pool:
            pending: list[asyncio.Future[list[tuple[Any, ...]]]] = []
            while True:
                while len(pending) < workers + 1:
                    chunk = list(itertools.islice(source, CHUNK))
                    if not chunk:
                        break
                    pending.append(loop.run_in_executor(pool, _rows, chunk, now))
                if not pending:
                    break
                records = await pending.pop(0)
                await asyncio.gather(
                    *(
                        conn.copy_records_to_table(
                            "patents", records=records, columns=PATENT_COLUMNS
                        )
                        for conn in conns
                    )
                )
        await asyncio.gather(*(_rebuild(c, i) for c, i in zip(conns, secondary, strict=True)))
    finally:
        for conn in conns:
            await conn.close()
    return time.perf_counter() - start


async def _rebuild(conn: asyncpg.Connection, indexes: list[asyncpg.Record]) -> None:
    await conn.execute("SET maintenance_work_mem = '512MB'")
    for index in indexes:
        await conn.execute(index["indexdef"])
    await conn.execute("VACUUM (ANALYZE) patents")
