"""Coverage benchmark: the inventory coverage figures (盘点覆盖率) through the HTTP API,
answered fresh, beside the bare SQL aggregate over the same tables in the same run.

    .venv/bin/python bench/coverage.py                  # 1,350,000 patents, 2,700 institutions
    .venv/bin/python bench/coverage.py --patents 50000

It starts its own PostgreSQL and Tansu (as bench/catalogue.py does), COPYs synthetic rows
straight into ``patents``, ``institution_holdings`` and ``inventory_records`` (institution
sizes skewed like a real catalogue: a few universities hold tens of thousands of patents,
most institutes a few hundred; regions from where the institutions are; one patent in ten
co-owned by two institutions, one in twelve no longer valid; state-funded patents five
years past grant already flagged, as the daily sweep leaves them), starts the listing
service on them and reports p50/p95 of:
  * GET /v1/inventory/coverage/institutions/{uscc} for the largest institution, and
  * GET /v1/inventory/coverage (the whole country),
each beside the very aggregate the API runs (coverage.queries), sent bare on asyncpg:
one connection, asyncpg's defaults (its statement cache). The two are timed in alternation,
request by request, so whatever else the machine does falls on both alike.
Target: the API's p95 within 1.2x the bare statement's.

Why the flags are loaded set: a catalogue loaded without them is a backlog of hundreds of
thousands of due patents, which the state-funded sweep flags (and publishes) the moment
listing starts, for minutes, on the same cores; the figures would then measure the sweep.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.catalogue import listing_process, pct, row, workspace  # noqa: E402
from bench.http1 import Http1Client  # noqa: E402
from devstack.broker import TansuBroker  # noqa: E402
from devstack.postgres import PostgresServer  # noqa: E402
from listing.coverage.mapping import HOLDING_COLUMNS  # noqa: E402
from listing.coverage.queries import INSTITUTION_SQL, NATIONAL_SQL  # noqa: E402
from listing.domain.funding import flag_due_on, latest_grant_due  # noqa: E402
from shared.auth import OrgType  # noqa: E402
from shared.auth.tokens import issue_token  # noqa: E402
from shared.db.migrations import upgrade_to_head  # noqa: E402
from shared.domain import application_number_check_digit, uscc_check_character  # noqa: E402
from shared.domain.calendar import SHANGHAI  # noqa: E402
from shared.settings import ServiceSettings  # noqa: E402

MIGRATIONS = ROOT / "services" / "listing" / "migrations"
INSTITUTIONS = 2_700
# Where institutions are (GB/T 2260 city or district codes), weighted roughly by how many
# universities and institutes each has.
REGIONS = [
    ("110108", 14), ("110105", 3), ("310104", 6), ("310110", 3), ("320106", 6),
    ("320506", 2), ("330106", 5), ("440106", 5), ("440305", 4), ("420111", 5),
    ("430104", 3), ("510107", 4), ("610113", 4), ("370102", 3), ("210211", 3),
    ("230103", 2), ("120104", 2), ("500106", 2), ("350102", 2), ("340104", 3),
    ("410105", 2), ("360102", 1), ("130104", 1), ("140105", 1), ("620102", 1),
    ("520102", 1), ("530102", 1), ("450103", 1), ("650104", 1), ("460106", 1),
]  # fmt: skip
PATENT_COLUMNS = (
    "application_number", "patent_number", "patent_type", "title", "ipc_codes",
    "industry_codes", "patentees", "region_code", "filing_date", "grant_date", "expiry_date",
    "term_adjustment_days", "legal_status", "annual_fee_status", "suspended",
    "under_preservation", "state_funded", "registered_by_org_id", "search_keys",
    "search_text", "facet_keys", "unexploited_flagged_on", "created_at", "updated_at",
)  # fmt: skip
INVENTORY_COLUMNS = (
    "application_number", "institution_uscc", "institution_name", "inventors", "willingness",
    "intended_modes", "portfolios", "evaluated", "tier", "computed_tier",
    "recorded_by_org_id", "created_at", "updated_at",
)  # fmt: skip


def uscc(serial: int) -> str:
    body = f"12{serial:015d}"
    return body + uscc_check_character(body)


def institutions(rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(uscc, name, party type, region) of each institution."""
    regions = [code for code, weight in REGIONS for _ in range(weight)]
    out = []
    for i in range(INSTITUTIONS):
        kind = "university" if i % 3 else "research_institute"
        name = f"第{i + 1}{'大学' if kind == 'university' else '研究所'}"
        out.append((uscc(100_000 + i), name, kind, rng.choice(regions)))
    return out


