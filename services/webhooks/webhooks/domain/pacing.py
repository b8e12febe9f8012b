"""How fast one endpoint may be sent to: the bounds of its rate limit, and the limiter
that keeps its requests to it on a clock it is given (tests give it a virtual one).

The lower bound still lets a delivery through every ten seconds, so a batch of
``endpoint_concurrency`` deliveries is sent well within the worker's lease and an
endpoint that is working never looks stalled. The upper bound is the fastest evenly
spaced pace the dispatcher keeps to (one request every millisecond). A rate outside
them is refused when an endpoint is saved; a value stored before the bounds existed
was brought into them by a migration, and the dispatcher clamps whatever it reads.
"""

from __future__ import annotations

import asyncio
import math
import time
from typing import Protocol

MIN_RATE_PER_S = 0.1
MAX_RATE_PER_S = 1000.0


def clamp_rate(rate: float) -> float:
    """``rate`` within the bounds; a value that is not a number gets the lower bound."""
    if math.isnan(rate):
        return MIN_RATE_PER_S
    return min(max(rate, MIN_RATE_PER_S), MAX_RATE_PER_S)


class PacingClock(Protocol):
    """Seconds on a clock that never goes back, and a way to wait on it: the rate
    limiter's clock, which is not the rules' wall clock (``shared.clock.Clock``)."""

    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class MonotonicClock:
    """The process's monotonic clock: what every deployment paces on."""

    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class RateLimiter:
    """At most ``rate`` requests per second, evenly spaced: each request starts at least
    ``1 / rate`` seconds after the previous one started. The first goes at once; an idle
    endpoint saves up no credit, so there is never a burst (a token bucket that starts
    full would let its capacity through at once). The rate is that of each request, so
    a changed rate limit applies from the next one."""

    def __init__(self, clock: PacingClock | None = None) -> None:
        self._clock = clock or MonotonicClock()
        self._last: float | None = None

    def reserve(self, rate: float) -> float:
        """Take the next start for a request, on the clock."""
        now = self._clock.now()
        slot = now if self._last is None else max(now, self._last + 1 / rate)
        self._last = slot
        return slot

    async def acquire(self, rate: float) -> None:
        """Wait until this request may start."""
        wait = self.reserve(rate) - self._clock.now()
        if wait > 0:
            await self._clock.sleep(wait)
