"""The queries of platforms, endpoints and their secrets, outbound events, patents'
attributes and inbound webhook-ids (deliveries: ``deliveries/repository.py``).

Platforms and endpoints are loaded and saved as domain objects (``mapping.py``).
Outbound events are a read path: stored from the domain's :class:`OutboundEvent` and
read back as rows, shaped straight into CloudEvents (no rule acts on them)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, or_, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped
from sqlmodel import col, select

from shared.circuit import CircuitStatus
from shared.db.rows import loaded_row
from webhooks.domain.endpoint import Endpoint
from webhooks.domain.outbound_event import OutboundEvent
from webhooks.domain.platform import Platform
from webhooks.mapping import (
    endpoint_record,
    fill_endpoint,
    fill_platform,
    outbound_record,
    platform_record,
    to_endpoint,
    to_platform,
)
from webhooks.models import (
    EndpointRecord,
    EndpointSecretRecord,
    InboundMessageRecord,
    OutboundEventRecord,
    PatentAttributesRecord,
    PlatformRecord,
)

# Tables as Core sees them, for the consumer's statements over a fetch's events at once.
_OUTBOUND = OutboundEventRecord.__table__  # type: ignore[attr-defined]
_PATENTS = PatentAttributesRecord.__table__  # type: ignore[attr-defined]


def after_position(
    time: Mapped[datetime], ident: Mapped[str], after: tuple[datetime, str]
) -> ColumnElement[bool]:
    """Keyset paging: the rows after ``after`` in (time, id) order, as one row comparison
    the (time, id) index answers."""
    return tuple_(time, ident) > tuple_(*after)


class WebhooksRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- outbound events -----------------------------------------------------------------

    async def add_outbound(
        self, received: Sequence[tuple[OutboundEvent, datetime]]
    ) -> dict[str, int]:
        """Store events, each with when it was received, in one statement; the sequence
        number of each stored now, by event id (one stored before is not stored again)."""
        if not received:
            return {}
        rows = []
        for event, received_at in received:
            record = outbound_record(event)
            record.received_at = received_at
            rows.append(record.model_dump(exclude={"sequence"}))
        result = await self.session.execute(
            insert(_OUTBOUND)
            .on_conflict_do_nothing(index_elements=["event_id"])
            .returning(_OUTBOUND.c.event_id, _OUTBOUND.c.sequence),
            rows,
        )
        return {event_id: sequence for event_id, sequence in result}

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
            query = query.where(after_position(col(e.received_at), col(e.event_id), after))
        return list((await self.session.execute(query)).scalars())

    async def upsert_patents(self, records: Sequence[PatentAttributesRecord]) -> None:
        """Keep the patents' attributes, in one statement (the last of a number wins)."""
        rows = list({r.application_number: r.model_dump() for r in records}.values())
        if not rows:
            return
        stmt = insert(_PATENTS)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["application_number"],
                set_={k: stmt.excluded[k] for k in rows[0] if k != "application_number"},
            ),
            rows,
        )

    async def get_patents(self, numbers: set[str]) -> dict[str, PatentAttributesRecord]:
        if not numbers:
            return {}
        query = select(PatentAttributesRecord).where(
            col(PatentAttributesRecord.application_number).in_(sorted(numbers))
        )
        return {r.application_number: r for r in (await self.session.execute(query)).scalars()}

    # -- platforms -----------------------------------------------------------------------

    async def add_platform(self, platform: Platform) -> bool:
        """Insert unless the organisation is connected already; True if inserted."""
        result = await self.session.execute(
            insert(PlatformRecord)
            .values(**platform_record(platform).model_dump())
            .on_conflict_do_nothing(index_elements=["org_id"])
            .returning(col(PlatformRecord.id))
        )
        return result.first() is not None

    async def get_platform(self, platform_id: str) -> Platform | None:
        record = await self.session.get(PlatformRecord, platform_id)
        return None if record is None else to_platform(record)

    async def save_platform(self, platform: Platform) -> None:
        record = await loaded_row(self.session, PlatformRecord, platform.id)
        assert record is not None, "a platform is saved after it was loaded"
        fill_platform(record, platform)

    async def list_platforms(
        self, org_id: str | None, *, limit: int, after: tuple[datetime, str] | None
    ) -> list[Platform]:
        p = PlatformRecord
        query = select(p).order_by(col(p.created_at), col(p.id)).limit(limit)
        if after is not None:
            query = query.where(after_position(col(p.created_at), col(p.id), after))
        if org_id is not None:
            query = query.where(col(p.org_id) == org_id)
        return [to_platform(r) for r in (await self.session.execute(query)).scalars()]

    # -- endpoints -----------------------------------------------------------------------

    async def add_endpoint(self, endpoint: Endpoint) -> None:
        self.session.add(endpoint_record(endpoint))
        await self.session.flush()

    async def get_endpoint(self, endpoint_id: str, *, for_update: bool = False) -> Endpoint | None:
        query = select(EndpointRecord).where(col(EndpointRecord.id) == endpoint_id)
        if for_update:
            query = query.with_for_update()
        record = (await self.session.execute(query)).scalar_one_or_none()
        return None if record is None else to_endpoint(record)

    async def save_endpoint(self, endpoint: Endpoint) -> None:
        """Write what the domain holds; the lease columns stay the engine's."""
        record = await loaded_row(self.session, EndpointRecord, endpoint.id)
        assert record is not None, "an endpoint is saved after it was loaded"
        fill_endpoint(record, endpoint)
        await self.session.flush()

    async def list_endpoints(
        self,
        *,
        org_id: str | None,
        platform_id: str | None,
        status: CircuitStatus | None,
        limit: int,
        after: tuple[datetime, str] | None,
    ) -> list[Endpoint]:
        e, p = EndpointRecord, PlatformRecord
        query = (
            select(e)
            .join(p, col(p.id) == col(e.platform_id))
            .order_by(col(e.created_at), col(e.id))
            .limit(limit)
        )
        if after is not None:
            query = query.where(after_position(col(e.created_at), col(e.id), after))
        if org_id is not None:
            query = query.where(col(p.org_id) == org_id)
        if platform_id is not None:
            query = query.where(col(e.platform_id) == platform_id)
        if status is not None:
            query = query.where(col(e.status) == status.value)
        return [to_endpoint(r) for r in (await self.session.execute(query)).scalars()]

    async def deliverable_endpoints(self) -> list[tuple[Endpoint, str]]:
        """Endpoints that take new deliveries (active or paused, not disabled), each with
        its platform's organisation."""
        e, p = EndpointRecord, PlatformRecord
        query = (
            select(e, col(p.org_id))
            .join(p, col(p.id) == col(e.platform_id))
            .where(col(e.status) != CircuitStatus.DISABLED.value)
            .order_by(col(e.id))
        )
        return [(to_endpoint(row[0]), row[1]) for row in (await self.session.execute(query)).all()]

    async def add_secret(self, secret_id: str, endpoint_id: str, sealed: str) -> None:
        self.session.add(EndpointSecretRecord(id=secret_id, endpoint_id=endpoint_id, secret=sealed))
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

    # -- inbound -------------------------------------------------------------------------

    async def claim_inbound(self, platform_id: str, webhook_id: str, received_at: datetime) -> bool:
        """Record an inbound webhook-id; False if the platform sent it before."""
        result = await self.session.execute(
            insert(InboundMessageRecord)
            .values(
                InboundMessageRecord(
                    platform_id=platform_id, webhook_id=webhook_id, received_at=received_at
                ).model_dump()
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
