"""The deliveries' queries: the queue each endpoint is served from, its attempts, and
the delivery engine's scheduling (due endpoints, leases, the next batch, waits).
Deliveries are loaded and saved as :class:`Delivery`; the engine's scheduling reads
ids and times only, to pick what to load next."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import String, bindparam, text, update
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from shared.circuit import CircuitStatus
from shared.db.rows import loaded_row
from webhooks.domain.delivery import AttemptOutcome, Delivery, DeliveryStatus
from webhooks.domain.delivery_stats import DeliveryCounts, EndpointDeliveryStats
from webhooks.domain.endpoint import Waiting
from webhooks.mapping import delivery_columns, fill_delivery, to_delivery
from webhooks.models import DeliveryAttemptRecord, DeliveryRecord, OutboundEventRecord
from webhooks.repository import after_position

# Every webhooks instance's dispatcher LISTENs here: a transaction that made deliveries
# due says so, and PostgreSQL delivers the notification only if and when it commits.
DELIVERIES_CHANNEL = "ipmarket_webhook_deliveries"

# The tables as Core sees them: the engine writes a batch's rows with one statement
# executed for many parameter sets, which SQLAlchemy compiles once and caches. (Through
# the ORM, each bulk write is compiled again and its objects tracked: the engine's
# batches spent more time there than on the requests.)
_DELIVERIES = DeliveryRecord.__table__  # type: ignore[attr-defined]
_ATTEMPTS = DeliveryAttemptRecord.__table__  # type: ignore[attr-defined]


class DeliveriesRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- deliveries ----------------------------------------------------------------------

    async def add_deliveries(self, deliveries: Sequence[Delivery]) -> None:
        """Queue deliveries, once per endpoint and event, in one statement."""
        if not deliveries:
            return
        await self.session.execute(
            insert(_DELIVERIES).on_conflict_do_nothing(index_elements=["endpoint_id", "event_id"]),
            [delivery_columns(d) for d in deliveries],
        )

    async def announce(self) -> None:
        """Wake every instance's dispatcher when this transaction commits (once per
        transaction: PostgreSQL folds identical notifications)."""
        await self.session.execute(text(f"NOTIFY {DELIVERIES_CHANNEL}"))

    async def get_delivery(self, delivery_id: str, *, for_update: bool = False) -> Delivery | None:
        query = select(DeliveryRecord).where(col(DeliveryRecord.id) == delivery_id)
        if for_update:
            query = query.with_for_update()
        record = (await self.session.execute(query)).scalar_one_or_none()
        return None if record is None else to_delivery(record)

    async def get_deliveries(self, delivery_ids: Sequence[str]) -> list[Delivery]:
        """These deliveries (those that exist), locked for update in one statement, in id
        order (so two transactions locking overlapping sets never deadlock)."""
        d = DeliveryRecord
        query = (
            select(d).where(col(d.id).in_(list(delivery_ids))).order_by(col(d.id)).with_for_update()
        )
        return [to_delivery(r) for r in (await self.session.execute(query)).scalars()]

    async def save_deliveries(self, deliveries: Sequence[Delivery]) -> None:
        """Write back deliveries (loaded and locked in this transaction) in one statement."""
        if not deliveries:
            return
        rows = [delivery_columns(d) for d in deliveries]
        # Parameters named apart from the columns they set, as SQLAlchemy requires.
        await self.session.execute(
            update(_DELIVERIES)
            .where(_DELIVERIES.c.id == bindparam("p_id"))
            .values({name: bindparam("p_" + name) for name in rows[0] if name != "id"}),
            [{"p_" + name: value for name, value in row.items()} for row in rows],
        )

    async def save_delivery(self, delivery: Delivery) -> None:
        record = await loaded_row(self.session, DeliveryRecord, delivery.id)
        assert record is not None, "a delivery is saved after it was loaded"
        fill_delivery(record, delivery)
        await self.session.flush()

    async def add_attempts(self, endpoint_id: str, outcomes: Sequence[AttemptOutcome]) -> None:
        """The attempts' log rows, in one statement."""
        if not outcomes:
            return
        await self.session.execute(
            insert(_ATTEMPTS),
            [
                {
                    "delivery_id": outcome.delivery_id,
                    "endpoint_id": endpoint_id,
                    "attempted_at": outcome.attempted_at,
                    "status_code": outcome.status_code,
                    "latency_ms": round(outcome.latency_ms, 3),
                    "error": outcome.error,
                    "response_excerpt": outcome.excerpt,
                }
                for outcome in outcomes
            ],
        )

    async def list_deliveries(
        self,
        endpoint_id: str,
        *,
        status: DeliveryStatus | None,
        limit: int,
        after: tuple[datetime, str] | None,
    ) -> list[Delivery]:
        d = DeliveryRecord
        query = (
            select(d)
            .where(col(d.endpoint_id) == endpoint_id)
            .order_by(col(d.created_at), col(d.id))
            .limit(limit)
        )
        if status is not None:
            query = query.where(col(d.status) == status.value)
        if after is not None:
            query = query.where(after_position(col(d.created_at), col(d.id), after))
        return [to_delivery(r) for r in (await self.session.execute(query)).scalars()]

    async def deliveries_with_events(
        self, delivery_ids: list[str]
    ) -> list[tuple[Delivery, OutboundEventRecord]]:
        """Deliveries and the events they carry, in sequence order, in one query."""
        d, e = DeliveryRecord, OutboundEventRecord
        query = (
            select(d, e)
            .join(e, col(e.event_id) == col(d.event_id))
            .where(col(d.id).in_(delivery_ids))
            .order_by(col(d.sequence))
        )
        return [(to_delivery(row[0]), row[1]) for row in (await self.session.execute(query)).all()]

    async def attempts(self, delivery_id: str) -> list[DeliveryAttemptRecord]:
        a = DeliveryAttemptRecord
        query = select(a).where(col(a.delivery_id) == delivery_id).order_by(col(a.id))
        return list((await self.session.execute(query)).scalars())

    async def failed_delivery_ids(
        self, endpoint_id: str, *, since: datetime | None, until: datetime | None
    ) -> list[str]:
        d = DeliveryRecord
        query = select(col(d.id)).where(
            col(d.endpoint_id) == endpoint_id, col(d.status) == DeliveryStatus.FAILED.value
        )
        if since is not None:
            query = query.where(col(d.created_at) >= since)
        if until is not None:
            query = query.where(col(d.created_at) < until)
        return list((await self.session.execute(query.with_for_update())).scalars())

    async def replay_all(self, delivery_ids: list[str], now: datetime) -> None:
        """:meth:`Delivery.replay` for many failed deliveries at once, in one statement
        (the ids come from :meth:`failed_delivery_ids`, locked)."""
        if not delivery_ids:
            return
        d = DeliveryRecord
        await self.session.execute(
            update(d)
            .where(col(d.id).in_(delivery_ids))
            .values(
                status=DeliveryStatus.PENDING.value,
                attempts=0,
                next_attempt_at=now,
                completed_at=None,
            )
        )

    async def delivery_stats(
        self, org_id: str | None, since: datetime
    ) -> list[EndpointDeliveryStats]:
        """Every endpoint (of the platform of ``org_id``, or all), its platform and its
        delivery counts since ``since``, in one grouped statement; ordered by platform
        name, then by when the endpoint was added."""
        query = _STATS_ALL if org_id is None else _STATS_OF_ORG
        params: dict[str, object] = {"since": since}
        if org_id is not None:
            params["org"] = org_id
        rows = await self.session.execute(query, params)
        return [
            EndpointDeliveryStats(
                endpoint_id=row.id,
                platform_id=row.platform_id,
                platform_name=row.platform_name,
                url=row.url,
                status=CircuitStatus(row.status),
                disabled_reason=row.disabled_reason,
                consecutive_failures=row.consecutive_failures,
                counts=DeliveryCounts(
                    delivered=row.delivered,
                    given_up=row.given_up,
                    failing=row.failing,
                    failed_attempts=row.failed_attempts,
                    pending=row.pending,
                ),
                last_delivered_at=row.last_delivered_at,
                oldest_pending_since=row.oldest_pending_since,
            )
            for row in rows
        ]

    # -- delivery engine (webhooks.workers) ---------------------------------------------

    async def due_endpoints(self, me: str, limit: int, now: datetime) -> list[str]:
        """Endpoints with a delivery due at ``now``, not disabled, not paused, whose lease
        is free or already ``me``'s (leases run on the database's own time)."""
        rows = await self.session.execute(_DUE_ENDPOINTS, {"me": me, "limit": limit, "now": now})
        return [row[0] for row in rows]

    async def take_lease(self, endpoint_id: str, me: str, seconds: float) -> bool:
        """Take or renew the endpoint's lease; False if another instance holds it."""
        rows = await self.session.execute(
            _TAKE_LEASE, {"me": me, "id": endpoint_id, "secs": seconds}
        )
        return rows.first() is not None

    async def release_lease(self, endpoint_id: str, me: str) -> None:
        await self.session.execute(_RELEASE_LEASE, {"id": endpoint_id, "me": me})

    async def next_batch(self, endpoint_id: str, limit: int, now: datetime) -> list[str]:
        """The oldest due pending delivery of each ordering key of the endpoint, in
        sequence order: a later event about a patent waits while an earlier one is
        pending."""
        rows = await self.session.execute(
            _NEXT_BATCH, {"endpoint": endpoint_id, "limit": limit, "now": now}
        )
        return [row[0] for row in rows]

    async def waiting(
        self, now: datetime, endpoint_ids: Sequence[str] | None = None
    ) -> list[Waiting]:
        """Endpoints (these, or all) with a delivery ready to send, and since when they
        have made no attempt: the latest of when the oldest ready delivery fell due, the
        endpoint's last attempt, and the end of its circuit-breaker pause. A delivery is
        ready when the dispatcher would take it now (pending, due, first of its ordering
        key; the endpoint neither disabled nor paused until later). The longest wait
        first."""
        query = _WAITING_ALL if endpoint_ids is None else _WAITING_SOME
        params: dict[str, object] = {"now": now}
        if endpoint_ids is not None:
            params["ids"] = list(endpoint_ids)
        rows = await self.session.execute(query, params)
        return [Waiting(row[0], row[1], float(row[2])) for row in rows]


