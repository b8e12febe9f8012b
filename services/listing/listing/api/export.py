"""CSV exports of list endpoints (coverage figures, flagged patents): asked for with
``Accept: text/csv`` or ``?format=csv``; UTF-8 with a BOM, so that Excel, which Chinese
offices open them with, reads the Chinese names right; streamed row by row."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Sequence
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import StreamingResponse

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


FormatQuery = Annotated[
    ExportFormat | None,
    Query(description="`csv` for a CSV export (same as `Accept: text/csv`); JSON by default."),
]


def wants_csv(request: Request, format: ExportFormat | None) -> bool:
    if format is not None:
        return format is ExportFormat.CSV
    return "text/csv" in request.headers.get("accept", "")


def _line(values: Sequence[Any]) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(["" if v is None else v for v in values])
    return out.getvalue()


def csv_response(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]] | AsyncIterable[Sequence[Any]],
    filename: str,
) -> StreamingResponse:
    async def lines() -> AsyncIterator[str]:
        yield BOM + _line(header)
        if isinstance(rows, AsyncIterable):
            async for row in rows:
                yield _line(row)
        else:
            for row in rows:
                yield _line(row)

    return StreamingResponse(
        lines(),
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
