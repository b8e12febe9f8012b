"""How fast one endpoint may be sent to: the bounds of its rate limit.

The lower bound still lets a delivery through every ten seconds, so a batch of
``endpoint_concurrency`` deliveries is sent well within the worker's lease and an
endpoint that is working never looks stalled. The upper bound is the fastest evenly
spaced pace the dispatcher keeps to (one request every millisecond). A rate outside
them is refused when an endpoint is saved; a value stored before the bounds existed
was brought into them by a migration, and the dispatcher clamps whatever it reads.
"""

from __future__ import annotations

import math

MIN_RATE_PER_S = 0.1
MAX_RATE_PER_S = 1000.0


def clamp_rate(rate: float) -> float:
    """``rate`` within the bounds; a value that is not a number gets the lower bound."""
    if math.isnan(rate):
        return MIN_RATE_PER_S
    return min(max(rate, MIN_RATE_PER_S), MAX_RATE_PER_S)