_DUE_ENDPOINTS = text(
    """
    SELECT DISTINCT d.endpoint_id
      FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
     WHERE d.status = 'pending' AND d.next_attempt_at <= CAST(:now AS timestamptz)
       AND e.status <> 'disabled'
       AND (e.paused_until IS NULL OR e.paused_until <= CAST(:now AS timestamptz))
       AND (e.lease_until IS NULL OR e.lease_until < now() OR e.lease_owner = :me)
     LIMIT :limit
    """
)

_TAKE_LEASE = text(
    """
    UPDATE endpoints SET lease_owner = :me, lease_until = now() + make_interval(secs => :secs)
     WHERE id = :id AND (lease_until IS NULL OR lease_until < now() OR lease_owner = :me)
    RETURNING id
    """
)

_RELEASE_LEASE = text(
    "UPDATE endpoints SET lease_owner = NULL, lease_until = NULL"
    " WHERE id = :id AND lease_owner = :me"
)

_NEXT_BATCH = text(
    """
    SELECT d.id FROM deliveries d
     WHERE d.endpoint_id = :endpoint AND d.status = 'pending'
       AND d.next_attempt_at <= CAST(:now AS timestamptz)
       AND NOT EXISTS (
           SELECT 1 FROM deliveries p
            WHERE p.endpoint_id = d.endpoint_id AND p.status = 'pending'
              AND p.ordering_key = d.ordering_key AND p.sequence < d.sequence)
     ORDER BY d.sequence
     LIMIT :limit
    """
)

