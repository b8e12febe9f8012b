"""Matching's full re-match through the service, beside the bare BM25 library in the same
run.

    .venv/bin/python bench/matching_service.py                       # 1,350,000 x 110,000
    .venv/bin/python bench/matching_service.py --patents 135000 --enterprises 11000

The synthetic patents and enterprise profiles of bench/matching.py (fixed seeds,
segmented here, timed apart: the service stores the tokens) are COPYed into matching's
own database, as its catalogue and profiles would hold them; then, in the same run:
  * bare: bm25s's index of the enterprises, each matchable patent's query scored over
    all of them, its candidates (the enterprises of its industry divisions, handed to it
    ready made) picked out and its top 20 taken, in this process, nothing written;
  * the service: the matching process as `make run` starts it; the operator's
    `POST /v1/rematch-jobs`; the wall time until the job has read every matchable
    patent, scored it (every factor, each match explained) and written its top 20 into
    `matches`, batch by batch, each in its own transaction.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
# This script's folder holds bench/matching.py, which would shadow the matching package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path[:0] = [str(ROOT), str(ROOT / "services" / "matching")]

from bench.catalogue import row, workspace  # noqa: E402
from bench.matching import TOP_K, Bare, Loaded, load  # noqa: E402
from devstack.broker import TansuBroker  # noqa: E402
from devstack.ports import free_port  # noqa: E402
from devstack.postgres import PostgresServer  # noqa: E402
from devstack.services import SERVICES, service_process  # noqa: E402
from matching.domain.match import PatentFacts  # noqa: E402
from matching.matches.index import SeekerIndex  # noqa: E402
from shared.auth import OrgType  # noqa: E402
from shared.auth.tokens import issue_token  # noqa: E402
from shared.db.migrations import upgrade_to_head  # noqa: E402
from shared.settings import ServiceSettings  # noqa: E402

MIGRATIONS = ROOT / "services" / "matching" / "migrations"
PATENT_COLUMNS = (
    "application_number", "title", "tokens", "ipc_codes", "industry_codes",
    "industry_divisions", "region_code", "patentees", "valid", "tier", "willingness",
    "intended_modes", "declared", "listed", "inventoried", "revision", "updated_at",
)  # fmt: skip
PROFILE_COLUMNS = (
    "uscc", "name", "region_code", "industry_codes", "size", "products", "technical_needs",
    "tokens",
    "push_consent", "source", "revision", "created_at", "updated_at",
)  # fmt: skip


def matchable(patent: PatentFacts) -> bool:
    """What the service re-matches (domain/patent.py MatchablePatent.matchable)."""
    return patent.tier != "D" and patent.willingness != "not_willing"


async def fill(dsn: str, loaded: Loaded) -> None:
    now = datetime.now(UTC)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table(
            "patents",
            columns=PATENT_COLUMNS,
            records=(
                (
                    p.application_number, "", list(p.tokens),
                    [d.ipc_code for d in p.derivations], list(p.industry_codes),
                    sorted({c[:3] for c in p.industry_codes}), p.region_code, "[]", True,
                    p.tier, p.willingness, list(p.intended_modes), p.declared, p.listed,
                    True, 1, now,
                )
                for p in loaded.patents
            ),
        )  # fmt: skip
        await conn.copy_records_to_table(
            "enterprise_profiles",
            columns=PROFILE_COLUMNS,
            records=(
                (
                    s.seeker_id[-18:], f"企业{s.seeker_id}", s.region_code or "110000",
                    list(s.industry_codes), "small", "", "", list(s.tokens), True, "imported", 1,
                    now, now,
                )
                for s in loaded.seekers
            ),
        )  # fmt: skip
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


def bare_rematch(loaded: Loaded) -> tuple[float, int]:
    index = SeekerIndex.build(loaded.seekers)
    todo = [p for p in loaded.patents if matchable(p)]
    candidates = {}
    for patent in todo:
        codes = tuple(sorted(set(patent.industry_codes)))
        if codes not in candidates:
            candidates[codes] = index.candidates(codes)
    bare = Bare(loaded.seekers, candidates)
    del index
    gc.collect()
    started = time.perf_counter()
    for patent in todo:
        bare.top(patent)
    return time.perf_counter() - started, len(todo)


async def service_rematch(url: str) -> tuple[float, dict[str, object]]:
    settings = ServiceSettings()
    token = issue_token(
        settings,
        org_id="bench-operator",
        org_name="平台运营方",
        org_type=OrgType.OPERATOR,
        scopes=["ipmarket:read", "ipmarket:write", "ipmarket:operate"],
    )
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as client:
        started = time.perf_counter()
        response = await client.post("/v1/rematch-jobs")
        response.raise_for_status()
        job = response.json()
        while job["state"] != "succeeded":
            await asyncio.sleep(1.0)
            job = (await client.get(f"/v1/rematch-jobs/{job['id']}")).json()
        return time.perf_counter() - started, job


async def main(patent_count: int, enterprise_count: int) -> None:
    loaded = load(patent_count, enterprise_count)
    work = workspace()
    postgres, broker = PostgresServer(work / "postgres"), TansuBroker()
    postgres.start()
    broker.start()
    process = None
    try:
        postgres.create_database("matching")
        await asyncio.to_thread(upgrade_to_head, MIGRATIONS, postgres.url("matching"))
        started = time.perf_counter()
        await fill(postgres.dsn("matching"), loaded)
        print(f"COPY into matching's tables: {time.perf_counter() - started:.1f} s\n")

        bare_s, todo = bare_rematch(loaded)
        del loaded
        gc.collect()

        definition = next(d for d in SERVICES if d.name == "matching")
        process = service_process(
            definition,
            database_url=postgres.url("matching"),
            bootstrap=broker.bootstrap_servers,
            port=free_port(),
            log_dir=work,
            # The pusher would start filling 110,000 inboxes as the job ends; it is not
            # part of the re-match.
            extra_env={"LOG_LEVEL": "WARNING", "PUSH_INTERVAL_S": "86400"},
        )
        process.start()
        process.wait_ready(timeout=120)
        ours_s, job = await service_rematch(process.url)

        print(
            f"matching full re-match: {todo:,} matchable patents x {enterprise_count:,} "
            f"enterprises, top {TOP_K}\n"
        )
        row("measure", "ours", "baseline", "ratio", "target")
        row(
            "full re-match, wall",
            f"{ours_s:,.1f} s",
            f"{bare_s:,.1f} s",
            f"{ours_s / bare_s:.2f}x",
            "< 600 s and <= 3x bare bm25s",
        )
        row(
            "patents per second",
            f"{todo / ours_s:,.0f}",
            f"{todo / bare_s:,.0f}",
            "",
            "",
            f"({json.dumps(job['matches_written'])} matches written)",
        )
    finally:
        if process is not None:
            process.stop(timeout=30)
        broker.stop()
        postgres.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patents", type=int, default=1_350_000)
    parser.add_argument("--enterprises", type=int, default=110_000)
    args = parser.parse_args()
    asyncio.run(main(args.patents, args.enterprises))
