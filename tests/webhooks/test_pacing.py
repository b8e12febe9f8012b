"""The rate limiter on a virtual clock: when each request may start, without sleeping."""

from __future__ import annotations

import asyncio

import pytest

from tests.webhooks.clock import VirtualClock
from webhooks.domain.pacing import RateLimiter


async def starts(limiter: RateLimiter, clock: VirtualClock, rate: float, n: int) -> list[float]:
    """When each of ``n`` requests made one after another may start, from the clock's start."""
    out = []
    for _ in range(n):
        await limiter.acquire(rate)
        out.append(round(clock.now() - clock.start, 9))
    return out


async def test_requests_are_evenly_spaced_from_the_first_with_no_burst() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(clock)
    # Ten at five per second: the first at once, then one every 0.2 s, 1.8 s in all.
    assert await starts(limiter, clock, 5, 10) == [
        0.0,
        0.2,
        0.4,
        0.6,
        0.8,
        1.0,
        1.2,
        1.4,
        1.6,
        1.8,
    ]


async def test_requests_made_together_are_spaced_all_the_same() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(clock)
    await asyncio.gather(*(limiter.acquire(4) for _ in range(6)))
    # The first went at once; each other one slept until its turn.
    assert clock.woken == [0.25, 0.5, 0.75, 1.0, 1.25]


async def test_an_idle_endpoint_saves_up_no_burst() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(clock)
    assert await starts(limiter, clock, 2, 2) == [0.0, 0.5]
    clock.advance(60)  # a quiet minute
    # The next goes at once, the one after waits its full interval: no credit was saved.
    assert await starts(limiter, clock, 2, 3) == [60.5, 61.0, 61.5]


async def test_a_changed_rate_applies_from_the_next_request() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(clock)
    assert await starts(limiter, clock, 1000, 2) == [0.0, 0.001]
    # Lowered to one every ten seconds: the next waits ten seconds after the last.
    assert await starts(limiter, clock, 0.1, 2) == [10.001, 20.001]
    # Raised again: the next need not wait out the old, slower interval.
    assert await starts(limiter, clock, 1000, 1) == [20.002]


@pytest.mark.parametrize("rate", [0.1, 5, 1000])
async def test_no_window_of_one_second_holds_more_than_the_rate(rate: float) -> None:
    clock = VirtualClock()
    limiter = RateLimiter(clock)
    times = await starts(limiter, clock, rate, 50)
    allowed = max(int(rate), 1)
    for i, first in enumerate(times):
        within = [t for t in times[i:] if t < first + 1]
        assert len(within) <= allowed
