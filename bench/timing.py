"""How the benchmarks time calls and print rows (bench/catalogue.py and its companions)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def percentiles(samples: list[float]) -> str:
    """p50/p95/p99 in milliseconds, as the rows print them."""
    return "/".join(f"{pct(samples, q):.1f}" for q in (0.5, 0.95, 0.99))


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


def row(label: str, ours: str, baseline: str, ratio: str, target: str, extra: str = "") -> None:
    print(f"{label:<42}{ours:>20}{baseline:>20}{ratio:>8}   {target:<34}{extra}")
