"""Bulk import of the patent catalogue (from the official register or a data export).

Every row is validated exactly like ``POST /v1/patents`` (same schema, same domain
rules), gets its search columns, and is published as ``PatentRegistered`` through the
outbox, so every service's view of the catalogue fills as it would one by one. Rows go
in with ``COPY`` in chunks, each chunk one transaction; rows already catalogued are
skipped (and not published again); invalid rows are reported, not imported.

``python -m listing.bulk patents.jsonl`` imports a JSON-lines file into the database
of ``LISTING_DATABASE_URL``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import asyncpg
from pydantic import ValidationError

from listing import mapping
from listing.api.catalogue import schemas
from listing.catalogue.service import patent_from
from listing.models import PatentRecord
from listing.repository import CatalogueCopy
from shared.clock import SystemClock
from shared.db.engine import asyncpg_dsn
from shared.domain import InvalidIdentifier
from shared.errors import ProblemError
from shared.events import topics

PATENT_COLUMNS = tuple(c.name for c in PatentRecord.__table__.columns)  # type: ignore[attr-defined]
OUTBOX_COLUMNS = (
    "event_id",
    "topic",
    "partition_key",
    "event_type",
    "source",
    "subject",
    "event_time",
    "actor",
    "payload",
)
SOURCE = "/ipmarket/listing"


@dataclass
class ImportReport:
    imported: int = 0
    skipped: int = 0  # already catalogued
    refused: list[tuple[int, str]] = field(default_factory=list)  # (row number, why)


def catalogue_row(raw: dict[str, Any], registered_by: str) -> tuple[tuple[Any, ...], str]:
    """One validated input row as a ``patents`` row and its event payload; raises
    ``ValueError`` saying what is wrong."""
    try:
        body = schemas.PatentCreate.model_validate(raw)
        patent = patent_from(body.to_command())
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ValueError(problems) from None
    except (InvalidIdentifier, ProblemError) as exc:
        raise ValueError(str(exc)) from None
    values = mapping.catalogue_values(patent, registered_by, SystemClock().now())
    values["patentees"] = json.dumps(values["patentees"], ensure_ascii=False)
    event = mapping.patent_registered(patent)
    # JSON straight from the model (the column is jsonb: its spacing is PostgreSQL's).
    payload = event.model_dump_json()
    if "\\u0000" in payload:
        # PostgreSQL cannot store U+0000: the COPY would fail the whole chunk. The event
        # carries every text of the row, escaped, so one look finds it.
        raise ValueError("a text contains the NUL character (U+0000), which cannot be stored")
    return tuple(values[c] for c in PATENT_COLUMNS), payload


def _outbox_row(number: str, payload: str, actor: str, now: datetime) -> tuple[Any, ...]:
    return (
        str(uuid.uuid4()),
        topics.LISTING,
        number,
        "cn.ipmarket.listing.patent.registered.v1",
        SOURCE,
        number,
        now,
        actor,
        payload,
    )


@dataclass
class _Chunk:
    records: list[tuple[Any, ...]] = field(default_factory=list)
    payloads: dict[str, str] = field(default_factory=dict)
    refused: list[tuple[int, str]] = field(default_factory=list)


def _validate(chunk: list[tuple[int, dict[str, Any]]], registered_by: str) -> _Chunk:
    out = _Chunk()
    for line, raw in chunk:
        try:
            record, payload = catalogue_row(raw, registered_by)
        except ValueError as exc:
            out.refused.append((line, str(exc)))
            continue
        number = record[0]
        if number in out.payloads:
            out.refused.append((line, f"patent {number} appears twice in the import"))
            continue
        out.records.append(record)
        out.payloads[number] = payload
    return out


async def import_patents(
    conn: asyncpg.Connection,
    rows: Iterable[dict[str, Any]],
    *,
    registered_by: str,
    chunk_size: int = 20_000,
) -> ImportReport:
    """Import in chunks; the next chunk is validated (in a thread) while PostgreSQL
    writes the current one, so Python and the database work at the same time."""
    report = ImportReport()
    store = CatalogueCopy(conn, OUTBOX_COLUMNS)
    numbered: Iterator[tuple[int, dict[str, Any]]] = enumerate(rows, start=1)
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-validate") as pool:

        def next_chunk() -> asyncio.Future[_Chunk] | None:
            chunk = list(itertools.islice(numbered, chunk_size))
            return loop.run_in_executor(pool, _validate, chunk, registered_by) if chunk else None

        pending = next_chunk()
        while pending is not None:
            chunk = await pending
            pending = next_chunk()
            report.refused += chunk.refused
            inserted = await _write(store, chunk, registered_by)
            report.imported += inserted
            report.skipped += len(chunk.records) - inserted
    return report


async def _write(store: CatalogueCopy, chunk: _Chunk, actor: str) -> int:
    """COPY the chunk's new patents with their events; how many were new."""

    def events(numbers: list[str]) -> list[tuple[Any, ...]]:
        now = datetime.now(UTC)
        return [_outbox_row(n, chunk.payloads[n], actor, now) for n in numbers]

    try:
        return await store.copy_new(chunk.records, PATENT_COLUMNS, events)
    except asyncpg.UniqueViolationError:
        # Someone catalogued one of these meanwhile: go through a staging table.
        return await store.copy_staged(chunk.records, PATENT_COLUMNS, events)


async def _main(path: str) -> int:
    from listing.config import ListingSettings

    settings = ListingSettings()
    conn = await asyncpg.connect(asyncpg_dsn(settings.database_url))
    try:
        with open(path, encoding="utf-8") as lines:  # noqa: ASYNC230 - a CLI reading its input
            report = await import_patents(
                conn,
                (json.loads(line) for line in lines if line.strip()),
                registered_by="bulk-import",
            )
    finally:
        await conn.close()
    print(
        f"imported {report.imported}, already catalogued {report.skipped}, "
        f"refused {len(report.refused)}"
    )
    for line, why in report.refused[:50]:
        print(f"  line {line}: {why}", file=sys.stderr)
    return 1 if report.refused else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(_main(sys.argv[1])))
