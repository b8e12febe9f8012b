"""Bulk import: validated like the API, searchable, published, idempotent."""

from __future__ import annotations

import asyncpg
import httpx

from listing.bulk.repository import PATENT_COLUMNS, CatalogueCopy
from listing.bulk.service import catalogue_row, import_patents
from listing.config import ListingSettings
from shared.auth import OrgType
from shared.clock import SystemClock
from shared.db.engine import asyncpg_dsn
from shared.events import topics
from shared.observability.tracing import parse_trace_id
from tests.listing.factories import patent_body
from tests.support.stack import application_number, org, read_topic


async def test_rows_are_validated_indexed_and_published_once(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.RESEARCH_INSTITUTE, "中国科学院大连化学物理研究所")
    good = [
        patent_body(
            owner,
            application_number=application_number(2020, 1),
            title=f"一种液流电池电堆{i}号结构",
            abstract=None,
        )
        for i in range(3)
    ]
    existing = patent_body(owner, application_number=application_number(2020, 1))
    created = await listing_client.post(
        "/v1/patents", json=existing, headers=owner.headers(listing_settings)
    )
    assert created.status_code == 201
    rows = [
        *good,
        {**good[0]},  # twice in one file
        {**good[1], "application_number": "202010000001.0"},  # wrong check digit
        {**good[2], "ipc_codes": ["H01M10"]},  # not an IPC symbol
        existing,
    ]
    conn = await asyncpg.connect(asyncpg_dsn(listing_settings.database_url))
    try:
        report = await import_patents(conn, rows, registered_by="bulk-test")
        again = await import_patents(conn, good, registered_by="bulk-test", chunk_size=2)
    finally:
        await conn.close()
    assert report.imported == 3
    assert report.skipped == 1
    assert [line for line, _ in report.refused] == [4, 5, 6]
    assert "appears twice" in report.refused[0][1]
    assert "check digit" in report.refused[1][1]
    assert "ipc_codes" in report.refused[2][1]
    assert (again.imported, again.skipped) == (0, 3)

    numbers = {row["application_number"] for row in good}
    events = await read_topic(
        listing_settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda es: numbers <= {e.subject for e in es},
    )
    registered = [e for e in events if e.subject in numbers]
    assert len(registered) == 3
    assert {e.type for e in registered} == {"cn.ipmarket.listing.patent.registered.v1"}
    # H01M 10 (secondary cells) is a main-group row of the concordance: C3841.
    assert registered[0].data["industry_codes"] == ["C3841"]
    assert {e.data["title"] for e in registered} == {row["title"] for row in good}
    hits = await listing_client.get(
        "/v1/search/patents",
        params={"q": "液流电池电堆", "sort": "newest"},
        headers=owner.headers(listing_settings),
    )
    assert numbers <= {h["application_number"] for h in hits.json()["items"]}


async def test_a_row_with_a_nul_character_is_refused_alone(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "四川大学")
    rows = [
        patent_body(owner, application_number=application_number(2021, 1), abstract=text)
        for text in ("一种钙钛矿电池封装方法", "封装\u0000方法", "一种钙钛矿叠层电池")
    ]
    conn = await asyncpg.connect(asyncpg_dsn(listing_settings.database_url))
    try:
        report = await import_patents(conn, rows, registered_by="bulk-test")
    finally:
        await conn.close()
    assert report.imported == 2
    assert [line for line, _ in report.refused] == [2]
    assert "NUL" in report.refused[0][1]


async def test_the_staging_path_skips_what_was_catalogued_meanwhile(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    """When a COPY collides with a patent catalogued concurrently, the chunk goes through
    a staging table: the new rows are written with their events, the others skipped."""
    owner = org(OrgType.UNIVERSITY, "大连理工大学")
    rows = [
        patent_body(owner, application_number=application_number(2021, 1), abstract=None)
        for _ in range(2)
    ]
    created = await listing_client.post(
        "/v1/patents", json=rows[0], headers=owner.headers(listing_settings)
    )
    assert created.status_code == 201
    records = [catalogue_row(r, "bulk-test", SystemClock().now()) for r in rows]
    conn = await asyncpg.connect(asyncpg_dsn(listing_settings.database_url))
    try:
        store = CatalogueCopy(conn)
        published: list[list[str]] = []

        def events(numbers: list[str]) -> list[tuple[object, ...]]:
            published.append(numbers)
            return []

        written = await store.copy_staged([r for r, _ in records], PATENT_COLUMNS, events)
    finally:
        await conn.close()
    assert written == 1
    assert published == [[rows[1]["application_number"]]]


async def test_its_outbox_rows_are_written_like_the_unit_of_work_s(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    """One outbox-row builder for both writers: an imported patent's event carries a
    trace context and its actor, like an event a use case emits."""
    owner = org(OrgType.UNIVERSITY, "西北工业大学")
    row = patent_body(owner, application_number=application_number(2022, 1), abstract=None)
    conn = await asyncpg.connect(asyncpg_dsn(listing_settings.database_url))
    try:
        report = await import_patents(conn, [row], registered_by="bulk-test")
        written = await conn.fetchrow(
            "SELECT event_type, source, actor, traceparent, origin_platform FROM outbox"
            " WHERE subject = $1",
            row["application_number"],
        )
    finally:
        await conn.close()
    assert report.imported == 1
    assert written is not None
    assert written["event_type"] == "cn.ipmarket.listing.patent.registered.v1"
    assert (written["source"], written["actor"]) == ("/ipmarket/listing", "bulk-test")
    assert parse_trace_id(written["traceparent"]) is not None
    assert written["origin_platform"] is None
