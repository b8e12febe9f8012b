"""Listing's relevance engine in process: call tantivy directly or in a thread?

Indexes ``--count`` synthetic patents (bench.catalogue.patents) with listing's own
SearchIndex, then serves 2-, 3- and 4-character keywords (half of them with the IPC and
region filters) to 16 concurrent asyncio clients, calling ``SearchIndex.search`` directly
on the event loop and through ``asyncio.to_thread``; and runs the same searches on one
and two plain threads, which tells whether tantivy-py releases the GIL while it
searches. Figures in docs/listing.md. ``python -m bench.search_engine --count 200000``.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from bench.catalogue import FILTERS, KEYWORDS, patents, pct
from listing.domain.search import facet_keys
from listing.search.engine.index import EngineQuery, SearchDocument, SearchIndex

CLIENTS = 16


def queries() -> list[EngineQuery]:
    facets = (frozenset({f"ipc:{FILTERS['ipc']}"}), frozenset({f"region:{FILTERS['region']}"}))
    return [
        EngineQuery(keywords=(word,), facets=facets if filtered else ())
        for words in KEYWORDS.values()
        for word in words
        for filtered in (False, True)
    ]


def build(index: SearchIndex, count: int) -> float:
    started = time.perf_counter()
    batch: list[SearchDocument] = []
    for p in patents(count):
        keys = facet_keys(
            ipc_codes=p["ipc_codes"],
            industry_codes=[],
            region_code=p["region_code"],
            patent_type="invention",
            patentee_types=[p["patentees"][0]["party_type"]],
            legal_status="valid",
            payment_mode=None,
        )
        text = p["title"] + p["abstract"]
        filed = date.fromisoformat(p["filing_date"])
        batch.append(SearchDocument(p["application_number"], text, tuple(keys), filed))
        if len(batch) == 10_000:
            index.apply(batch)
            batch = []
    index.apply(batch)
    return time.perf_counter() - started


async def clients(index: SearchIndex, threaded: bool, seconds: float) -> tuple[float, float]:
    wanted = queries()
    samples: list[float] = []
    deadline = time.perf_counter() + seconds

    async def client(c: int) -> None:
        i = c
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            query = wanted[i % len(wanted)]
            if threaded:
                await asyncio.to_thread(index.search, query)
            else:
                index.search(query)
                await asyncio.sleep(0)
            samples.append(time.perf_counter() - started)
            i += CLIENTS

    await asyncio.gather(*(client(c) for c in range(CLIENTS)))
    return len(samples) / seconds, pct(samples, 0.95) * 1000


def threads(index: SearchIndex, count: int, seconds: float) -> float:
    wanted = queries()
    done = [0] * count
    deadline = time.perf_counter() + seconds

    def run(t: int) -> None:
        i = t
        while time.perf_counter() < deadline:
            index.search(wanted[i % len(wanted)])
            done[t] += 1
            i += count

    workers = [threading.Thread(target=run, args=(t,)) for t in range(count)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(done) / seconds


def main(count: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory() as directory:
        index = SearchIndex(Path(directory) / "patents")
        took = build(index, count)
        print(f"indexed {count} patents in {took:.1f} s")
        for n in (1, 2):
            print(f"{n} plain thread(s): {threads(index, n, seconds):,.0f} searches/s")
        for threaded in (False, True):
            rate, p95 = asyncio.run(clients(index, threaded, seconds))
            how = "asyncio.to_thread" if threaded else "direct call     "
            print(f"{CLIENTS} clients, {how}: {rate:,.0f} searches/s, p95 {p95:.2f} ms")
        index.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    main(args.count, args.seconds)
