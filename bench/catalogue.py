"""Catalogue benchmark: bulk import, search, GET-by-id and declaration submits, each
printed beside a baseline measured in the same run on the same machine.

    .venv/bin/python bench/catalogue.py                # 1,000,000 patents (several minutes)
    .venv/bin/python bench/catalogue.py --patents 50000

It starts its own PostgreSQL and Tansu (like `make run`), loads a synthetic catalogue of
realistic Chinese titles, abstracts and IPC symbols, and compares:
  * validated bulk import (listing.bulk: API validation, search columns, outbox events)
    vs raw COPY of the finished rows into the same table with the same indexes;
  * search p50/p95/p99 through the HTTP API vs the bare SQL query (one statement: the
    keyword's bigrams and the filters against the search index, substring confirmed,
    sorted, first page) on the raw-COPY table, for 2-, 3- and 4-character keywords, with
    and without filters, at 1 and 16 concurrent clients; and, to show what the API
    itself costs, vs the very statements the API runs, sent bare;
  * GET /v1/patents/{n} vs a bare FastAPI + asyncpg endpoint (requests/s, 16 clients);
  * declaration submits per second through the API (every refusal rule checked).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.http1 import Http1Client  # noqa: E402
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
from shared.domain import application_number_check_digit, uscc_check_character  # noqa: E402
from shared.settings import ServiceSettings  # noqa: E402

MIGRATIONS = ROOT / "services" / "listing" / "migrations"

FIELDS = [
    ("H01M 10/48", ["锂离子电池", "电池管理系统", "固态电池", "钠离子电池", "液流电池"]),
    ("G06N 3/08", ["神经网络", "深度学习模型", "图像识别模型", "自然语言处理模型"]),
    ("H01L 21/02", ["半导体器件", "芯片封装结构", "功率器件", "晶圆"]),
    ("H02S 40/10", ["光伏组件", "太阳能电池板", "光伏逆变器"]),
    ("A61K 36/00", ["中药提取物", "药物组合物", "抗体药物"]),
    ("B25J 9/16", ["工业机器人", "机械臂", "协作机器人"]),
    ("G01N 21/31", ["光谱检测装置", "气体传感器", "水质检测仪"]),
    ("H04W 72/04", ["无线通信终端", "基站天线", "物联网网关"]),
    ("C22C 38/02", ["高强度钢", "铝合金型材", "高熵合金"]),
    ("B60L 53/10", ["充电桩", "新能源汽车电驱系统", "换电站"]),
]
ADJECTIVES = [
    "",
    "高效",
    "低成本",
    "基于温度补偿的",
    "可回收",
    "智能",
    "轻量化",
    "低功耗",
    "高可靠",
]
METHODS = ["制备方法", "检测方法", "控制系统", "装置及方法", "优化方法", "故障诊断方法", "生产工艺"]
STEPS = [
    "预处理",
    "特征提取",
    "参数标定",
    "热处理",
    "涂覆",
    "封装",
    "在线监测",
    "数据融合",
    "模型训练",
]
EFFECTS = ["显著降低了能耗", "提高了检测精度", "延长了使用寿命", "降低了生产成本", "提升了安全性"]
REGIONS = ["110108", "310104", "440305", "440106", "320106", "330106", "420111", "510107", "610113"]
OWNERS = [
    ("清华大学", "university"),
    ("浙江大学", "university"),
    ("华中科技大学", "university"),
    ("中国科学院物理研究所", "research_institute"),
    ("深圳市新能储能科技有限公司", "enterprise"),
    ("比亚迪股份有限公司", "enterprise"),
    ("宁德时代新能源科技股份有限公司", "enterprise"),
]
KEYWORDS = {
    2: ["电池", "芯片", "光伏", "检测", "合金", "机器"],
    3: ["锂离子", "机械臂", "充电桩", "半导体", "传感器"],
    4: ["神经网络", "固态电池", "光伏组件", "故障诊断", "高熵合金"],
}
FILTERS = {"ipc": "H01M", "region": "44"}


def uscc(serial: int) -> str:
    body = f"91440300{serial:09d}"
    return body + uscc_check_character(body)


OWNER_USCC = [uscc(1000 + i) for i in range(len(OWNERS))]


def patents(count: int, seed: int = 20261123) -> Iterator[dict[str, Any]]:
    """Deterministic synthetic patents, as listing's API takes them."""
    rng = random.Random(seed)
    for i in range(count):
        ipc, nouns = rng.choice(FIELDS)
        noun = rng.choice(nouns)
        year = rng.randint(2012, 2023)
        body = f"{year}1{i:07d}"
        owner = rng.randrange(len(OWNERS))
        filed = date(year, 1, 1) + timedelta(days=rng.randrange(360))
        steps = "、".join(rng.sample(STEPS, 3))
        yield {
            "application_number": f"{body}.{application_number_check_digit(body)}",
            "title": f"一种{rng.choice(ADJECTIVES)}{noun}的{rng.choice(METHODS)}",
            "abstract": f"本发明公开了一种{noun}及其实现方法，包括{steps}等步骤，"
            f"{rng.choice(EFFECTS)}，适用于{rng.choice(FIELDS)[1][0]}等场景。",
            "ipc_codes": [ipc],
            "region_code": rng.choice(REGIONS),
            "filing_date": filed.isoformat(),
            "grant_date": (filed + timedelta(days=rng.randint(400, 1200))).isoformat(),
            "patentees": [
                {
                    "name": OWNERS[owner][0],
                    "uscc": OWNER_USCC[owner],
                    "share": "100",
                    "party_type": OWNERS[owner][1],
                }
            ],
        }


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def latencies(
    call: Callable[[int], Awaitable[None]], clients: int, per_client: int
) -> list[float]:
    out: list[float] = []

    async def client(c: int) -> None:
        for i in range(per_client):
            start = time.perf_counter()
            await call(c * per_client + i)
            out.append((time.perf_counter() - start) * 1000)

    await asyncio.gather(*(client(c) for c in range(clients)))
    return out


