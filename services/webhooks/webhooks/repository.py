"""Every query of the webhooks service."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, String, bindparam, func, or_, text, tuple_, update
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped
from sqlmodel import col, select

from webhooks.models import (
    DeliveryAttemptRecord,
    DeliveryRecord,
    EndpointRecord,
    EndpointSecretRecord,
    InboundMessageRecord,
    OutboundEventRecord,
    PatentAttributesRecord,
    PlatformRecord,
)


@dataclass(frozen=True)
class Waiting:
    """An endpoint with a delivery ready to send: since when no attempt has been made."""

    endpoint_id: str
    since: datetime
    seconds: float


def _after(
    time: Mapped[datetime], ident: Mapped[str], after: tuple[datetime, str]
) -> ColumnElement[bool]:
    """Keyset paging: the rows after ``after`` in (time, id) order, as one row comparison
    the (time, id) index answers."""
    return tuple_(time, ident) > tuple_(*after)


class WebhooksRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- outbound events -----------------------------------------------------------------

    async def add_outbound(self, record: OutboundEventRecord) -> int | None:
        """Store an event; its sequence number, or ``None`` if it was stored before."""
        values = record.model_dump(exclude={"sequence"})
        result = await self.session.execute(
            insert(OutboundEventRecord)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["event_id"])
            .returning(col(OutboundEventRecord.sequence))
        )
        return result.scalar_one_or_none()

    async def get_outbound(self, event_id: str) -> OutboundEventRecord | None:
        query = select(OutboundEventRecord).where(col(OutboundEventRecord.event_id) == event_id)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def list_outbound(
        self,
        *,
        limit: int,
        after: tuple[datetime, str] | None,
        event_type: str | None,
        subject: str | None,
    ) -> list[OutboundEventRecord]:
        e = OutboundEventRecord
        query = select(e).order_by(col(e.received_at), col(e.event_id)).limit(limit)
        if event_type is not None:
            query = query.where(col(e.event_type) == event_type)
        if subject is not None:
            query = query.where(col(e.subject) == subject)
        if after is not None:
            query = query.where(_after(col(e.received_at), col(e.event_id), after))
        return list((await self.session.execute(query)).scalars())

    async def upsert_patent(self, record: PatentAttributesRecord) -> None:
        values = record.model_dump()
        stmt = insert(PatentAttributesRecord).values(**values)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["application_number"],
                set_={k: stmt.excluded[k] for k in values if k != "application_number"},
            )
        )

    async def get_patent(self, application_number: str) -> PatentAttributesRecord | None:
        return await self.session.get(PatentAttributesRecord, application_number)

    # -- platforms -----------------------------------------------------------------------

    async def add_platform(self, record: PlatformRecord) -> bool:
        result = await self.session.execute(
            insert(PlatformRecord)
            .values(**record.model_dump())
            .on_conflict_do_nothing(index_elements=["org_id"])
            .returning(col(PlatformRecord.id))
        )
        return result.first() is not None

    async def get_platform(self, platform_id: str) -> PlatformRecord | None:
        return await self.session.get(PlatformRecord, platform_id)

    async def list_platforms(
        self, org_id: str | None, *, limit: int, after: tuple[datetime, str] | None
    ) -> list[PlatformRecord]:
        p = PlatformRecord
        query = select(p).order_by(col(p.created_at), col(p.id)).limit(limit)
        if after is not None:
            query = query.where(_after(col(p.created_at), col(p.id), after))
        if org_id is not None:
            query = query.where(col(p.org_id) == org_id)
        return list((await self.session.execute(query)).scalars())

    # -- endpoints -----------------------------------------------------------------------

    async def add_endpoint(self, record: EndpointRecord) -> None:
        self.session.add(record)
        await self.session.flush()

    async def get_endpoint(
        self, endpoint_id: str, *, for_update: bool = False
    ) -> EndpointRecord | None:
        query = select(EndpointRecord).where(col(EndpointRecord.id) == endpoint_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def list_endpoints(
        self,
        *,
        org_id: str | None,
        platform_id: str | None,
        status: str | None,
        limit: int,
        after: tuple[datetime, str] | None,
    ) -> list[EndpointRecord]:
        e, p = EndpointRecord, PlatformRecord
        query = (
            select(e)
            .join(p, col(p.id) == col(e.platform_id))
            .order_by(col(e.created_at), col(e.id))
            .limit(limit)
        )
        if after is not None:
            query = query.where(_after(col(e.created_at), col(e.id), after))
        if org_id is not None:
            query = query.where(col(p.org_id) == org_id)
        if platform_id is not None:
            query = query.where(col(e.platform_id) == platform_id)
        if status is not None:
            query = query.where(col(e.status) == status)
        return list((await self.session.execute(query)).scalars())

    async def deliverable_endpoints(self) -> list[tuple[EndpointRecord, PlatformRecord]]:
        """Endpoints that take new deliveries (active or paused, not disabled)."""
        e, p = EndpointRecord, PlatformRecord
        query = (
            select(e, p)
            .join(p, col(p.id) == col(e.platform_id))
            .where(col(e.status) != "disabled")
            .order_by(col(e.id))
        )
        return [(row[0], row[1]) for row in (await self.session.execute(query)).all()]

    async def add_secret(self, record: EndpointSecretRecord) -> None:
        self.session.add(record)
        await self.session.flush()

    async def expire_secrets(self, endpoint_id: str, until: datetime) -> None:
        """Secrets in force now stop signing at ``until`` (those already expiring earlier
        keep their date)."""
        s = EndpointSecretRecord
        await self.session.execute(
            update(s)
            .where(col(s.endpoint_id) == endpoint_id)
            .where(or_(col(s.expires_at).is_(None), col(s.expires_at) > until))
            .values(expires_at=until)
        )

    async def secrets_in_force(self, endpoint_id: str, now: datetime) -> list[str]:
        """Sealed secrets that sign now, newest first."""
        s = EndpointSecretRecord
        query = (
            select(col(s.secret))
            .where(col(s.endpoint_id) == endpoint_id)
            .where(or_(col(s.expires_at).is_(None), col(s.expires_at) > now))
            .order_by(col(s.created_at).desc())
        )
        return list((await self.session.execute(query)).scalars())

    # -- deliveries ----------------------------------------------------------------------

    async def add_delivery(self, record: DeliveryRecord) -> None:
        await self.session.execute(
            insert(DeliveryRecord)
            .values(**record.model_dump())
            .on_conflict_do_nothing(index_elements=["endpoint_id", "event_id"])
        )

    async def get_delivery(
        self, delivery_id: str, *, for_update: bool = False
    ) -> DeliveryRecord | None:
        query = select(DeliveryRecord).where(col(DeliveryRecord.id) == delivery_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def list_deliveries(
        self,
        endpoint_id: str,
        *,
        status: str | None,
        limit: int,
        after: tuple[datetime, str] | None,
    ) -> list[DeliveryRecord]:
        d = DeliveryRecord
        query = (
            select(d)
            .where(col(d.endpoint_id) == endpoint_id)
            .order_by(col(d.created_at), col(d.id))
            .limit(limit)
        )
        if status is not None:
            query = query.where(col(d.status) == status)
        if after is not None:
            query = query.where(_after(col(d.created_at), col(d.id), after))
        return list((await self.session.execute(query)).scalars())

    async def deliveries_with_events(
        self, delivery_ids: list[str]
    ) -> list[tuple[DeliveryRecord, OutboundEventRecord]]:
        """Deliveries and the events they carry, in sequence order, in one query."""
        d, e = DeliveryRecord, OutboundEventRecord
        query = (
            select(d, e)
            .join(e, col(e.event_id) == col(d.event_id))
            .where(col(d.id).in_(delivery_ids))
            .order_by(col(d.sequence))
        )
        return [(row[0], row[1]) for row in (await self.session.execute(query)).all()]

    async def attempts(self, delivery_id: str) -> list[DeliveryAttemptRecord]:
        a = DeliveryAttemptRecord
        query = select(a).where(col(a.delivery_id) == delivery_id).order_by(col(a.id))
        return list((await self.session.execute(query)).scalars())

    async def failed_delivery_ids(
        self, endpoint_id: str, *, since: datetime | None, until: datetime | None
    ) -> list[str]:
        d = DeliveryRecord
        query = select(col(d.id)).where(
            col(d.endpoint_id) == endpoint_id, col(d.status) == "failed"
        )
        if since is not None:
            query = query.where(col(d.created_at) >= since)
        if until is not None:
            query = query.where(col(d.created_at) < until)
        return list((await self.session.execute(query.with_for_update())).scalars())

    async def requeue(self, delivery_ids: list[str]) -> None:
        if not delivery_ids:
            return
        d = DeliveryRecord
        await self.session.execute(
            update(d)
            .where(col(d.id).in_(delivery_ids))
            .values(status="pending", attempts=0, next_attempt_at=func.now(), completed_at=None)
        )

    # -- delivery engine (webhooks.delivery) ---------------------------------------------

    async def due_endpoints(self, me: str, limit: int) -> list[str]:
        """Endpoints with a delivery due, not disabled, not paused, whose lease is free or
        already ``me``'s."""
        rows = await self.session.execute(_DUE_ENDPOINTS, {"me": me, "limit": limit})
        return [row[0] for row in rows]

    async def take_lease(self, endpoint_id: str, me: str, seconds: float) -> bool:
        """Take or renew the endpoint's lease; False if another instance holds it."""
        rows = await self.session.execute(
            _TAKE_LEASE, {"me": me, "id": endpoint_id, "secs": seconds}
        )
        return rows.first() is not None

    async def release_lease(self, endpoint_id: str, me: str) -> None:
        await self.session.execute(_RELEASE_LEASE, {"id": endpoint_id, "me": me})

    async def next_batch(self, endpoint_id: str, limit: int) -> list[str]:
        """The oldest due pending delivery of each ordering key of the endpoint, in
        sequence order: a later event about a patent waits while an earlier one is
        pending."""
        rows = await self.session.execute(_NEXT_BATCH, {"endpoint": endpoint_id, "limit": limit})
        return [row[0] for row in rows]

    async def waiting(self, endpoint_ids: Sequence[str] | None = None) -> list[Waiting]:
        """Endpoints (these, or all) with a delivery ready to send, and since when they
        have made no attempt: the latest of when the oldest ready delivery fell due, the
        endpoint's last attempt, and the end of its circuit-breaker pause. A delivery is
        ready when the dispatcher would take it now (pending, due, first of its ordering
        key; the endpoint neither disabled nor paused until later). The longest wait
        first."""
        query = _WAITING_ALL if endpoint_ids is None else _WAITING_SOME
        params = {} if endpoint_ids is None else {"ids": list(endpoint_ids)}
        rows = await self.session.execute(query, params)
        return [Waiting(row[0], row[1], float(row[2])) for row in rows]

    # -- inbound -------------------------------------------------------------------------

    async def claim_inbound(self, platform_id: str, webhook_id: str) -> bool:
        """Record an inbound webhook-id; False if the platform sent it before."""
        result = await self.session.execute(
            insert(InboundMessageRecord)
            .values(
                InboundMessageRecord(platform_id=platform_id, webhook_id=webhook_id).model_dump()
            )
            .on_conflict_do_nothing()
            .returning(col(InboundMessageRecord.webhook_id))
        )
        return result.first() is not None

    async def set_inbound_listing(self, platform_id: str, webhook_id: str, listing_id: str) -> None:
        m = InboundMessageRecord
        await self.session.execute(
            update(m)
            .where(col(m.platform_id) == platform_id, col(m.webhook_id) == webhook_id)
            .values(listing_id=listing_id)
        )

    async def get_platform_by_org(self, org_id: str) -> PlatformRecord | None:
        query = select(PlatformRecord).where(col(PlatformRecord.org_id) == org_id)
        return (await self.session.execute(query)).scalar_one_or_none()


