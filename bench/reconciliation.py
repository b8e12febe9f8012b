"""Reconciliation benchmark: one year of filings and technology-contract registrations
reconciled by registry-sync's run, beside a bare SQL join of the same rows with the same
tolerances, measured in the same run on the same machine.

    .venv/bin/python bench/reconciliation.py                          # 613,000 x 650,000
    .venv/bin/python bench/reconciliation.py --filings 100000 --registrations 106000

It starts its own PostgreSQL, Tansu and the registry-sync service (as ``make run`` does),
and loads with COPY a year of synthetic rows (one contract per patent and type, so both
sides pair the same rows): filings (licences filed, transfers recorded) in the filings
view, registered contracts in ``tech_contract_registrations``, with a few per cent of each
kind of mismatch planted (``SHARES``). Then:

  * ours: ``POST /v1/reconciliation-runs`` as the operator, from the request to the run
    read back ``completed``: the set-based run (every pairing and rule in one INSERT ...
    SELECT), the durable mismatch report, an outbox event per mismatch the previous run
    did not report and the completion event, committed together. Measured twice: the
    first run over the year (the service started on empty tables, so its day's scheduled
    run found nothing and every finding is new: the most events a run writes), then the
    next run (the same findings, none new: no mismatch event);
  * baseline: the least SQL that gives the same report: one FULL JOIN of the two tables
    on patent and type, the same tolerances in CASE expressions, the same columns, into
    a temporary table (no events, no WAL).

The target: ours within 2x the baseline's time. Both mismatch counts are printed: equal.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.catalogue import row, workspace  # noqa: E402
from devstack.broker import TansuBroker  # noqa: E402
from devstack.ports import free_port  # noqa: E402
from devstack.postgres import PostgresServer  # noqa: E402
from devstack.processes import ServiceProcess  # noqa: E402
from devstack.services import SERVICES, service_process  # noqa: E402
from registry_sync.domain import reconciliation as rules  # noqa: E402
from registry_sync.domain.registration import REGISTRATION_WINDOW  # noqa: E402
from shared.auth import OrgType  # noqa: E402
from shared.auth.tokens import issue_token  # noqa: E402
from shared.clock import SystemClock  # noqa: E402
from shared.db.migrations import upgrade_to_head  # noqa: E402
from shared.domain import application_number_check_digit  # noqa: E402
from shared.events.schemas import ReconciliationMismatchFound  # noqa: E402
from shared.settings import ServiceSettings  # noqa: E402

MIGRATIONS = ROOT / "services" / "registry-sync" / "migrations"
# Of the filings, those with no registration; of the registrations, the licences and
# transfers with no filing; of the pairs, those planted with each disagreement (late: the
# filing, or the registration; a pair may be planted with several, as a real one may
# have them). The registrations beyond are contracts of categories no filing mirrors
# (development, know-how, consulting, service), which reconciliation leaves out.
SHARES = {
    "missing_registration": 0.03,
    "missing_filing": 0.03,
    "value": 0.03,
    "party": 0.03,
    "kind": 0.03,
    "late": 0.015,
}
OTHER_CATEGORIES = ["development", "transfer_know_how", "consulting", "service"]
TRANSFER_SHARE = 0.25
FILING_COLUMNS = [
    "source_reference", "filing_type", "application_number", "patent_number",
    "license_kind", "seller_uscc", "buyer_uscc", "sellers", "buyers", "contract_value",
    "started_on", "filing_number", "filed_on", "updated_at",
]  # fmt: skip
REGISTRATION_COLUMNS = [
    "id", "source_reference", "source_kind", "application_number", "patent_number",
    "contract_category", "license_kind", "seller_uscc", "buyer_uscc", "parties",
    "contract_value", "technology_value", "currency", "status", "signed_on",
    "effective_date", "recorded_on", "registration_due", "submission_attempts",
    "registration_number", "registered_on", "certified_contract_value",
    "certified_technology_value", "version", "created_at",
]  # fmt: skip
KINDS = ["ordinary", "ordinary", "ordinary", "sole", "exclusive"]

BASELINE = """
CREATE TEMP TABLE baseline_mismatches AS
WITH f AS (
    SELECT * FROM filings WHERE filed_on IS NOT NULL
), r AS (
    SELECT *, CASE contract_category WHEN 'license' THEN 'license' ELSE 'transfer' END AS type,
           COALESCE(certified_contract_value, contract_value) AS value
    FROM tech_contract_registrations
    WHERE status = 'registered' AND registered_on IS NOT NULL
      AND contract_category IN ('license', 'transfer_patent_right', 'transfer_application_right')
)
SELECT reason, COALESCE(f.application_number, r.application_number) AS application_number,
       COALESCE(f.filing_type, r.type) AS filing_type, f.source_reference, f.filing_number,
       f.filed_on, f.started_on, f.seller_uscc, f.buyer_uscc, f.license_kind,
       f.contract_value, r.id, r.registration_number, r.registered_on,
       r.seller_uscc AS registration_seller, r.buyer_uscc AS registration_buyer,
       r.license_kind AS registration_kind, r.value
