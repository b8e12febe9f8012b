"""Inventory upload benchmark: stock-patent inventories uploaded through the HTTP API, in
files of 100,000 rows, beside a raw COPY of the very rows the upload wrote, measured in
the same run on the same machine.

    .venv/bin/python bench/inventory.py                    # 1,350,000 rows (~15 minutes)
    .venv/bin/python bench/inventory.py --rows 200000      # a quicker look

It starts its own PostgreSQL, Tansu and the listing service (as ``make run`` does) and
writes CSV files the way an office exports them (Chinese headers; UTF-8), each row a
patent not yet in the catalogue with its catalogue facts and its inventory record, from
institutions of 100,000 rows each (the largest universities' stock). Then:

  * ours: every file POSTed to ``/v1/inventory/uploads`` (one institution's token per
    file), from the first byte sent to the last job finished: receiving the file into the
    database, parsing, checking every row like the API, ownership, registering the patent
    (search columns, holdings), the inventory record, two events per row in the outbox;
  * baseline: the rows the upload wrote to ``patents``, ``institution_holdings`` and
    ``inventory_records``, read back and COPYed into the same tables (same indexes) of a
    fresh database with ``copy_records_to_table``, as ``bench/catalogue.py``'s raw COPY
    sends its rows; and beside it, as the floor, the same rows loaded from PostgreSQL's
    own binary COPY files, with no Python in between.

The target: ours within 5x the baseline's time.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import shutil
import sys
import time
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.catalogue import OWNERS, listing_process, patents, row, workspace  # noqa: E402
from devstack.broker import TansuBroker  # noqa: E402
from devstack.postgres import PostgresServer  # noqa: E402
from shared.auth import OrgType  # noqa: E402
from shared.auth.tokens import issue_token  # noqa: E402
from shared.db.migrations import upgrade_to_head  # noqa: E402
from shared.domain import uscc_check_character  # noqa: E402
from shared.settings import ServiceSettings  # noqa: E402

MIGRATIONS = ROOT / "services" / "listing" / "migrations"
FILE_ROWS = 100_000
TABLES = ("patents", "institution_holdings", "inventory_records")
HEADER = [
    "申请号", "专利名称", "摘要", "IPC分类号", "行政区划代码", "申请日", "授权日", "转化意愿",
    "拟转化方式", "发明人", "专利组合", "财政资助项目", "备注",
]  # fmt: skip
WILLINGNESS = ["愿意", "愿意", "愿意", "未定", "不愿意"]
MODES = ["转让、许可", "开放许可", "许可", "作价入股", "合作开发", "转让"]
SURNAMES = "王李张刘陈杨黄赵吴周"


def institution_uscc(serial: int) -> str:
    body = f"12{serial:015d}"
    return body + uscc_check_character(body)


def write_files(count: int, folder: Path) -> list[tuple[Path, str, str]]:
    """CSV files of ``FILE_ROWS`` rows, each one institution's: (path, USCC, name)."""
    files: list[tuple[Path, str, str]] = []
    out: io.StringIO | None = None
    writer = None
    for i, patent in enumerate(patents(count, seed=20261206)):
        if i % FILE_ROWS == 0:
            if out is not None:
                files[-1][0].write_text(out.getvalue(), encoding="utf-8")
            n = len(files)
            name = OWNERS[n % 3][0]  # the universities and the institute of bench.catalogue
            files.append((folder / f"inventory-{n:02d}.csv", institution_uscc(n), f"{name}{n}"))
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(HEADER)
        assert writer is not None
        inventor = f"{SURNAMES[i % 10]}{'伟娜强敏静'[i % 5]}"
        writer.writerow([
            patent["application_number"], patent["title"], patent["abstract"],
            patent["ipc_codes"][0], patent["region_code"], patent["filing_date"],
            patent["grant_date"], WILLINGNESS[i % 5], MODES[i % 6],
            f"{inventor}（{inventor}@example.edu.cn）", "新型储能" if i % 4 == 0 else "",
            f"2020YFB{i:07d}" if i % 7 == 0 else "", "",
        ])  # fmt: skip
    if out is not None:
        files[-1][0].write_text(out.getvalue(), encoding="utf-8")
    return files