_DUE_ENDPOINTS = text(
    """
    SELECT DISTINCT d.endpoint_id
      FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
     WHERE d.status = 'pending' AND d.next_attempt_at <= now()
       AND e.status <> 'disabled'
       AND (e.paused_until IS NULL OR e.paused_until <= now())
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
     WHERE d.endpoint_id = :endpoint AND d.status = 'pending' AND d.next_attempt_at <= now()
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
           EXTRACT(EPOCH FROM now() - GREATEST(r.ready_since, e.last_attempt_at, e.paused_until))
      FROM endpoints e
     CROSS JOIN LATERAL (
           SELECT min(d.next_attempt_at) AS ready_since FROM deliveries d
            WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.next_attempt_at <= now()
              AND NOT EXISTS (
                  SELECT 1 FROM deliveries p
                   WHERE p.endpoint_id = d.endpoint_id AND p.status = 'pending'
                     AND p.ordering_key = d.ordering_key AND p.sequence < d.sequence)) r
     WHERE r.ready_since IS NOT NULL
       AND e.status <> 'disabled'
       AND (e.paused_until IS NULL OR e.paused_until <= now())
       {only}
     ORDER BY 2, 1
"""
_WAITING_ALL = text(_WAITING.format(only=""))
_WAITING_SOME = text(_WAITING.format(only="AND e.id = ANY(:ids)")).bindparams(
    bindparam("ids", type_=ARRAY(String()))
)