FROM f FULL JOIN r ON r.application_number = f.application_number AND r.type = f.filing_type
CROSS JOIN LATERAL unnest(ARRAY[
    CASE WHEN r.id IS NULL AND $1::date > COALESCE(f.started_on, f.filed_on) + $2::int
         THEN 'missing_registration' END,
    CASE WHEN f.source_reference IS NULL
          AND $1::date > r.effective_date + make_interval(months => $3::int)
         THEN 'missing_filing' END,
    CASE WHEN (f.seller_uscc, f.buyer_uscc) <> (r.seller_uscc, r.buyer_uscc)
         THEN 'party_differs' END,
    CASE WHEN (f.seller_uscc, f.buyer_uscc) = (r.seller_uscc, r.buyer_uscc)
          AND abs(f.contract_value - r.value) > greatest($4::numeric, abs(r.value) * $5::numeric)
         THEN 'value_differs' END,
    CASE WHEN (f.seller_uscc, f.buyer_uscc) = (r.seller_uscc, r.buyer_uscc)
          AND f.filing_type = 'license' AND f.license_kind <> r.license_kind
         THEN 'kind_differs' END,
    CASE WHEN (f.seller_uscc, f.buyer_uscc) = (r.seller_uscc, r.buyer_uscc)
          AND (f.filed_on > f.started_on + make_interval(months => $3::int)
               OR r.registered_on > COALESCE(r.signed_on, r.effective_date) + $2::int)
         THEN 'late' END
]) AS x(reason)
WHERE reason IS NOT NULL
"""


def uscc(n: int) -> str:
    return f"9144{n:014d}"


def number(n: int) -> str:
    body = f"2019{1 + n % 2}{n:07d}"
    return f"{body}.{application_number_check_digit(body)}"


def generate(
    filings: int, registrations: int, today: date, seed: int = 20261206
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The filings' and registrations' rows, in their tables' COPY columns."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    filed_rows: list[tuple[Any, ...]] = []
    registered_rows: list[tuple[Any, ...]] = []
    pairs = filings - int(filings * SHARES["missing_registration"])
    unfiled = filings + int(registrations * SHARES["missing_filing"])
    for i in range(filings + registrations - pairs):
        transfer = rng.random() < TRANSFER_SHARE
        category = "transfer_patent_right" if transfer else "license"
        if i >= unfiled:
            category, transfer = rng.choice(OTHER_CATEGORIES), True
        start = today - timedelta(days=rng.randrange(365))
        seller, buyer = uscc(rng.randrange(40_000)), uscc(100_000 + rng.randrange(400_000))
        value = Decimal(rng.randrange(10_000, 5_000_000)).quantize(Decimal("1.00"))
        kind = None if transfer else rng.choice(KINDS)
        app = number(i)
        has_filing, has_registration = i < filings, i < pairs or i >= filings
        if has_filing:
            filed_on = start + timedelta(days=rng.randrange(1, 80))
            if rng.random() < SHARES["late"]:
                filed_on = start + timedelta(days=rng.randrange(95, 200))
            party = json.dumps([{"org_id": None, "name": "某大学", "uscc": seller}])
            buyers = json.dumps([{"org_id": None, "name": "某公司", "uscc": buyer}])
            filed_rows.append((
                str(uuid.UUID(int=rng.getrandbits(128))), "transfer" if transfer else "license",
                app, f"ZL{app}", kind, seller, buyer, party, buyers, value, start,
                f"2026{i:09d}", filed_on, now,
            ))  # fmt: skip
        if has_registration:
            certified = value
            if rng.random() < SHARES["value"]:
                certified = (value * Decimal("1.1")).quantize(Decimal("1.00"))
            r_buyer = uscc(900_000 + i) if rng.random() < SHARES["party"] else buyer
            r_kind = kind
            if kind is not None and rng.random() < SHARES["kind"]:
                r_kind = "exclusive" if kind != "exclusive" else "ordinary"
            registered_on = start + timedelta(days=rng.randrange(5, 28))
            if rng.random() < SHARES["late"]:
                registered_on = start + timedelta(days=rng.randrange(31, 90))
            parties = json.dumps([
                {"role": "seller", "name": "某大学", "uscc": seller, "country": "CN",
                 "region_code": "330100"},
                {"role": "buyer", "name": "某公司", "uscc": r_buyer, "country": "CN",
                 "region_code": "330100"},
            ])  # fmt: skip
            registered_rows.append((
                str(uuid.UUID(int=rng.getrandbits(128))), f"src-{i}",
                "transfer" if transfer else "open_license", app, f"ZL{app}",
                category, r_kind, seller, r_buyer,
                parties, value, value, "CNY", "registered", start, start, start,
                start + REGISTRATION_WINDOW, 1, f"{i:016d}", registered_on, certified, value,
                1, now,
            ))  # fmt: skip
    return filed_rows, registered_rows


async def load(dsn: str, filings: int, registrations: int, today: date) -> float:
    start = time.perf_counter()
    filed_rows, registered_rows = await asyncio.to_thread(generate, filings, registrations, today)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table("filings", records=filed_rows, columns=FILING_COLUMNS)
        await conn.copy_records_to_table(
            "tech_contract_registrations",
            records=registered_rows,
            columns=REGISTRATION_COLUMNS,
        )
        await conn.execute("VACUUM (ANALYZE)")
    finally:
        await conn.close()
    return time.perf_counter() - start


async def baseline(dsn: str, today: date) -> tuple[float, int]:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("DROP TABLE IF EXISTS baseline_mismatches")
        start = time.perf_counter()
        await conn.execute(
            BASELINE,
            today,
            REGISTRATION_WINDOW.days,
            rules.FILING_WINDOW_MONTHS,
            rules.VALUE_TOLERANCE_ABSOLUTE,
            rules.VALUE_TOLERANCE_RATIO,
        )
        elapsed = time.perf_counter() - start
        found = await conn.fetchval("SELECT count(*) FROM baseline_mismatches")
        return elapsed, found
    finally:
        await conn.close()


async def ours(url: str) -> tuple[float, dict[str, int]]:
    token = issue_token(
        ServiceSettings(), org_id="org-operator", org_name="平台运营方",
        org_type=OrgType.OPERATOR, scopes=["ipmarket:read", "ipmarket:operate"],
    )  # fmt: skip
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, timeout=600) as client:
        start = time.perf_counter()
        reply = await client.post("/v1/reconciliation-runs", headers=headers)
        reply.raise_for_status()
        run_id = reply.json()["id"]
        while True:
            run = (await client.get(f"/v1/reconciliation-runs/{run_id}", headers=headers)).json()
            if run["status"] == "completed":
                return time.perf_counter() - start, run["counts"]
            await asyncio.sleep(0.05)


async def wait_for_the_runs(dsn: str, completed: int = 0) -> None:
    """Until no run is pending and every event is on the broker: the service takes the day's
    scheduled run as it starts, and the relay ships a run's events after it; neither may
    share the CPU with a measure. ``completed``: how many runs must have completed."""
    conn = await asyncpg.connect(dsn)
    try:
        while True:
            pending, done = await conn.fetchrow(
                "SELECT count(*) FILTER (WHERE status = 'pending'),"
                " count(*) FILTER (WHERE status = 'completed') FROM reconciliation_runs"
            )
            if (
                not pending
                and done >= completed
                and not await conn.fetchval(
                    "SELECT count(*) FROM outbox WHERE published_at IS NULL"
                )
            ):
                return
            await asyncio.sleep(0.5)
    finally:
        await conn.close()


async def events_of_last_run(dsn: str) -> int:
    """How many mismatch events the latest run wrote."""
    conn = await asyncpg.connect(dsn)
    try:
        count: int = await conn.fetchval(
            """SELECT count(*) FROM outbox
               WHERE event_type = $1 AND payload->>'run_id' = (
                   SELECT id FROM reconciliation_runs ORDER BY completed_at DESC LIMIT 1)""",
            ReconciliationMismatchFound.event_type,
        )
        return count
    finally:
        await conn.close()


async def main(filings: int, registrations: int) -> None:
    work = workspace()
    postgres, broker = PostgresServer(work / "postgres"), TansuBroker()
    service: ServiceProcess | None = None
    postgres.start()
    broker.start()
    today = SystemClock().today()
    try:
        postgres.create_database("registry")
        await asyncio.to_thread(upgrade_to_head, MIGRATIONS, postgres.url("registry"))
        dsn = postgres.dsn("registry")
        # The service first, on empty tables: its day's scheduled run finds nothing, so
        # the measured run is a first day, every finding new and told as an event.
        definition = next(d for d in SERVICES if d.name == "registry-sync")
        service = service_process(
            definition,
            database_url=postgres.url("registry"),
            bootstrap=broker.bootstrap_servers,
            port=free_port(),
            log_dir=work,
            extra_env={"LOG_LEVEL": "WARNING"},
        )
        service.start()
        service.wait_ready(timeout=120)
        await wait_for_the_runs(dsn, completed=1)
        load_s = await load(dsn, filings, registrations, today)
        print(
            f"reconciliation benchmark: {filings:,} filings x {registrations:,} registrations "
            f"(loaded in {load_s:.0f} s), PostgreSQL + Tansu + registry-sync on this machine\n"
        )
        row("measure", "ours", "baseline", "ratio", "target")
        await baseline(dsn, today)  # the same warm cache for both
        baseline_s, baseline_found = await baseline(dsn, today)
        for day in ("first run: every finding new", "next run: nothing new"):
            ours_s, counts = await ours(service.url)
            found = sum(counts.values())
            row(
                f"reconciliation, {day} (s)",
                f"{ours_s:.2f}",
                f"{baseline_s:.2f}",
                f"{ours_s / baseline_s:.2f}x",
                "ours within 2x the bare join",
                f"mismatches: ours {found:,}, baseline {baseline_found:,}; "
                f"events {await events_of_last_run(dsn):,}",
            )
            # Its events reach the broker before the next measure (the relay shares the CPU).
            await wait_for_the_runs(dsn)
        print("\n" + ", ".join(f"{reason} {n:,}" for reason, n in counts.items()))
    finally:
        if service is not None:
            service.stop(timeout=15)
        broker.stop()
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--filings", type=int, default=613_000)
    parser.add_argument("--registrations", type=int, default=650_000)
    args = parser.parse_args()
    asyncio.run(main(args.filings, args.registrations))
