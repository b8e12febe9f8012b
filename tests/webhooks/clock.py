"""A clock for the delivery engine's rate limiter that tests move by hand."""

from __future__ import annotations

import asyncio


class VirtualClock:
    """Time that moves only when someone sleeps: a sleep returns at once, the clock set
    to when it would have ended (so sleeps taken together end one after another). When
    each sleep ended is recorded, from the clock's start."""

    def __init__(self, start: float = 1000.0) -> None:
        self.t = start
        self.start = start
        self.woken: list[float] = []

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.t += seconds
        self.woken.append(round(self.t - self.start, 9))
        await asyncio.sleep(0)

    def advance(self, seconds: float) -> None:
        self.t += seconds
