"""The catalogue's search table at national scale: the operator's fast path.

After the import (measured at its own size), the search table is topped up to the
search size with raw COPY of the same generator's next patents (distinct application
numbers, the search columns the import computes), without events, then VACUUMed: search
latency depends on the table, not on how its rows arrived. Rows are built in worker
processes a chunk at a time and COPYed as they come, so no more than a few chunks are
ever held in memory.
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
                for conn in conns:
                    await conn.copy_records_to_table(
                        "patents", records=records, columns=PATENT_COLUMNS
                    )
        for conn in conns:
            await conn.execute("VACUUM (ANALYZE) patents")
    finally:
        for conn in conns:
            await conn.close()
    return time.perf_counter() - start
