"""Bulk import: use cases. Rows are validated in a worker thread while PostgreSQL writes
the previous chunk; each chunk's patents, their institutions' holdings (coverage) and
their events are COPYed in one transaction (bulk.repository)."""

from __future__ import annotations

import asyncio
import itertools
import json
import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import asyncpg
from pydantic import ValidationError

from listing import mapping
from listing.bulk.repository import PATENT_COLUMNS, SOURCE, CatalogueCopy
from listing.bulk.schemas import PatentCreate
from listing.catalogue.service import patent_from
from listing.coverage.mapping import holding_row
from listing.domain.holding import holdings_of
from listing.domain.patent import Patent
from shared.clock import Clock, SystemClock
from shared.db.outbox_rows import outbox_row
from shared.domain import InvalidIdentifier
from shared.errors import ProblemError
from shared.events.schemas import PatentRegistered
from shared.observability.tracing import current_trace_id

_TOPIC, _EVENT_TYPE = PatentRegistered.topic, PatentRegistered.event_type


@dataclass
class ImportReport:
    imported: int = 0
    skipped: int = 0  # already catalogued
    refused: list[tuple[int, str]] = field(default_factory=list)  # (row number, why)


def catalogue_row(
    raw: dict[str, Any], registered_by: str, now: datetime
) -> tuple[tuple[Any, ...], str]:
    """One validated input row as a ``patents`` row (registered at ``now``) and its event
    payload; raises ``ValueError`` saying what is wrong."""
    record, payload, _ = catalogue_entry(raw, registered_by, now)
    return record, payload


def catalogue_entry(
    raw: dict[str, Any], registered_by: str, now: datetime
) -> tuple[tuple[Any, ...], str, list[tuple[Any, ...]]]:
    """:func:`catalogue_row`, with the patent's institution holdings rows (coverage)."""
    try:
        body = PatentCreate.model_validate(raw)
        patent = patent_from(body.to_command())
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ValueError(problems) from None
    except (InvalidIdentifier, ProblemError) as exc:
        raise ValueError(str(exc)) from None
    return entry_of(patent, registered_by, now)


def entry_of(
    patent: Patent, registered_by: str, now: datetime
) -> tuple[tuple[Any, ...], str, list[tuple[Any, ...]]]:
    """A checked patent's ``patents`` row, ``PatentRegistered`` payload and holdings rows
    (the inventory upload registers patents with this too); ``ValueError`` for a text
    PostgreSQL cannot store."""
    values = mapping.catalogue_values(patent, registered_by, now)
    event = mapping.patent_registered(patent, values)
    values["patentees"] = json.dumps(values["patentees"], ensure_ascii=False)
    # JSON straight from the model (the column is jsonb: its spacing is PostgreSQL's).
    payload = event.model_dump_json()
    if "\\u0000" in payload:
        # PostgreSQL cannot store U+0000: the COPY would fail the whole chunk. The event
        # carries every text of the row, escaped, so one look finds it.
        raise ValueError("a text contains the NUL character (U+0000), which cannot be stored")
    holdings = [holding_row(h) for h in holdings_of(patent)]
    return tuple(values[c] for c in PATENT_COLUMNS), payload, holdings


@dataclass
class _Chunk:
    records: list[tuple[Any, ...]] = field(default_factory=list)
    payloads: dict[str, str] = field(default_factory=dict)
    holdings: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    refused: list[tuple[int, str]] = field(default_factory=list)


def _validate(chunk: list[tuple[int, dict[str, Any]]], registered_by: str, now: datetime) -> _Chunk:
    out = _Chunk()
    for line, raw in chunk:
        try:
            record, payload, holdings = catalogue_entry(raw, registered_by, now)
        except ValueError as exc:
            out.refused.append((line, str(exc)))
            continue
        number = record[0]
        if number in out.payloads:
            out.refused.append((line, f"patent {number} appears twice in the import"))
            continue
        out.records.append(record)
        out.payloads[number] = payload
        out.holdings[number] = holdings
    return out


async def import_patents(
    conn: asyncpg.Connection,
    rows: Iterable[dict[str, Any]],
    *,
    registered_by: str,
    chunk_size: int = 20_000,
    clock: Clock | None = None,
) -> ImportReport:
    """Import in chunks; the next chunk is validated (in a thread) while PostgreSQL
    writes the current one, so Python and the database work at the same time. The
    events are stamped by ``clock`` and belong to the current trace, if any."""
    report = ImportReport()
    store = CatalogueCopy(conn)
    outbox = _Outbox(registered_by, clock or SystemClock(), current_trace_id())
    numbered: Iterator[tuple[int, dict[str, Any]]] = enumerate(rows, start=1)
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-validate") as pool:

        def next_chunk() -> asyncio.Future[_Chunk] | None:
            chunk = list(itertools.islice(numbered, chunk_size))
            if not chunk:
                return None
            return loop.run_in_executor(pool, _validate, chunk, registered_by, outbox.clock.now())

        pending = next_chunk()
        while pending is not None:
            chunk = await pending
            pending = next_chunk()
            report.refused += chunk.refused
            inserted = await _write(store, chunk, outbox)
            report.imported += inserted
            report.skipped += len(chunk.records) - inserted
    return report


@dataclass(frozen=True)
class _Outbox:
    """How an import's ``PatentRegistered`` events go to the outbox."""

    actor: str
    clock: Clock
    trace_id: str | None

    def rows(self, numbers: list[str], payloads: dict[str, str]) -> list[tuple[Any, ...]]:
        """The outbox rows of the patents ``numbers``; the payloads are the JSON text the
        worker thread wrote (the column is jsonb: its spacing is PostgreSQL's)."""
        now = self.clock.now()
        return [
            outbox_row(
                str(uuid.uuid4()),
                _TOPIC,
                n,
                _EVENT_TYPE,
                SOURCE,
                n,
                now,
                self.trace_id,
                self.actor,
                None,
                payloads[n],
            )
            for n in numbers
        ]


async def _write(store: CatalogueCopy, chunk: _Chunk, outbox: _Outbox) -> int:
    """COPY the chunk's new patents with their events; how many were new."""

    def events(numbers: list[str]) -> list[tuple[Any, ...]]:
        return outbox.rows(numbers, chunk.payloads)

    def holdings(numbers: list[str]) -> list[tuple[Any, ...]]:
        return [row for n in numbers for row in chunk.holdings[n]]

    try:
        return await store.copy_new(chunk.records, PATENT_COLUMNS, events, holdings)
    except asyncpg.UniqueViolationError:
        # Someone catalogued one of these meanwhile: go through a staging table.
        return await store.copy_staged(chunk.records, PATENT_COLUMNS, events, holdings)