def synthetic(count: int, seed: int = 20261206) -> Iterator[tuple[tuple[Any, ...], ...]]:
    """Per patent: its patents row, its holdings rows and its inventory row."""
    rng = random.Random(seed)
    owners = institutions(rng)
    # Zipf-like sizes: the largest institution holds about 3 % of the patents.
    weights = [1 / (rank + 1) ** 0.9 for rank in range(INSTITUTIONS)]
    now = datetime.now(UTC)
    latest_due = latest_grant_due(now.astimezone(SHANGHAI).date())
    tiers = ["A", "B", "B", "C", "C", "C", "D"]
    for i in range(count):
        body = f"{rng.randint(2010, 2023)}1{i:07d}"
        number = f"{body}.{application_number_check_digit(body)}"
        first = rng.choices(range(INSTITUTIONS), weights)[0]
        held = [first]
        if rng.random() < 0.1:
            second = rng.choices(range(INSTITUTIONS), weights)[0]
            if second != first:
                held.append(second)
        valid = rng.random() >= 1 / 12
        region = owners[first][3]
        filed = date(2012, 1, 1) + timedelta(days=rng.randrange(4000))
        granted = filed + timedelta(days=700)
        funded = rng.random() < 0.3
        flagged = flag_due_on(granted) if funded and valid and granted <= latest_due else None
        patentees = [
            {"name": owners[o][1], "uscc": owners[o][0], "share": str(100 // len(held)),
             "party_type": owners[o][2]}
            for o in held
        ]  # fmt: skip
        patent = (
            number, f"ZL{number}", "invention", "一种锂离子电池健康状态在线检测方法",
            ["H01M 10/48"], ["C38"], json.dumps(patentees, ensure_ascii=False), region,
            filed, granted, filed + timedelta(days=7300), 0,
            "valid" if valid else "lapsed", "paid", False, False, funded,
            "bench", [], "", ["unexploited:1"] if flagged else [], flagged, now, now,
        )  # fmt: skip
        holdings = tuple(
            (owners[o][0], number, owners[o][1], owners[o][2], region[:2] + "0000",
             region[:4] + "00", valid, k == 0)
            for k, o in enumerate(held)
        )  # fmt: skip
        evaluated = rng.random() < 0.7
        tier = rng.choice(tiers) if evaluated and rng.random() < 0.85 else None
        inventory = (
            number, owners[first][0], owners[first][1], "[]", "willing", ["license"], [],
            evaluated, tier, tier, "bench", now, now,
        )  # fmt: skip
        yield patent, holdings, inventory


async def load(dsn: str, count: int) -> tuple[str, float]:
    """COPY the synthetic tables; the largest institution's USCC and the seconds taken."""
    conn = await asyncpg.connect(dsn)
    start = time.perf_counter()
    sizes: dict[str, int] = {}
    try:
        batch: tuple[list[Any], list[Any], list[Any]] = ([], [], [])
        for patent, holdings, inventory in synthetic(count):
            batch[0].append(patent)
            batch[1].extend(holdings)
            batch[2].append(inventory)
            for h in holdings:
                sizes[h[0]] = sizes.get(h[0], 0) + 1
            if len(batch[0]) == 50_000:
                await _copy(conn, batch)
                batch = ([], [], [])
        await _copy(conn, batch)
        await conn.execute("VACUUM (ANALYZE)")
    finally:
        await conn.close()
    return max(sizes, key=lambda k: sizes[k]), time.perf_counter() - start


async def _copy(conn: asyncpg.Connection, batch: tuple[list[Any], list[Any], list[Any]]) -> None:
    async with conn.transaction():
        await conn.copy_records_to_table("patents", records=batch[0], columns=PATENT_COLUMNS)
        await conn.copy_records_to_table(
            "institution_holdings", records=batch[1], columns=HOLDING_COLUMNS
        )
        await conn.copy_records_to_table(
            "inventory_records", records=batch[2], columns=INVENTORY_COLUMNS
        )


async def alternated(
    ours: Callable[[], Awaitable[Any]], bare: Callable[[], Awaitable[Any]], times: int
) -> tuple[list[float], list[float]]:
    """Milliseconds of each call, ``times`` of each, one of ours then one bare."""
    await ours()  # warm: plans, caches, connections
    await bare()
    timings: tuple[list[float], list[float]] = ([], [])
    for _ in range(times):
        for call, out in ((ours, timings[0]), (bare, timings[1])):
            start = time.perf_counter()
            await call()
            out.append((time.perf_counter() - start) * 1000)
    return timings


def compare(label: str, timings: tuple[list[float], list[float]]) -> None:
    ours, bare = timings
    ratio = pct(ours, 0.95) / pct(bare, 0.95)
    row(
        label,
        f"{pct(ours, 0.5):.1f} / {pct(ours, 0.95):.1f} ms",
        f"{pct(bare, 0.5):.1f} / {pct(bare, 0.95):.1f} ms",
        f"{ratio:.2f}x",
        "p95 within 1.2x the bare SQL",
    )


async def main(count: int, repeats: int) -> None:
    work = workspace()
    postgres, broker = PostgresServer(work / "postgres"), TansuBroker()
    postgres.start()
    broker.start()
    listing = None
    try:
        postgres.create_database("coverage")
        await asyncio.to_thread(upgrade_to_head, MIGRATIONS, postgres.url("coverage"))
        largest, load_s = await load(postgres.dsn("coverage"), count)
        print(
            f"coverage benchmark: {count:,} inventoried patents at {INSTITUTIONS:,} "
            f"institutions (loaded by COPY in {load_s:.0f} s), PostgreSQL + Tansu on this "
            "machine\n"
        )
        row("measure (p50 / p95)", "API", "bare SQL", "ratio", "target")
        listing = listing_process(postgres, broker, "coverage", work)
        listing.start()
        listing.wait_ready(timeout=120)
        token = issue_token(
            ServiceSettings(), org_id="org-bench", org_name="国家知识产权局",
            org_type=OrgType.REGULATOR, uscc=None,
        )  # fmt: skip
        api = Http1Client(listing.url, headers={"authorization": f"Bearer {token}"})
        bare = await asyncpg.connect(postgres.dsn("coverage"))
        try:

            async def api_get(path: str) -> None:
                reply = await api.get(path)
                assert reply.status == 200, (reply.status, reply.body[:300])

            one = f"/v1/inventory/coverage/institutions/{largest}"
            compare(
                "one institution (the largest)",
                await alternated(
                    lambda: api_get(one),
                    lambda: bare.fetchrow(INSTITUTION_SQL, largest),
                    repeats,
                ),
            )
            compare(
                "the whole country",
                await alternated(
                    lambda: api_get("/v1/inventory/coverage"),
                    lambda: bare.fetchrow(NATIONAL_SQL),
                    max(5, repeats // 4),
                ),
            )
        finally:
            await bare.close()
            await api.aclose()
    finally:
        if listing is not None:
            listing.stop(timeout=15)
        broker.stop()
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patents", type=int, default=1_350_000)
    parser.add_argument("--repeats", type=int, default=100)
    args = parser.parse_args()
    asyncio.run(main(args.patents, args.repeats))