async def upload_all(url: str, files: list[tuple[Path, str, str]]) -> float:
    """POST every file, then wait for every job; seconds from the first byte to the end."""
    settings = ServiceSettings()
    jobs: list[tuple[str, dict[str, str]]] = []
    async with httpx.AsyncClient(base_url=url, timeout=600) as client:
        start = time.perf_counter()
        for path, uscc, name in files:
            token = issue_token(
                settings, org_id=f"org-{uscc}", org_name=name,
                org_type=OrgType.UNIVERSITY, uscc=uscc,
            )  # fmt: skip
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/csv"}
            reply = await client.post(
                "/v1/inventory/uploads", content=path.read_bytes(), headers=headers
            )
            assert reply.status_code == 202, reply.text
            jobs.append((reply.json()["links"]["self"], headers))
        for link, headers in jobs:
            while True:
                job = (await client.get(link, headers=headers)).json()
                if job["status"] in ("succeeded", "completed_with_errors", "rejected", "failed"):
                    break
                await asyncio.sleep(0.2)
            assert job["status"] == "succeeded", job
        return time.perf_counter() - start


async def copy_records(source_dsn: str, target_dsn: str) -> float:
    """The baseline: what the upload wrote, read back (not timed) and sent to the fresh
    database with ``copy_records_to_table`` (timed), as ``bench/catalogue.py``'s raw COPY
    sends its rows: the least a Python loader holding the finished rows does."""
    source, target = await asyncpg.connect(source_dsn), await asyncpg.connect(target_dsn)
    elapsed = 0.0
    try:
        for table in TABLES:
            async with source.transaction():
                cursor = await source.cursor(f"SELECT * FROM {table}")  # noqa: S608 - our tables
                while rows := await cursor.fetch(20_000):
                    start = time.perf_counter()
                    await target.copy_records_to_table(
                        table, records=[tuple(r) for r in rows], columns=list(rows[0].keys())
                    )
                    elapsed += time.perf_counter() - start
        return elapsed
    finally:
        await source.close()
        await target.close()


async def copy_files(source_dsn: str, target_dsn: str, folder: Path) -> float:
    """The same rows as PostgreSQL's own binary COPY files, read back and loaded with no
    Python in between: the floor (timed: the load only)."""
    source = await asyncpg.connect(source_dsn)
    try:
        for table in TABLES:
            await source.copy_from_table(
                table, output=str(folder / f"{table}.bin"), format="binary"
            )
    finally:
        await source.close()
    target = await asyncpg.connect(target_dsn)
    try:
        start = time.perf_counter()
        async with target.transaction():
            for table in TABLES:
                await target.copy_to_table(
                    table, source=str(folder / f"{table}.bin"), format="binary"
                )
        return time.perf_counter() - start
    finally:
        await target.close()


async def main(count: int) -> None:
    work = workspace()
    postgres, broker = PostgresServer(work / "postgres"), TansuBroker()
    postgres.start()
    broker.start()
    listing = None
    try:
        for name in ("uploaded", "raw", "floor"):
            postgres.create_database(name)
            await asyncio.to_thread(upgrade_to_head, MIGRATIONS, postgres.url(name))
        files = await asyncio.to_thread(write_files, count, work)
        size = sum(path.stat().st_size for path, _, _ in files)
        print(
            f"inventory upload benchmark: {count:,} rows in {len(files)} CSV files "
            f"({size / 2**20:,.0f} MiB), PostgreSQL + Tansu + listing on this machine\n"
        )
        row("measure", "ours", "baseline", "ratio", "target")
        listing = listing_process(postgres, broker, "uploaded", work)
        listing.start()
        listing.wait_ready(timeout=120)
        upload_s = await upload_all(listing.url, files)
        listing.stop(timeout=30)
        listing = None
        copy_s = await copy_records(postgres.dsn("uploaded"), postgres.dsn("raw"))
        floor_s = await copy_files(postgres.dsn("uploaded"), postgres.dsn("floor"), work)
        row(
            "inventory rows (rows/s)",
            f"{count / upload_s:,.0f}",
            f"{count / copy_s:,.0f}",
            f"{upload_s / copy_s:.2f}x",
            "ours within 5x raw COPY (time)",
            f"ours {upload_s:.0f} s, COPY {copy_s:.0f} s",
        )
        row(
            "  beside PostgreSQL's binary COPY files",
            "",
            f"{count / floor_s:,.0f}",
            f"{upload_s / floor_s:.2f}x",
            "(no Python in between: the floor)",
            f"{floor_s:.0f} s",
        )
    finally:
        if listing is not None:
            listing.stop(timeout=15)
        broker.stop()
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_350_000)
    args = parser.parse_args()
    asyncio.run(main(args.rows))
