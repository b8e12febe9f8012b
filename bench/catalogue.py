"""Catalogue benchmark: bulk import, search, GET-by-id and declaration submits, each
printed beside a baseline measured in the same run on the same machine.

    .venv/bin/python bench/catalogue.py     # 1,000,000 imported, search on 5,000,000
    .venv/bin/python bench/catalogue.py --patents 20000 --search-patents 100000  # quick

It starts its own PostgreSQL and Tansu (like `make run`), loads a synthetic catalogue of
realistic Chinese titles, abstracts and IPC symbols, and compares:
  * validated bulk import (listing.bulk: API validation, search columns, outbox events)
    vs raw COPY of the finished rows into the same table with the same indexes;
  * the search table topped up to ``--search-patents`` by raw COPY without events (the
    operator's fast path, bench/catalogue_scale.py);
  * search p50/p95/p99 through the HTTP API vs the bare SQL query (one statement: the
    keyword's bigrams and the filters against the search index, substring confirmed,
    sorted, first page) on the raw-COPY table, for 2-, 3- and 4-character keywords, with
    and without filters, at 1 and 16 concurrent clients; and, to show what the API
    itself costs, vs the very statements the API runs, sent bare;
  * relevance-sorted search: listing's engine in process vs tantivy-py on the same index,
    HTTP beside (bench/catalogue_relevance.py); nDCG@10 on a labelled set vs tantivy
    BM25 (bench/relevance.py);
  * GET /v1/patents/{n} vs a bare FastAPI + asyncpg endpoint (requests/s, 16 clients);
  * declaration submits per second through the API (every refusal rule checked).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.catalogue_data import (  # noqa: E402
    FILTERS,
    KEYWORDS,
    OWNER_USCC,
    OWNERS,
    patents,
)
from bench.catalogue_relevance import relevance_rows, wait_for_index  # noqa: E402
from bench.catalogue_scale import top_up  # noqa: E402
from bench.http1 import Http1Client  # noqa: E402
from bench.relevance import evaluate, print_figures  # noqa: E402
from bench.timing import latencies, pct, percentiles, row, throughput  # noqa: E402
from devstack.broker import TansuBroker  # noqa: E402
from devstack.ports import free_port  # noqa: E402
from devstack.postgres import PostgresServer  # noqa: E402
from devstack.processes import ServiceProcess  # noqa: E402
from devstack.services import SERVICES, service_process  # noqa: E402
from listing.bulk.repository import PATENT_COLUMNS  # noqa: E402
from listing.bulk.service import catalogue_row, import_patents  # noqa: E402
from listing.config import ListingSettings  # noqa: E402
from listing.domain.search import (  # noqa: E402
    PatentQuery,
    keywords,
    window_size,
)
from listing.search.queries import CatalogueSearch, search_sql  # noqa: E402
from shared.auth import OrgType  # noqa: E402
from shared.auth.tokens import issue_token  # noqa: E402
from shared.db.engine import create_read_pool  # noqa: E402
from shared.db.migrations import upgrade_to_head  # noqa: E402
from shared.settings import ServiceSettings  # noqa: E402

MIGRATIONS = ROOT / "services" / "listing" / "migrations"


async def settle(dsn: str, count: int) -> float:
    """Wait until listing has published the import's events and its timeline consumer
    has taken them (it reads its own topic), then VACUUM like autovacuum would: search
    is measured on a service at rest, not one digesting a million events on the same
    two cores. Returns the seconds that took."""
    start = time.perf_counter()
    conn = await asyncpg.connect(dsn)
    try:
        while True:
            unpublished = await conn.fetchval(
                "SELECT count(*) FROM outbox WHERE published_at IS NULL"
            )
            if unpublished == 0 and await conn.fetchval(
                "SELECT count(*) >= $1 FROM patent_timeline", count
            ):
                break
            await asyncio.sleep(2)
        elapsed = time.perf_counter() - start
        await conn.execute("VACUUM (ANALYZE)")
        return elapsed
    finally:
        await conn.close()


def listing_process(
    postgres: PostgresServer,
    broker: TansuBroker,
    database: str,
    work: Path,
    env: dict[str, str] | None = None,
) -> ServiceProcess:
    """The listing service as ``make run`` starts it, on ``database`` (not started yet);
    ``env``: more settings, named without the ``LISTING_`` prefix."""
    definition = next(d for d in SERVICES if d.name == "listing")
    return service_process(
        definition,
        database_url=postgres.url(database),
        bootstrap=broker.bootstrap_servers,
        port=free_port(),
        log_dir=work,
        extra_env={"LOG_LEVEL": "WARNING", **(env or {})},
    )


def workspace() -> Path:
    """A temporary folder PostgreSQL (run as an unprivileged user) can enter."""
    work = Path(tempfile.mkdtemp(prefix="ipmarket-bench-"))
    work.chmod(0o777)
    return work


async def main(count: int, search_count: int, relevance_count: int) -> None:
    work = workspace()
    postgres, broker = PostgresServer(work / "postgres"), TansuBroker()
    processes: list[ServiceProcess] = []
    children: list[asyncio.subprocess.Process] = []
    postgres.start()
    broker.start()
    try:
        for name in ("raw", "imported"):
            postgres.create_database(name)
            await asyncio.to_thread(upgrade_to_head, MIGRATIONS, postgres.url(name))
        search_count = max(search_count, count)
        print(
            f"catalogue benchmark: {count:,} synthetic patents imported, search on "
            f"{search_count:,}, PostgreSQL + Tansu on this machine\n"
        )
        row("measure", "ours", "baseline", "ratio", "target")

        # -- import ---------------------------------------------------------------
        raw = await asyncpg.connect(postgres.dsn("raw"))
        copy_s = 0.0
        registered_at = datetime.now(UTC)
        batch: list[tuple[Any, ...]] = []
        for item in patents(count):
            batch.append(catalogue_row(item, "bench", registered_at)[0])
            if len(batch) == 20_000:
                start = time.perf_counter()
                await raw.copy_records_to_table("patents", records=batch, columns=PATENT_COLUMNS)
                copy_s += time.perf_counter() - start
                batch = []
        if batch:
            start = time.perf_counter()
            await raw.copy_records_to_table("patents", records=batch, columns=PATENT_COLUMNS)
            copy_s += time.perf_counter() - start
        await raw.close()
        rows = list(patents(count))
        imported = await asyncpg.connect(postgres.dsn("imported"))
        start = time.perf_counter()
        report = await import_patents(imported, rows, registered_by="bench")
        import_s = time.perf_counter() - start
        assert report.imported == count, report
        # Steady state before measuring, for both tables alike: what autovacuum would do
        # after a bulk load anyway (and would otherwise do in the middle of the search runs).
        for name in ("raw", "imported"):
            conn = await asyncpg.connect(postgres.dsn(name))
            await conn.execute("VACUUM (ANALYZE) patents")
            await conn.close()
        row(
            "bulk import (rows/s)",
            f"{count / import_s:,.0f}",
            f"{count / copy_s:,.0f}",
            f"{import_s / copy_s:.2f}x",
            "ours within 4x raw COPY (time)",
        )
        del rows
        if search_count > count:
            top_up_s = await top_up(
                [postgres.dsn(n) for n in ("raw", "imported")], count, search_count
            )
            row(
                f"top up to {search_count:,} (rows/s)",
                f"{(search_count - count) / top_up_s:,.0f}",
                f"{top_up_s:,.0f} s",
                "",
                "raw COPY into both tables, no events",
            )

        # -- services -------------------------------------------------------------
        index_root = work / "search-index"
        index_dir = index_root / "patents"  # listing's follower: one folder per source
        listing = listing_process(
            postgres, broker, "imported", work, {"SEARCH_INDEX_DIR": str(index_root)}
        )
        bare_port = free_port()
        bare_cmd = [
            sys.executable,
            str(ROOT / "bench" / "bare_app.py"),
            str(bare_port),
            postgres.dsn("imported"),
        ]
        listing.start()
        processes.append(listing)
        bare_proc = await asyncio.create_subprocess_exec(*bare_cmd, cwd=ROOT)
        children.append(bare_proc)
        try:
            listing.wait_ready(timeout=120)
        except Exception:
            # The workspace, and the log with it, goes when the run ends.
            print((work / "listing.log").read_text()[-4000:], file=sys.stderr)
            raise
        settle_s = await settle(postgres.dsn("imported"), count)
        row(
            "import events out + in timeline (/s)",
            f"{count / settle_s:,.0f}",
            f"{settle_s:,.0f} s",
            "",
            "done before search is measured",
        )
        settings = ServiceSettings()
        university = OWNERS[0]
        token = issue_token(
            settings,
            org_id="org-bench",
            org_name=university[0],
            org_type=OrgType.UNIVERSITY,
            uscc=OWNER_USCC[0],
        )
        # Every HTTP figure is taken with a lean client (bench/http1.py): httpx would spend
        # ~0.8 ms of CPU per request on the same two cores, more than a search statement.
        api = Http1Client(listing.url, headers={"authorization": f"Bearer {token}"})
        bare_http = Http1Client(f"http://127.0.0.1:{bare_port}")
        try:
            for _ in range(100):
                try:
                    if (await bare_http.get("/patents/x")).status == 404:
                        break
                except OSError:
                    await asyncio.sleep(0.2)
            # listing's follower builds its index from the catalogue as listing starts:
            # every row waits for it, not only relevance's, so that none is measured
            # beside the build.
            start = time.perf_counter()
            status = await wait_for_index(api, timeout_s=3600)
            if status != 200:
                raise SystemExit(f"relevance search answered {status}, not 200")
            waited = time.perf_counter() - start
            print(f"\nlisting's relevance index built in {waited:,.0f} s after listing started")
            # The bare query runs like the API's index statement (shared.db.engine): its
            # session settings, and no reset query after each statement. (asyncpg's
            # default reset is a round trip per query; up to the ninth run the bare
            # queries paid it and the API's did not.) Its rows come as PostgreSQL sends
            # them: no JSON decoding.
            search_settings = {"work_mem": ListingSettings().search_work_mem}

            async def keep_session(_conn: asyncpg.Connection) -> None:
                pass

            raw_pool = await asyncpg.create_pool(
                postgres.dsn("raw"),
                min_size=16,
                max_size=16,
                server_settings={**search_settings, "plan_cache_mode": "force_custom_plan"},
                reset=keep_session,
            )
            assert raw_pool is not None
            # The API's own statements go through its own read pools.
            window_pool, index_pool = [
                await create_read_pool(
                    postgres.url("imported"), 16, search_settings, generic_plans=generic
                )
                for generic in (True, False)
            ]
            window = window_size(20, search_count)  # as the API computes it for this catalogue
            same_search = CatalogueSearch(window_pool, index_pool)
            print(
                "\nsearch: ms p50/p95/p99; bare = one SQL statement on the raw-COPY table; "
                "the last column sends the API's own statements bare (its overhead)"
            )

            # -- search -----------------------------------------------------------
            for clients in (1, 16):
                for length, words in KEYWORDS.items():
                    for filtered in (False, True):
                        params = dict(FILTERS) if filtered else {}

                        def query(i: int, f: bool = filtered, w: list[str] = words) -> PatentQuery:
                            facets = (frozenset({"ipc:H01M"}), frozenset({"region:44"}))
                            return PatentQuery(
                                keywords=keywords(w[i % len(w)]), facets=facets if f else ()
                            )

                        async def via_api(
                            i: int, p: dict[str, str] = params, w: list[str] = words
                        ) -> None:
                            q = {"q": w[i % len(w)], "sort": "newest", **p}
                            r = await api.get("/v1/search/patents", q)
                            assert r.status == 200, r.body

                        async def bare_query(i: int, q: Any = query) -> None:
                            # What the database is asked without the service: one statement,
                            # the hit columns as rows (the API has its hits written as JSON).
                            await raw_pool.fetch(*search_sql(q(i), window, as_json=False)[1])

                        async def same_statements(i: int, q: Any = query) -> None:
                            # The API's own search code and statements, without HTTP and auth.
                            await same_search.search(q(i))

                        per = 240 if clients == 1 else 30
                        for warm_up in (via_api, bare_query, same_statements):
                            await latencies(warm_up, clients, 5)
                        ours = await latencies(via_api, clients, per)
                        base = await latencies(bare_query, clients, per)
                        same = await latencies(same_statements, clients, per)
                        label = (
                            f"search {length}-char{' +filters' if filtered else ''}, "
                            f"{clients} client{'s' if clients > 1 else ''}"
                        )
                        row(
                            label,
                            percentiles(ours),
                            percentiles(base),
                            f"{pct(ours, 0.95) / pct(base, 0.95):.2f}x",
                            "ours p95 within 1.2x bare",
                            "API's SQL bare "
                            + percentiles(same)
                            + f" ({pct(ours, 0.95) / pct(same, 0.95):.2f}x)",
                        )
            # -- relevance -----------------------------------------------------------
            await relevance_rows(api, index_dir, window_pool, search_count)
            print_figures(evaluate(relevance_count, 40), row)
            print()

            # -- GET by id ----------------------------------------------------------
            sample = [p["application_number"] for p in patents(min(count, 5000))]

            async def get_api(i: int) -> None:
                r = await api.get(f"/v1/patents/{sample[i % len(sample)]}")
                assert r.status == 200

            async def get_bare(i: int) -> None:
                r = await bare_http.get(f"/patents/{sample[i % len(sample)]}")
                assert r.status == 200

            await throughput(get_api, 4, 1)
            ours_rps = await throughput(get_api, 16, 5)
            bare_rps = await throughput(get_bare, 16, 5)
            row(
                "GET patent by id, 16 clients (req/s)",
                f"{ours_rps:,.0f}",
                f"{bare_rps:,.0f}",
                f"{ours_rps / bare_rps:.2f}x",
                "ours at least 0.6x bare",
            )

            # -- declaration submits ------------------------------------------------
            owned = [
                p["application_number"]
                for p in patents(min(count, 20000))
                if p["patentees"][0]["uscc"] == OWNER_USCC[0]
            ][:400]
            drafts: list[str] = []
            for number in owned:
                r = await api.post(
                    "/v1/declarations",
                    {
                        "application_number": number,
                        "terms": {
                            "payment_mode": "running_royalty",
                            "royalty_base": "net_sales",
                            "royalty_rate": "3.5",
                            "term_start": "2027-01-01",
                            "term_end": "2030-12-31",
                        },
                        "contact": "技术转移研究院 010-62780000",
                    },
                )
                assert r.status == 201, r.body
                drafts.append(r.json()["id"])

            async def submit(i: int) -> None:
                r = await api.post(f"/v1/declarations/{drafts[i]}/submit")
                assert r.status == 200, r.body

            per_client = len(drafts) // 16
            start = time.perf_counter()
            await latencies(submit, 16, per_client)
            rate = 16 * per_client / (time.perf_counter() - start)
            row(
                "declaration submits, 16 clients (/s)",
                f"{rate:,.0f}",
                f"{bare_rps:,.0f}",
                f"{rate / bare_rps:.2f}x",
                "baseline: bare GET req/s",
            )
            for pool in (raw_pool, window_pool, index_pool):
                await pool.close()
        finally:
            await api.aclose()
            await bare_http.aclose()
        print(f"\nTansu {broker.version}; every figure above comes from this one run.")
    finally:
        for child in children:
            if child.returncode is None:
                child.terminate()
                await child.wait()
        for p in processes:
            p.stop()
        broker.stop()
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)  # ~9 GB for a million patents


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patents", type=int, default=1_000_000, help="imported (timed)")
    parser.add_argument(
        "--search-patents", type=int, default=5_000_000, help="topped up by raw COPY"
    )
    parser.add_argument("--relevance-patents", type=int, default=30_000, help="labelled set")
    args = parser.parse_args()
    asyncio.run(main(args.patents, args.search_patents, args.relevance_patents))