async def throughput(call: Callable[[int], Awaitable[None]], clients: int, seconds: float) -> float:
    done = 0
    deadline = time.perf_counter() + seconds

    async def client(c: int) -> None:
        nonlocal done
        i = 0
        while time.perf_counter() < deadline:
            await call(c * 1_000_000 + i)
            i += 1
            done += 1

    start = time.perf_counter()
    await asyncio.gather(*(client(c) for c in range(clients)))
    return done / (time.perf_counter() - start)


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


def row(label: str, ours: str, baseline: str, ratio: str, target: str, extra: str = "") -> None:
    print(f"{label:<42}{ours:>20}{baseline:>20}{ratio:>8}   {target:<34}{extra}")


def listing_process(
    postgres: PostgresServer, broker: TansuBroker, database: str, work: Path
) -> ServiceProcess:
    """The listing service as ``make run`` starts it, on ``database`` (not started yet)."""
    definition = next(d for d in SERVICES if d.name == "listing")
    return service_process(
        definition,
        database_url=postgres.url(database),
        bootstrap=broker.bootstrap_servers,
        port=free_port(),
        log_dir=work,
        extra_env={"LOG_LEVEL": "WARNING"},
    )


def workspace() -> Path:
    """A temporary folder PostgreSQL (run as an unprivileged user) can enter."""
    work = Path(tempfile.mkdtemp(prefix="ipmarket-bench-"))
    work.chmod(0o777)
    return work


async def main(count: int) -> None:
    work = workspace()
    postgres, broker = PostgresServer(work / "postgres"), TansuBroker()
    processes: list[ServiceProcess] = []
    postgres.start()
    broker.start()
    try:
        for name in ("raw", "imported"):
            postgres.create_database(name)
            await asyncio.to_thread(upgrade_to_head, MIGRATIONS, postgres.url(name))
        print(
            f"catalogue benchmark: {count:,} synthetic patents, PostgreSQL + Tansu on this "
            "machine\n"
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

        # -- services -------------------------------------------------------------
        listing = listing_process(postgres, broker, "imported", work)
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
        listing.wait_ready(timeout=120)
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
            window = window_size(20, count)  # as the API computes it for this catalogue
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
                            r = await api.get("/v1/search/patents", {"q": w[i % len(w)], **p})
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
                            "/".join(f"{pct(ours, q):.1f}" for q in (0.5, 0.95, 0.99)),
                            "/".join(f"{pct(base, q):.1f}" for q in (0.5, 0.95, 0.99)),
                            f"{pct(ours, 0.95) / pct(base, 0.95):.2f}x",
                            "ours p95 within 1.2x bare",
                            "API's SQL bare "
                            + "/".join(f"{pct(same, q):.1f}" for q in (0.5, 0.95, 0.99))
                            + f" ({pct(ours, 0.95) / pct(same, 0.95):.2f}x)",
                        )
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
        bare_proc.terminate()
        await bare_proc.wait()
        print(f"\nTansu {broker.version}; every figure above comes from this one run.")
    finally:
        for p in processes:
            p.stop()
        broker.stop()
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)  # ~9 GB for a million patents


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patents", type=int, default=1_000_000)
    asyncio.run(main(parser.parse_args().patents))
