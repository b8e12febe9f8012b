"""The catalogue benchmark's relevance rows: relevance-sorted search three ways on one
index directory, at 1 and 16 clients, for 2-, 3- and 4-character keywords and two-keyword
queries, each without and with filters:
  * ours: ``GET /v1/search/patents?q=...&sort=relevance`` over HTTP;
  * API's code bare: listing's engine in process on a reader of listing's index
    directory, and the hits' rows fetched from PostgreSQL (bench.search_index's
    ``ServiceEngine``), without HTTP;
  * tantivy: tantivy-py on the same directory, the same query built by hand, the first
    page's ids (the baseline; the target is API's code bare p95 within 2x of it);
  * engine alone, beside them: listing's engine search without the hits' rows (what the
    PostgreSQL read of the page adds to API's code bare).
Engine and baseline alike search in the event loop's thread, as listing's process runs
the engine (handing each search to a thread pool did not run them in parallel here).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import asyncpg

from bench.catalogue_data import FILTER_KEYS, FILTERS, KEYWORDS, TWO_KEYWORDS
from bench.http1 import Http1Client
from bench.search_index import Baseline, Search, ServiceEngine, find_index
from bench.timing import latencies, pct, percentiles, row

QUERIES = {**{f"{n}-char": words for n, words in KEYWORDS.items()}, "two-keyword": TWO_KEYWORDS}
PATH = "/v1/search/patents"


async def wait_for_index(api: Http1Client, timeout_s: float) -> int:
    """Poll a relevance search until listing's index has caught up (200, not 503); the
    last status."""
    deadline = time.perf_counter() + timeout_s
    while True:
        status = (await api.get(PATH, {"q": "电池", "sort": "relevance"})).status
        if status != 503 or time.perf_counter() > deadline:
            return status
        await asyncio.sleep(0.5)


async def relevance_rows(api: Http1Client, index: Path, pool: asyncpg.Pool, documents: int) -> None:
    """The rows on listing's index directory ``index`` (once it holds ``documents``);
    ``pool`` reads the hits (as the API's generic-plan read pool)."""
    engine = ServiceEngine(index, pool)
    for _ in range(1200):  # listing answered once its reader saw the catch-up commit
        if engine.count() >= documents:
            break
        await asyncio.sleep(0.5)
    baseline = Baseline(index)
    print(f"\nindex {find_index(index)}: {engine.count():,} documents")
    print(
        "\nrelevance search: ms p50/p95/p99; ours = HTTP; API's code bare = listing's engine "
        "in process + the hits' rows; baseline = tantivy-py on the same index"
    )
    for clients in (1, 16):
        for kind, texts in QUERIES.items():
            for filtered in (False, True):
                searches = [Search(t, FILTER_KEYS if filtered else ()) for t in texts]
                params = dict(FILTERS) if filtered else {}

                async def via_api(i: int, p: dict[str, str] = params, t: list[str] = texts):
                    r = await api.get(PATH, {"q": t[i % len(t)], "sort": "relevance", **p})
                    assert r.status == 200, r.body

                async def code_bare(i: int, s: list[Search] = searches) -> None:
                    # As the API runs it: in the event loop of listing's process.
                    await engine.search(s[i % len(s)])

                async def engine_alone(i: int, s: list[Search] = searches) -> None:
                    await asyncio.sleep(0)
                    engine.ids(s[i % len(s)])

                async def tantivy_bare(i: int, s: list[Search] = searches) -> None:
                    # Clients take turns, as requests queue for a server's event loop.
                    await asyncio.sleep(0)
                    baseline.ids(baseline.design_query(s[i % len(s)]))

                per = 240 if clients == 1 else 30
                for warm_up in (via_api, code_bare, engine_alone, tantivy_bare):
                    await latencies(warm_up, clients, 5)
                ours = await latencies(via_api, clients, per)
                bare = await latencies(code_bare, clients, per)
                alone = await latencies(engine_alone, clients, per)
                base = await latencies(tantivy_bare, clients, per)
                label = (
                    f"relevance {kind}{' +filters' if filtered else ''}, "
                    f"{clients} client{'s' if clients > 1 else ''}"
                )
                row(
                    label,
                    percentiles(bare),
                    percentiles(base),
                    f"{pct(bare, 0.95) / pct(base, 0.95):.2f}x",
                    "API's code bare p95 within 2x",
                    f"engine alone {percentiles(alone)}; HTTP {percentiles(ours)}",
                )
