"""What the endpoint use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass

from webhooks.domain.subscription import Filters


@dataclass(frozen=True)
class AddEndpoint:
    platform_id: str
    url: str
    description: str | None
    event_types: tuple[str, ...]
    filters: Filters
    rate_limit_per_s: float | None
    # Brought by the platform; generated when absent.
    secret: str | None


@dataclass(frozen=True)
class UpdateEndpoint:
    """What is ``None`` stays as it is; the rate limit changes when ``set_rate_limit``
    (``None`` then meaning the service's default)."""

    endpoint_id: str
    url: str | None = None
    description: str | None = None
    event_types: tuple[str, ...] | None = None
    filters: Filters | None = None
    set_rate_limit: bool = False
    rate_limit_per_s: float | None = None
    # True re-enables (also after a pause or an automatic disable), False disables.
    enabled: bool | None = None


@dataclass(frozen=True)
class RotateSecret:
    endpoint_id: str
    secret: str | None
