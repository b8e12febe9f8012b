"""Webhook fan-out benchmark: listing's events reaching 20 signature-verifying loopback
receivers through the webhooks service, beside a bare relay (an aiokafka consumer posting
the same signed events to the same receivers with aiohttp) measured in the same run.

    .venv/bin/python bench/fanout.py                       # 2,000-event backlog, 5 s phases
    .venv/bin/python bench/fanout.py --backlog 100000 --seconds 60

It starts its own PostgreSQL, Tansu, listing and webhooks (as ``make run`` does) and a
process of receivers (``bench/fanout_receivers.py``). Then:

  * saturation: a backlog of events already on listing's topic; deliveries per second
    from the first arrival at a receiver to the last, ours (webhooks started on the
    backlog) and the bare relay's (a new consumer group on the same backlog);
  * commit-to-receiver at a steady rate (200 events/s): listing's API is called at that
    rate (``POST /v1/patents``, each publishing ``patent.registered``); a delivery's
    latency runs from the API's response (the commit) to the receiver's arrival, both
    on the machine's monotonic clock. Ours in three set-ups: 20 healthy receivers; the
    same with one more answering 503 all run and one answering after 5 s; the same with
    100 more endpoints, 60 of them refusing, stalling or unreachable (the 40 others
    subscribed to other events). The p99s there are the 20 healthy receivers'. The bare
    relay at the same rate to the 20.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
for _service in ("listing", "webhooks"):
    sys.path.insert(0, str(ROOT / "services" / _service))

from bench.catalogue import listing_process, patents, row, workspace  # noqa: E402
from bench.fanout_bare import Bare  # noqa: E402
from bench.fanout_clients import Farm  # noqa: E402
from bench.http1 import Http1Client  # noqa: E402
from devstack.broker import TansuBroker  # noqa: E402
from devstack.ports import free_port  # noqa: E402
from devstack.postgres import PostgresServer  # noqa: E402
from devstack.processes import ServiceProcess  # noqa: E402
from devstack.services import SERVICES, local_settings, service_process  # noqa: E402
from shared.auth import OrgType  # noqa: E402
from shared.auth.tokens import issue_token  # noqa: E402
from shared.events import topics  # noqa: E402
from shared.settings import ServiceSettings  # noqa: E402
from webhooks.domain.signing import generate_secret  # noqa: E402

REGISTERED = "cn.ipmarket.listing.patent.registered.v1"
LISTING_TOPIC = topics.LISTING
HEALTHY = 20
# Receivers' behaviors (bench/fanout_receivers.py) beyond the 20 healthy ones, by phase.
FAULTY = ("fail", "slow")
DEAD = ("refuse",) * 20 + ("stall",) * 20 + ("unreachable",) * 20
IDLE = 40
OPERATOR_SCOPES = ["ipmarket:read", "ipmarket:write", "ipmarket:operate"]
OPERATOR = {"org_id": "org-operator", "org_name": "平台运营方", "org_type": OrgType.OPERATOR}


class Endpoint:
    def __init__(self, behavior: str, subscribed: bool = True) -> None:
        self.behavior, self.subscribed = behavior, subscribed
        self.port = free_port()
        self.secret = generate_secret()
        self.id = ""
        self.headers: dict[str, str] = {}

    @property
    def spec(self) -> str:
        return f"{self.port}:{self.behavior}:{self.secret}"


def token(**claims: Any) -> dict[str, str]:
    return {"authorization": f"Bearer {issue_token(ServiceSettings(), **claims)}"}


async def register(api: httpx.AsyncClient, endpoint: Endpoint, n: int) -> None:
    """A platform of its own for the endpoint, subscribed (or not) to patent.registered."""
    org = f"exchange-{n:03d}"
    created = await api.post(
        "/v1/platforms",
        json={"org_id": org, "name": f"交易所{n:03d}", "region_code": "440300"},
        headers=token(**OPERATOR, scopes=OPERATOR_SCOPES),
    )
    assert created.status_code == 201, created.text
    endpoint.headers = token(org_id=org, org_name=f"交易所{n:03d}", org_type=OrgType.EXCHANGE)
    created = await api.post(
        f"/v1/platforms/{created.json()['id']}/endpoints",
        json={
            "url": f"http://127.0.0.1:{endpoint.port}/hooks",
            "event_types": [REGISTERED if endpoint.subscribed else "cn.ipmarket.license.*"],
            "rate_limit_per_s": 1000,
            "secret": endpoint.secret,
        },
        headers=endpoint.headers,
    )
    assert created.status_code == 201, created.text
    endpoint.id = created.json()["id"]


async def switch(api: httpx.AsyncClient, endpoints: list[Endpoint], on: bool) -> None:
    for e in endpoints:
        status = "active" if on else "disabled"
        r = await api.patch(f"/v1/endpoints/{e.id}", json={"status": status}, headers=e.headers)
        assert r.status_code == 200, r.text


async def backlog(bootstrap: str, count: int, first: int) -> list[str]:
    """``count`` patent.registered events put straight on listing's topic."""
    from aiokafka import AIOKafkaProducer

    from shared.events.envelope import CloudEvent

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5)
    await producer.start()
    subjects = []
    try:
        futures = []
        for body in list(patents(first + count))[first:]:
            number = body["application_number"]
            event = CloudEvent(
                source="/ipmarket/listing",
                type=REGISTERED,
                subject=number,
                partitionkey=number,
                data=body,
            )
            futures.append(
                await producer.send(
                    LISTING_TOPIC,
                    value=event.kafka_value(),
                    key=number.encode(),
                    headers=event.kafka_headers(),
                )
            )
            subjects.append(number)
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
    return subjects


