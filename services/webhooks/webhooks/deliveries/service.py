"""Deliveries: reading them and their attempts, replaying failed ones, and the two steps
of the delivery engine (``webhooks.workers``) that touch the database: taking a batch
to send, and recording what the attempts came to.

Services never commit; the caller's unit of work does.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from shared.auth import Principal
from shared.circuit import CircuitPolicy
from shared.db.uow import UnitOfWork
from shared.errors import NotFound
from webhooks.adapters.secret_box import SecretBox
from webhooks.deliveries.commands import ReplayFailed
from webhooks.deliveries.repository import DeliveriesRepository
from webhooks.domain.delivery import (
    AttemptOutcome,
    Delivery,
    DeliveryStatus,
    record_attempts,
)
from webhooks.domain.delivery_stats import EndpointDeliveryStats, window_start
from webhooks.domain.endpoint import Endpoint
from webhooks.domain.retry import RetrySchedule
from webhooks.endpoints.service import endpoint_for
from webhooks.mapping import webhook_body
from webhooks.models import DeliveryAttemptRecord
from webhooks.platforms.service import visible_org
from webhooks.repository import WebhooksRepository


async def list_deliveries(
    uow: UnitOfWork,
    principal: Principal,
    endpoint_id: str,
    *,
    status: DeliveryStatus | None,
    limit: int,
    after: tuple[datetime, str] | None,
) -> list[Delivery]:
    await endpoint_for(uow, principal, endpoint_id)
    return await DeliveriesRepository(uow.session).list_deliveries(
        endpoint_id, status=status, limit=limit, after=after
    )


async def delivery_for(
    uow: UnitOfWork, principal: Principal, delivery_id: str, *, for_update: bool = False
) -> Delivery:
    delivery = await DeliveriesRepository(uow.session).get_delivery(
        delivery_id, for_update=for_update
    )
    if delivery is None:
        raise NotFound(f"delivery {delivery_id} does not exist")
    await endpoint_for(uow, principal, delivery.endpoint_id)
    return delivery


async def attempts(
    uow: UnitOfWork, principal: Principal, delivery_id: str
) -> list[DeliveryAttemptRecord]:
    """Every attempt of a delivery, oldest first (a read path: rows shaped as they are)."""
    await delivery_for(uow, principal, delivery_id)
    return await DeliveriesRepository(uow.session).attempts(delivery_id)


async def replay(uow: UnitOfWork, principal: Principal, delivery_id: str) -> Delivery:
    """Send a failed delivery again, under the same webhook-id, with a fresh retry budget."""
    delivery = await delivery_for(uow, principal, delivery_id, for_update=True)
    delivery.replay(uow.clock.now())
    repo = DeliveriesRepository(uow.session)
    await repo.save_delivery(delivery)
    await repo.announce()
    return delivery


async def replay_failed(uow: UnitOfWork, principal: Principal, command: ReplayFailed) -> int:
    """Replay every failed delivery of an endpoint, optionally within a time range of
    the deliveries' creation. Returns how many were queued again."""
    await endpoint_for(uow, principal, command.endpoint_id)
    repo = DeliveriesRepository(uow.session)
    ids = await repo.failed_delivery_ids(
        command.endpoint_id, since=command.since, until=command.until
    )
    await repo.replay_all(ids, uow.clock.now())
    if ids:
        await repo.announce()
    return len(ids)


async def delivery_stats(
    uow: UnitOfWork, principal: Principal, since: datetime | None
) -> tuple[datetime, datetime, list[EndpointDeliveryStats]]:
    """The window (its start and now) and the stats of every endpoint the caller sees:
    every platform's for the operator, its own platform's for an exchange."""
    now = uow.clock.now()
    start = window_start(now, since)
    stats = await DeliveriesRepository(uow.session).delivery_stats(visible_org(principal), start)
    return start, now, stats


# -- the delivery engine's steps ------------------------------------------------------------


@dataclass(frozen=True)
class Batch:
    """What one endpoint's worker sends next: each delivery with its body, and the
    secrets (in clear) that sign it."""

    endpoint: Endpoint
    deliveries: list[tuple[Delivery, bytes]]
    secrets: list[str]


async def next_batch(
    uow: UnitOfWork,
    box: SecretBox,
    endpoint_id: str,
    concurrency: int,
    working: Callable[[Endpoint], int] | None = None,
) -> Batch | None:
    """The deliveries the endpoint may be sent now; ``None`` when there is nothing to
    send (disabled, paused until later, or no delivery due). ``working``: how many to
    take from an endpoint that answers (``Endpoint.batch_size``)."""
    now = uow.clock.now()
    endpoint = await WebhooksRepository(uow.session).get_endpoint(endpoint_id)
    if endpoint is None:
        return None
    size = endpoint.batch_size(now, concurrency, working(endpoint) if working else None)
    if size == 0:
        return None
    repo = DeliveriesRepository(uow.session)
    ids = await repo.next_batch(endpoint_id, size, now)
    if not ids:
        return None
    deliveries = [
        (
            delivery,
            json.dumps(webhook_body(event), ensure_ascii=False, separators=(",", ":")).encode(),
        )
        for delivery, event in await repo.deliveries_with_events(ids)
    ]
    sealed = await WebhooksRepository(uow.session).secrets_in_force(endpoint_id, now)
    return Batch(endpoint, deliveries, [box.open(s) for s in sealed])


async def record_outcomes(
    uow: UnitOfWork,
    endpoint_id: str,
    outcomes: list[AttemptOutcome],
    *,
    schedule: RetrySchedule,
    policy: CircuitPolicy,
    rng: random.Random,
) -> Endpoint | None:
    """Attempts, deliveries and the endpoint's health, in one transaction; the endpoint
    when this batch disabled it."""
    endpoints = WebhooksRepository(uow.session)
    endpoint = await endpoints.get_endpoint(endpoint_id, for_update=True)
    if endpoint is None:
        return None
    repo = DeliveriesRepository(uow.session)
    # Each step for the whole batch at once: one read, one insert, one batch of updates.
    loaded = {d.id: d for d in await repo.get_deliveries([o.delivery_id for o in outcomes])}
    attempted = [(loaded[o.delivery_id], o) for o in outcomes if o.delivery_id in loaded]
    await repo.add_attempts(endpoint_id, [outcome for _, outcome in attempted])
    disabled = record_attempts(
        endpoint, attempted, schedule=schedule, policy=policy, rng=rng, now=uow.clock.now()
    )
    await repo.save_deliveries([delivery for delivery, _ in attempted])
    await endpoints.save_endpoint(endpoint)
    return endpoint if disabled else None
