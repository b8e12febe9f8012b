"""Upload jobs on the real database: received through HTTP, run by the runner with a
trivial handler. Valid rows commit beside failing ones (or none, atomically), a key names
one upload, a crashed or failing attempt neither loses nor doubles a row, and a file too
large is refused before it is read."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from types import SimpleNamespace

import httpx
import pytest
import uvicorn
from sqlalchemy.ext.asyncio import AsyncEngine

from devstack.ports import free_port
from shared.clock import SystemClock
from shared.db.engine import create_engine
from shared.http.idempotency import IdempotencyMiddleware
from shared.uploads import UploadStore
from shared.uploads.jobs import engine_connections
from shared.uploads.runner import RunnerSettings, UploadRunner
from shared.uploads.tables import create_upload_tables
from tests.shared.uploads_app import ThingHandler, things, upload_app
from tests.support.stack import Stack

PROBLEMS = "https://ipmarket.example/problems/"
CSV = {"Content-Type": "text/csv"}


@dataclass
class Uploads:
    engine: AsyncEngine
    store: UploadStore
    handler: ThingHandler
    client: httpx.AsyncClient

    def runner(self, **settings: float) -> UploadRunner:
        defaults = {"batch_size": 2, "retry_after_s": 0.0}
        chosen = RunnerSettings(**{**defaults, **settings})  # type: ignore[arg-type]
        return UploadRunner(self.store, [self.handler], SystemClock(), settings=chosen)

    async def things(self, job_id: str) -> list[tuple[str, str]]:
        async with self.store.connect() as conn:
            rows = await conn.fetch(
                "SELECT number, title FROM things WHERE job_id = $1 ORDER BY number", job_id
            )
        return [(r["number"], r["title"]) for r in rows]

    async def post(self, body: bytes, key: str | None = None, **params: str) -> httpx.Response:
        headers = {**CSV, **({"Idempotency-Key": key} if key else {})}
        return await self.client.post(
            "/v1/things/uploads", content=body, headers=headers, params=params
        )

    async def job(self, job_id: str) -> dict[str, object]:
        answer = await self.client.get(f"/v1/things/uploads/{job_id}")
        assert answer.status_code == 200, answer.text
        return dict(answer.json())


@pytest.fixture(scope="module")
async def setup(stack: Stack) -> AsyncIterator[Uploads]:
    name = f"uploads_{uuid.uuid4().hex[:8]}"
    stack.postgres.create_database(name)
    engine = create_engine(stack.postgres.url(name), 5)
    async with engine.begin() as conn:
        # As a service's migration does (Alembic's op, bound to the migration's connection).
        await conn.run_sync(
            lambda bind: create_upload_tables(SimpleNamespace(get_bind=lambda: bind))
        )
        await conn.run_sync(things.create)
    store = UploadStore(engine_connections(engine))
    app = upload_app(store)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield Uploads(engine, store, ThingHandler(), client)
    await engine.dispose()


@pytest.fixture
def uploads(setup: Uploads) -> Uploads:
    setup.handler = ThingHandler()
    return setup


def csv_of(*rows: str, header: str = "编号,名称") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("gb18030")


async def test_valid_rows_commit_beside_row_errors_and_the_report_names_them(
    uploads: Uploads,
) -> None:
    body = csv_of("P1,电池检测", "P2,", "P3,储能", "p1,重复", "P4," + "长" * 21, "P5,光伏")
    posted = await uploads.post(body)
    assert posted.status_code == 202, posted.text
    job = posted.json()
    assert posted.headers["location"] == job["links"]["self"]
    assert (job["status"], job["rows_total"], job["encoding"]) == ("received", 6, "gb18030")

    assert await uploads.runner().run_pending() == 1
    done = await uploads.job(job["id"])
    assert (done["status"], done["rows_done"], done["rows_committed"], done["rows_failed"]) == (
        "completed_with_errors",
        6,
        3,
        3,
    )
    assert await uploads.things(job["id"]) == [("P1", "电池检测"), ("P3", "储能"), ("P5", "光伏")]

    report = (await uploads.client.get(job["links"]["errors_json"])).json()
    assert report == [
        {"row": 2, "line": 3, "field": "title", "reason": "required"},
        {
            "row": 4,
            "line": 5,
            "field": "number",
            "reason": "P1 appears twice in the file, first at row 1",
        },
        {"row": 5, "line": 6, "field": "title", "reason": "at most 20 characters"},
    ]
    as_csv = await uploads.client.get(job["links"]["errors_csv"])
    assert as_csv.content.startswith(b"\xef\xbb\xbfrow,line,field,reason\r\n2,3,title,required\r\n")
    # The file is dropped once the job ends.
    async with uploads.store.connect() as conn:
        assert (
            await conn.fetchval("SELECT count(*) FROM upload_chunks WHERE job_id = $1", job["id"])
            == 0
        )


async def test_an_atomic_upload_with_a_row_error_commits_nothing_and_keeps_its_report(
    uploads: Uploads,
) -> None:
    posted = await uploads.post(csv_of("A1,x", "A2,y", "A3,", "A4,z"), atomic="true")
    job_id = posted.json()["id"]
    await uploads.runner().run_pending()
    job = await uploads.job(job_id)
    assert (job["status"], job["rows_committed"], job["rows_failed"], job["atomic"]) == (
        "rejected",
        0,
        1,
        True,
    )
    assert await uploads.things(job_id) == []
    report = (await uploads.client.get(f"/v1/things/uploads/{job_id}/errors.json")).json()
    assert report == [{"row": 3, "line": 4, "field": "title", "reason": "required"}]

    clean = await uploads.post(csv_of("B1,x", "B2,y", "B3,z"), atomic="true")
    await uploads.runner().run_pending()
    assert (await uploads.job(clean.json()["id"]))["status"] == "succeeded"
    assert len(await uploads.things(clean.json()["id"])) == 3


async def test_a_key_names_one_upload_the_same_file_replays_another_is_refused(
    uploads: Uploads,
) -> None:
    body = csv_of("K1,x", "K2,y")
    first = await uploads.post(body, key="inventory-2026-12")
    again = await uploads.post(body, key="inventory-2026-12")
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    other = await uploads.post(csv_of("K1,x", "K3,z"), key="inventory-2026-12")
    assert other.status_code == 409
    assert other.json()["type"] == PROBLEMS + "upload-key-reused"
    assert other.json()["upload"] == first.json()["id"]
    # Keys belong to the uploader: another organisation's same key is its own upload.
    elsewhere = await uploads.client.post(
        "/v1/things/uploads",
        content=body,
        headers={**CSV, "Idempotency-Key": "inventory-2026-12", "x-org": "org-2"},
    )
    assert elsewhere.status_code == 202
    assert elsewhere.json()["id"] != first.json()["id"]


async def test_a_failing_attempt_is_undone_and_the_next_resumes_without_doubles(
    uploads: Uploads,
) -> None:
    job_id = (await uploads.post(csv_of(*(f"R{i},t{i}" for i in range(1, 8))))).json()["id"]
    # The second batch writes, then raises: rolled back; the retry resumes at row 3.
    uploads.handler.fail_once_on_batch = 2
    runner = uploads.runner()
    await runner.run_pending()
    job = await uploads.job(job_id)
    assert (job["status"], job["rows_committed"]) == ("succeeded", 7)
    assert uploads.handler.batches[job_id] == 5  # four batches of two, the second twice
    assert [n for n, _ in await uploads.things(job_id)] == [f"R{i}" for i in range(1, 8)]


async def test_a_job_whose_handler_keeps_failing_ends_failed_with_the_reason(
    uploads: Uploads,
) -> None:
    job_id = (await uploads.post(csv_of("F1,x", "F2,y", "F3,z"))).json()["id"]
    uploads.handler.always_fail = True
    await uploads.runner(max_attempts=2).run_pending()
    job = await uploads.job(job_id)
    assert job["status"] == "failed"
    assert (
        job["failure"] == "gave up after 2 attempts; the last: RuntimeError: the database went away"
    )
    assert await uploads.things(job_id) == []


async def test_a_worker_that_dies_mid_job_is_resumed_by_another_once_its_lease_expires(
    uploads: Uploads,
) -> None:
    job_id = (await uploads.post(csv_of(*(f"D{i},t" for i in range(1, 6))))).json()["id"]
    uploads.handler.hold = asyncio.Event()
    dying = asyncio.create_task(uploads.runner(lease_s=0.5).run_pending())
    # Progress is readable while it runs: the first batch committed, the second holds.
    for _ in range(100):
        if (await uploads.job(job_id))["rows_done"] == 2:
            break
        await asyncio.sleep(0.02)
    running = await uploads.job(job_id)
    assert (running["status"], running["rows_done"], running["rows_total"]) == ("running", 2, 5)
    dying.cancel()  # the process dies: no release, its open batch rolls back
    await asyncio.gather(dying, return_exceptions=True)
    uploads.handler.hold = None

    other = uploads.runner()
    assert await other.run_pending() == 0  # the lease still holds
    await asyncio.sleep(0.6)
    assert await other.run_pending() == 1
    job = await uploads.job(job_id)
    assert (job["status"], job["rows_committed"]) == ("succeeded", 5)
    assert [n for n, _ in await uploads.things(job_id)] == [f"D{i}" for i in range(1, 6)]


async def test_bad_files_are_refused_whole_naming_the_field(uploads: Uploads) -> None:
    header = await uploads.post(csv_of("X1,x", header="编号,颜色"))
    assert header.status_code == 422
    assert header.json()["type"] == PROBLEMS + "upload-header-invalid"
    assert header.json()["field"] == "颜色"
    many = await uploads.post(csv_of(*(f"M{i}," for i in range(1001))))
    assert (many.status_code, many.json()["type"]) == (413, PROBLEMS + "upload-too-many-rows")
    utf16 = await uploads.post("编号,名称\r\nU1,x\r\n".encode("utf-16"))
    assert (utf16.status_code, utf16.json()["field"]) == (422, "encoding")
    as_json = await uploads.client.post("/v1/things/uploads", json={"number": "J1"})
    assert as_json.status_code == 415

    async def endless() -> AsyncIterator[bytes]:  # no Content-Length: counted as it comes
        for _ in range(100):
            yield b"Z1,x\r\n" * 200

    chunked = await uploads.client.post("/v1/things/uploads", content=endless(), headers=CSV)
    assert (chunked.status_code, chunked.json()["type"]) == (413, PROBLEMS + "upload-too-large")
    async with uploads.store.connect() as conn:
        assert await conn.fetchval("SELECT count(*) FROM upload_jobs WHERE rows_total = 0") == 0


async def test_a_declared_size_over_the_limit_is_refused_before_the_body_is_read(
    setup: Uploads,
) -> None:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            upload_app(setup.store),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
        )
    )
    serving = asyncio.create_task(server.serve())
    try:
        for _ in range(500):
            if server.started:
                break
            await asyncio.sleep(0.01)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            b"POST /v1/things/uploads HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
            b"Content-Length: 209715200\r\n\r\n"  # 200 MB announced, not one byte sent
        )
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), 5)
        assert status.startswith(b"HTTP/1.1 413")
        writer.close()
    finally:
        server.should_exit = True
        await serving


def test_the_idempotency_middleware_leaves_upload_routes_alone(setup: Uploads) -> None:
    app = upload_app(setup.store)
    middleware = IdempotencyMiddleware(app)
    assert middleware._leaves_alone({"app": app, "path": "/v1/things/uploads"})
    assert not middleware._leaves_alone({"app": app, "path": "/v1/things/uploads/1/errors.csv"})