async def steady(listing_url: str, rate: float, seconds: float, first: int) -> dict[str, float]:
    """Register patents through listing's API at ``rate`` per second: each one's
    application number and the monotonic time its response (the commit) arrived."""
    api = Http1Client(listing_url, headers=token(**OPERATOR, scopes=OPERATOR_SCOPES))
    bodies = list(patents(first + int(rate * seconds)))[first:]
    committed: dict[str, float] = {}
    start = time.monotonic() + 0.2

    async def one(i: int, body: dict[str, Any]) -> None:
        await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
        reply = await api.post("/v1/patents", body)
        assert reply.status == 201, reply.body[:300]
        committed[body["application_number"]] = time.monotonic()

    await asyncio.gather(*(one(i, b) for i, b in enumerate(bodies)))
    await api.aclose()
    return committed


async def wait_for(farm: Farm, expected: int, within_s: float) -> None:
    """Until the receivers have ``expected`` arrivals, or ``within_s`` passed."""
    for _ in range(int(within_s * 10)):
        if len(farm.arrived) >= expected:
            return
        await asyncio.sleep(0.1)


def saturation_rate(arrived: list[tuple[str, int, float]]) -> float:
    times = sorted(at for _, _, at in arrived)
    return len(times) / max(times[-1] - times[0], 1e-9) if len(times) > 1 else 0.0


