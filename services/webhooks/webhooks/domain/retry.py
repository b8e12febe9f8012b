"""When to try a failed delivery again."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

# Immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h:
# ten attempts over 3 days 3 hours before a delivery is kept as failed.
DEFAULT_SCHEDULE_S: tuple[float, ...] = (5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)


@dataclass(frozen=True)
class RetrySchedule:
    """Delays after the first, second, ... failed attempt; jitter spreads them by
    ±``jitter`` so endpoints that failed together are not retried together."""

    delays_s: Sequence[float] = DEFAULT_SCHEDULE_S
    jitter: float = 0.2
    max_retry_after_s: float = 86400

    @property
    def max_attempts(self) -> int:
        return len(self.delays_s) + 1

    def next_delay(
        self, failed_attempts: int, retry_after_s: float | None, rng: random.Random
    ) -> float | None:
        """Seconds to wait after ``failed_attempts`` failures; ``None`` when exhausted.
        The receiver's ``Retry-After`` is honoured when it asks for longer (capped)."""
        if failed_attempts >= self.max_attempts:
            return None
        base = self.delays_s[failed_attempts - 1]
        delay = base * (1 + rng.uniform(-self.jitter, self.jitter))
        if retry_after_s is not None:
            delay = max(delay, min(retry_after_s, self.max_retry_after_s))
        return delay


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """``Retry-After`` as seconds from now: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - now) / timedelta(seconds=1), 0.0)
