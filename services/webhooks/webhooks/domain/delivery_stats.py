"""How deliveries to an endpoint went over a window of time: what a console's network
page shows per endpoint, and in total.

The success rate counts a delivery once, by how it stands: delivered, given up (the retry
schedule ran out), or still pending after attempts that all failed in the window.
Deliveries not attempted yet do not count either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.circuit import CircuitStatus
from webhooks.domain.errors import DeliveryStatsWindowRefused

DEFAULT_WINDOW = timedelta(hours=24)
# Attempts and deliveries are kept longer, but the stats are one bounded aggregate.
LONGEST_WINDOW = timedelta(days=31)


def window_start(now: datetime, since: datetime | None) -> datetime:
    """Where the window begins: ``since``, or the last 24 hours; at most 31 days back,
    never in the future."""
    if since is None:
        return now - DEFAULT_WINDOW
    if since > now:
        raise DeliveryStatsWindowRefused("since: must not be in the future", field="since")
    if since < now - LONGEST_WINDOW:
        raise DeliveryStatsWindowRefused(
            f"since: at most {LONGEST_WINDOW.days} days back", field="since"
        )
    return since


@dataclass(frozen=True)
class DeliveryCounts:
    """``delivered`` and ``given_up``: deliveries that came to that in the window;
    ``failing``: deliveries still pending whose attempts in the window all failed;
    ``failed_attempts``: attempts in the window that failed; ``pending``: deliveries
    pending now, whenever they were queued."""

    delivered: int = 0
    given_up: int = 0
    failing: int = 0
    failed_attempts: int = 0
    pending: int = 0

    @property
    def success_rate(self) -> float | None:
        """Delivered among the deliveries that came to something (None: none did), to
        four decimal places."""
        settled = self.delivered + self.given_up + self.failing
        return None if settled == 0 else round(self.delivered / settled, 4)

    def __add__(self, other: DeliveryCounts) -> DeliveryCounts:
        return DeliveryCounts(
            self.delivered + other.delivered,
            self.given_up + other.given_up,
            self.failing + other.failing,
            self.failed_attempts + other.failed_attempts,
            self.pending + other.pending,
        )


@dataclass(frozen=True)
class EndpointDeliveryStats:
    """One endpoint, its platform, its health now, and its counts over the window."""

    endpoint_id: str
    platform_id: str
    platform_name: str
    url: str
    status: CircuitStatus
    disabled_reason: str | None
    consecutive_failures: int
    counts: DeliveryCounts
    last_delivered_at: datetime | None
    oldest_pending_since: datetime | None