def pct(samples: list[float], q: float) -> float:
    """The ``q`` quantile; NaN when nothing arrived (printed as such, never as 0)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def latencies(
    arrived: list[tuple[str, int, float]], committed: dict[str, float], ports: set[int]
) -> list[float]:
    return [(at - committed[s]) * 1000 for s, p, at in arrived if p in ports and s in committed]


def report_row(label: str, ours: float, bare: float, unit: str, target: float, up: bool) -> None:
    ratio = ours / bare if bare else float("inf")
    met = ratio >= target if up else ratio <= target
    goal = f"{'>=' if up else '<='} {target}x bare"
    row(
        label,
        f"{ours:,.0f} {unit}",
        f"{bare:,.0f} {unit}",
        f"{ratio:.2f}",
        goal,
        "met" if met else "MISSED",
    )


async def main(args: argparse.Namespace) -> None:
    work = workspace()
    postgres, broker = PostgresServer(work / "postgres"), TansuBroker()
    processes: list[ServiceProcess] = []
    postgres.start()
    broker.start()
    healthy = [Endpoint("ok") for _ in range(HEALTHY)]
    faulty = [Endpoint(b) for b in FAULTY]
    dead = [Endpoint(b) for b in DEAD]
    idle = [Endpoint("ok", subscribed=False) for _ in range(IDLE)]
    farm = Farm([e.spec for e in healthy + faulty + dead + idle])
    try:
        for name in ("listing", "webhooks"):
            postgres.create_database(name)
        listing = listing_process(postgres, broker, "listing", work)
        listing.start()
        processes.append(listing)
        listing.wait_ready(timeout=120)
        definition = next(d for d in SERVICES if d.name == "webhooks")

        def webhooks_process() -> ServiceProcess:
            env = {
                **local_settings(definition, {"listing": listing.url}),
                "LOG_LEVEL": "WARNING",
                "REQUEST_TIMEOUT_S": "10",
                **dict(kv.split("=", 1) for kv in args.webhooks_env),
            }
            return service_process(
                definition,
                database_url=postgres.url("webhooks"),
                bootstrap=broker.bootstrap_servers,
                port=free_port(),
                log_dir=work,
                extra_env=env,
            )

        webhooks = webhooks_process()
        webhooks.start()
        processes.append(webhooks)
        webhooks.wait_ready(timeout=120)
        await farm.start()
        async with httpx.AsyncClient(base_url=webhooks.url, timeout=30) as api:
            for n, e in enumerate(healthy + faulty + dead + idle):
                await register(api, e, n)
            await switch(api, faulty + dead + idle, on=False)
        webhooks.stop()
        processes.remove(webhooks)
        ports = {e.port for e in healthy}
        specs = [e.spec for e in healthy]
        figures: dict[str, float] = {}

        # Saturation: the backlog, ours then bare.
        await backlog(broker.bootstrap_servers, args.backlog, 0)
        expected = args.backlog * HEALTHY
        webhooks = webhooks_process()
        webhooks.start()
        processes.append(webhooks)
        webhooks.wait_ready(timeout=120)
        await wait_for(farm, expected, args.timeout)
        figures["ours_rate"] = saturation_rate(farm.arrived)
        print(f"  ours: {len(farm.arrived):,} of {expected:,} delivered", flush=True)
        farm.arrived.clear()
        webhooks.stop()  # the bare relay runs alone, as ours did
        processes.remove(webhooks)
        async with Bare(broker.bootstrap_servers, "bare-backlog", True, specs):
            await wait_for(farm, expected, args.timeout)
        figures["bare_rate"] = saturation_rate(farm.arrived)
        print(f"  bare: {len(farm.arrived):,} of {expected:,} delivered", flush=True)
        farm.arrived.clear()
        if args.saturation_only:
            ratio = figures["ours_rate"] / figures["bare_rate"]
            ours, bare = figures["ours_rate"], figures["bare_rate"]
            print(f"saturation: ours {ours:,.0f}/s, bare {bare:,.0f}/s, {ratio:.2f}x")
            return

        # Steady rate: ours in three set-ups, then the bare relay.
        first = args.backlog
        per_phase = int(args.rate * args.seconds)
        results: dict[str, list[float]] = {}
        webhooks = webhooks_process()
        webhooks.start()
        processes.append(webhooks)
        webhooks.wait_ready(timeout=120)
        async with httpx.AsyncClient(base_url=webhooks.url, timeout=30) as api:
            for phase, extra in (("healthy", []), ("faulty", faulty), ("dead", dead + idle)):
                await switch(api, extra, on=True)
                committed = await steady(listing.url, args.rate, args.seconds, first)
                await wait_for(farm, per_phase * HEALTHY, args.drain)
                results[phase] = latencies(farm.arrived, committed, ports)
                print(f"  {phase}: {len(results[phase]):,} deliveries measured", flush=True)
                first += per_phase
                farm.arrived.clear()
                await switch(api, extra, on=False)
        # The bare relay last, webhooks stopped (it would deliver these events later).
        webhooks.stop()
        processes.remove(webhooks)
        async with Bare(broker.bootstrap_servers, "bare-steady", False, specs):
            committed = await steady(listing.url, args.rate, args.seconds, first)
            await wait_for(farm, per_phase * HEALTHY, args.drain)
        results["bare"] = latencies(farm.arrived, committed, ports)
    finally:
        for process in reversed(processes):
            with contextlib.suppress(Exception):
                process.stop()
        await farm.stop()
        broker.stop()
        postgres.stop()

    print()
    expected = int(args.rate * args.seconds) * HEALTHY
    print(f"steady phases: {args.rate:g} events/s for {args.seconds:g} s to {HEALTHY} receivers")
    for phase, samples in results.items():
        # A delivery not in by the end of the wait has no latency: the percentiles are
        # then over those that arrived, and understate it.
        print(f"  {phase}: {len(samples):,} of {expected:,} deliveries in within the wait")
    row("row", "ours", "bare", "ratio", "target")
    report_row(
        "deliveries/s at saturation", figures["ours_rate"], figures["bare_rate"], "/s", 0.5, True
    )
    bare = results["bare"]
    for q in (0.5, 0.95, 0.99):
        row(
            f"commit-to-receiver p{int(q * 100)} (ms), healthy",
            f"{pct(results['healthy'], q):,.1f}",
            f"{pct(bare, q):,.1f}",
            "",
            "",
        )
    report_row(
        "p99 (ms), 20 healthy", pct(results["healthy"], 0.99), pct(bare, 0.99), "ms", 3, False
    )
    for phase, label in (("faulty", "+ one 503, one 5 s"), ("dead", "+ 100 endpoints, 60 dead")):
        ours = pct(results[phase], 0.99)
        base = pct(results["healthy"], 0.99)
        ratio = ours / base if base else float("inf")
        verdict = "met" if ratio <= 1.2 else "MISSED"
        row(
            f"p99 (ms), healthy {label}",
            f"{ours:,.1f} ms",
            f"{base:,.1f} ms (ours)",
            f"{ratio:.2f}",
            "<= 1.2x all-healthy",
            verdict,
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backlog", type=int, default=2000, help="events already on the topic")
    parser.add_argument("--rate", type=float, default=200.0, help="events per second published")
    parser.add_argument("--seconds", type=float, default=5.0, help="of each steady phase")
    parser.add_argument(
        "--saturation-only", action="store_true", help="measure the backlog's drain, nothing else"
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="to drain the backlog")
    parser.add_argument(
        "--drain", type=float, default=120.0, help="wait after each steady phase (s)"
    )
    parser.add_argument(
        "--webhooks-env", nargs="*", default=[], help="extra WEBHOOKS_ settings, NAME=value"
    )
    asyncio.run(main(parser.parse_args()))
