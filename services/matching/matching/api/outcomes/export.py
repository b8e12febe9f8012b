"""The outcome CSV exports: streamed from a query as PostgreSQL returns the rows,
UTF-8 with a byte order mark (Excel, which offices open them with, then reads Chinese
right), and capped: when the cap cuts the export short, the ``X-Export-Capped`` header
says ``<rows written>/<rows in all>`` (a header must be sent before the rows, so each
row of the query carries the total, which PostgreSQL knows before it sends the first)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack
from typing import Any, TypeVar

from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from shared.runtime import ServiceRuntime

T = TypeVar("T")
CAPPED_HEADER = "X-Export-Capped"


def _line(cells: Sequence[Any]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(["" if c is None else c for c in cells])
    return out.getvalue()


async def capped_csv(
    runtime: ServiceRuntime,
    rows: Callable[[AsyncSession], AsyncIterator[tuple[int, T]]],
    header: Sequence[str],
    cells: Callable[[T], Sequence[Any]],
    *,
    filename: str,
    cap: int,
) -> StreamingResponse:
    """``rows``: the query, at most ``cap`` rows, each with the count of all rows. Its
    unit of work stays open while the response streams and is closed when it ends."""
    resources = AsyncExitStack()
    uow = await resources.enter_async_context(runtime.uow())
    found = rows(uow.session)
    try:
        first = await anext(found, None)
    except BaseException:
        await resources.aclose()
        raise
    total = 0 if first is None else first[0]

    async def lines() -> AsyncIterator[str]:
        try:
            yield "\ufeff" + _line(header)
            if first is not None:
                yield _line(cells(first[1]))
                async for _, item in found:
                    yield _line(cells(item))
        finally:
            await resources.aclose()

    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if total > cap:
        headers[CAPPED_HEADER] = f"{cap}/{total}"
    return StreamingResponse(lines(), media_type="text/csv; charset=utf-8", headers=headers)