_WAITING = """
    SELECT e.id, GREATEST(r.ready_since, e.last_attempt_at, e.paused_until) AS since,
           EXTRACT(EPOCH FROM CAST(:now AS timestamptz)
                              - GREATEST(r.ready_since, e.last_attempt_at, e.paused_until))
      FROM endpoints e
     CROSS JOIN LATERAL (
           SELECT min(d.next_attempt_at) AS ready_since FROM deliveries d
            WHERE d.endpoint_id = e.id AND d.status = 'pending'
              AND d.next_attempt_at <= CAST(:now AS timestamptz)
              AND NOT EXISTS (
                  SELECT 1 FROM deliveries p
                   WHERE p.endpoint_id = d.endpoint_id AND p.status = 'pending'
                     AND p.ordering_key = d.ordering_key AND p.sequence < d.sequence)) r
     WHERE r.ready_since IS NOT NULL
       AND e.status <> 'disabled'
       AND (e.paused_until IS NULL OR e.paused_until <= CAST(:now AS timestamptz))
       {only}
     ORDER BY 2, 1
"""
_WAITING_ALL = text(_WAITING.format(only=""))
_WAITING_SOME = text(_WAITING.format(only="AND e.id = ANY(:ids)")).bindparams(
    bindparam("ids", type_=ARRAY(String()))
)

