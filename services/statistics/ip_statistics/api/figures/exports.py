"""The figure exports: CSV (UTF-8 with a byte order mark, so Excel reads the Chinese
right) and XLSX (openpyxl's write-only workbook), streamed from the query's rows while
its unit of work stays open, and refused (422 export-too-large) before anything is sent
when the rows would pass the cap. An XLSX file is a zip whose directory comes last: the
rows stream into the workbook as PostgreSQL sends them, and the finished file streams
out in chunks."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack
from typing import Any
from urllib.parse import quote

from fastapi.responses import StreamingResponse
from openpyxl import Workbook

from ip_statistics.api.figures.schemas import COLUMN_LABELS, columns, row_out
from ip_statistics.domain.query import FigureQuery, Viewer, month_text
from ip_statistics.figures import service
from ip_statistics.figures.repository import FigureRow
from shared.runtime import ServiceRuntime

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_CHUNK = 64 * 1024


def header(query: FigureQuery) -> list[str]:
    return [f"{COLUMN_LABELS[c]} ({c})" for c in columns(query)]


def disposition(query: FigureQuery, extension: str) -> str:
    """An ASCII file name, and the Chinese one for clients that read RFC 5987."""
    span = f"{month_text(query.first_month)}_{month_text(query.last_month)}"
    ascii_name = f"statistics-{query.measure.key}-{span}.{extension}"
    name = f"{query.measure.label}-{span}.{extension}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def _cells(query: FigureQuery, row: FigureRow) -> list[Any]:
    out = row_out(query, row)
    return [out[c] for c in columns(query)]


def _csv_line(cells: Sequence[Any]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(["" if c is None else c for c in cells])
    return out.getvalue()


async def _open(
    runtime: ServiceRuntime, viewer: Viewer, query: FigureQuery, cap: int
) -> tuple[AsyncExitStack, AsyncIterator[FigureRow]]:
    resources = AsyncExitStack()
    uow = await resources.enter_async_context(runtime.uow())
    try:
        rows = await service.export_rows(uow, viewer, query, cap)
    except BaseException:
        await resources.aclose()
        raise
    return resources, rows


async def csv_export(
    runtime: ServiceRuntime, viewer: Viewer, query: FigureQuery, cap: int
) -> StreamingResponse:
    resources, rows = await _open(runtime, viewer, query, cap)

    async def lines() -> AsyncIterator[str]:
        try:
            yield "\ufeff" + _csv_line(header(query))
            async for row in rows:
                yield _csv_line(_cells(query, row))
        finally:
            await resources.aclose()

    return StreamingResponse(
        lines(), media_type=CSV_TYPE, headers={"Content-Disposition": disposition(query, "csv")}
    )


def _numeric(query: FigureQuery) -> Callable[[list[Any]], list[Any]]:
    """Money as numbers in the sheet (Excel sums them), from the exact strings."""
    money = {i for i, c in enumerate(columns(query)) if c in ("amount", "tech_amount")}

    def convert(cells: list[Any]) -> list[Any]:
        return [float(c) if i in money and c is not None else c for i, c in enumerate(cells)]

    return convert


async def xlsx_export(
    runtime: ServiceRuntime, viewer: Viewer, query: FigureQuery, cap: int
) -> StreamingResponse:
    resources, rows = await _open(runtime, viewer, query, cap)
    try:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(query.measure.label[:31])
        sheet.append(header(query))
        convert = _numeric(query)
        async for row in rows:
            sheet.append(convert(_cells(query, row)))
    finally:
        await resources.aclose()
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)

    async def chunks() -> AsyncIterator[bytes]:
        try:
            while chunk := spool.read(_CHUNK):
                yield chunk
        finally:
            spool.close()

    return StreamingResponse(
        chunks(), media_type=XLSX_TYPE, headers={"Content-Disposition": disposition(query, "xlsx")}
    )