# Each part reads its own index: deliveries completed in the window by endpoint and
# completion time (ix_deliveries_endpoint_completed, which carries the status), pending
# ones (ix_deliveries_pending), attempts in the window by endpoint and time
# (ix_delivery_attempts_endpoint_attempted); the last delivery ever by a backward scan of
# the first. docs/webhooks.md, "Delivery statistics", says what each count means.
_STATS = """
    WITH visible AS (
        SELECT e.id, e.platform_id, p.name AS platform_name, e.url, e.status,
               e.disabled_reason, e.consecutive_failures, e.created_at
          FROM endpoints e JOIN platforms p ON p.id = e.platform_id
         {only}
    ), completed AS (
        SELECT d.endpoint_id,
               count(*) FILTER (WHERE d.status = 'succeeded') AS delivered,
               count(*) FILTER (WHERE d.status = 'failed') AS given_up
          FROM visible v JOIN deliveries d
            ON d.endpoint_id = v.id AND d.completed_at >= CAST(:since AS timestamptz)
         GROUP BY d.endpoint_id
    ), waiting AS (
        SELECT d.endpoint_id, count(*) AS pending, min(d.created_at) AS oldest_pending_since,
               count(*) FILTER (
                   WHERE d.attempts > 0 AND EXISTS (
                       SELECT 1 FROM delivery_attempts a
                        WHERE a.delivery_id = d.id
                          AND a.attempted_at >= CAST(:since AS timestamptz))
               ) AS failing
          FROM visible v JOIN deliveries d ON d.endpoint_id = v.id AND d.status = 'pending'
         GROUP BY d.endpoint_id
    ), attempted AS (
        SELECT a.endpoint_id,
               count(*) FILTER (
                   WHERE a.status_code IS NULL OR a.status_code NOT BETWEEN 200 AND 299
               ) AS failed_attempts
          FROM visible v
          JOIN delivery_attempts a
            ON a.endpoint_id = v.id AND a.attempted_at >= CAST(:since AS timestamptz)
         GROUP BY a.endpoint_id
    )
    SELECT v.id, v.platform_id, v.platform_name, v.url, v.status, v.disabled_reason,
           v.consecutive_failures,
           coalesce(c.delivered, 0) AS delivered, coalesce(c.given_up, 0) AS given_up,
           coalesce(w.failing, 0) AS failing,
           coalesce(t.failed_attempts, 0) AS failed_attempts,
           coalesce(w.pending, 0) AS pending, w.oldest_pending_since,
           (SELECT max(d.completed_at) FROM deliveries d
             WHERE d.endpoint_id = v.id AND d.completed_at IS NOT NULL
               AND d.status = 'succeeded') AS last_delivered_at
      FROM visible v
      LEFT JOIN completed c ON c.endpoint_id = v.id
      LEFT JOIN waiting w ON w.endpoint_id = v.id
      LEFT JOIN attempted t ON t.endpoint_id = v.id
     ORDER BY v.platform_name, v.created_at, v.id
"""
_STATS_ALL = text(_STATS.format(only=""))
_STATS_OF_ORG = text(_STATS.format(only="WHERE p.org_id = :org"))
