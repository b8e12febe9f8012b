"""Webhooks use cases: platforms, endpoints, fan-out, deliveries, replay.

Services never commit; the caller's unit of work does.
"""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.errors import NotFound
from shared.events.envelope import CloudEvent
from webhooks.adapters.listing import ListingAnswer, ListingClient
from webhooks.adapters.secret_box import SecretBox
from webhooks.api import schemas
from webhooks.domain.address import EndpointRefused, IPNetwork, check_address, check_url
from webhooks.domain.circuit import EndpointStatus
from webhooks.domain.errors import (
    DeliveryNotReplayable,
    EndpointUrlRefused,
    InboundDuplicate,
    InboundPayloadRefused,
    InboundSignatureRejected,
    NotYourPlatform,
    PlatformAlreadyRegistered,
)
from webhooks.domain.signing import SignatureRejected, generate_secret, verify
from webhooks.domain.subscription import EventAttributes, Filters, type_matches
from webhooks.models import (
    DeliveryAttemptRecord,
    DeliveryRecord,
    EndpointRecord,
    EndpointSecretRecord,
    OutboundEventRecord,
    PatentAttributesRecord,
    PlatformRecord,
)
from webhooks.repository import Waiting, WebhooksRepository


@dataclass(frozen=True)
class Keys:
    """What management use cases need besides the unit of work."""

    box: SecretBox
    require_https: bool
    allowed_networks: Sequence[IPNetwork]
    rotation_overlap: timedelta


def _now() -> datetime:
    return datetime.now(UTC)


# -- fan-out ------------------------------------------------------------------------------


async def enqueue(
    uow: UnitOfWork, event: CloudEvent, *, topic: str, partition: int, offset: int
) -> int:
    """Keep a public event and queue one delivery per subscribed endpoint, in the same
    transaction as the consumer's inbox row. Returns the number of deliveries queued.

    Endpoints of the platform the event came from are skipped (no echo); disabled
    endpoints get nothing while disabled.
    """
    repo = WebhooksRepository(uow.session)
    sequence = await repo.add_outbound(
        OutboundEventRecord(
            event_id=event.id,
            event_type=event.type,
            source=event.source,
            subject=event.subject,
            partition_key=event.partitionkey,
            event_time=event.time,
            data=event.data,
            traceparent=event.traceparent,
            actor=event.actor,
            origin_platform=event.originplatform,
            topic=topic,
            partition=partition,
            offset=offset,
        )
    )
    if sequence is None:  # the same event again: its deliveries exist already
        return 0
    await _remember_patent(repo, event)
    attrs = await _attributes(repo, event)
    queued = 0
    for endpoint, platform in await repo.deliverable_endpoints():
        if event.originplatform is not None and event.originplatform == platform.org_id:
            continue
        if not type_matches(endpoint.event_types, event.type):
            continue
        if not _filters(endpoint).matches(attrs):
            continue
        await repo.add_delivery(
            DeliveryRecord(
                id=str(uuid.uuid4()),
                endpoint_id=endpoint.id,
                event_id=event.id,
                sequence=sequence,
                ordering_key=f"{event.source}|{event.partitionkey or event.subject or event.id}",
            )
        )
        queued += 1
    return queued


async def _remember_patent(repo: WebhooksRepository, event: CloudEvent) -> None:
    if event.type != "cn.ipmarket.listing.patent.registered.v1":
        return
    data = event.data
    await repo.upsert_patent(
        PatentAttributesRecord(
            application_number=str(data["application_number"]),
            patent_type=data.get("patent_type"),
            region_code=data.get("region_code"),
            ipc_codes=list(data.get("ipc_codes") or []),
            industry_codes=list(data.get("industry_codes") or []),
        )
    )


async def _attributes(repo: WebhooksRepository, event: CloudEvent) -> EventAttributes:
    """Filter attributes from the event's data, completed from the patent it is about."""
    data = event.data
    number = data.get("application_number")
    patent = await repo.get_patent(str(number)) if number else None
    return EventAttributes(
        region_code=data.get("region_code") or (patent.region_code if patent else None),
        ipc_codes=tuple(data.get("ipc_codes") or (patent.ipc_codes if patent else ())),
        industry_codes=tuple(
            data.get("industry_codes") or (patent.industry_codes if patent else ())
        ),
        patent_type=data.get("patent_type") or (patent.patent_type if patent else None),
    )


def _filters(endpoint: EndpointRecord) -> Filters:
    f = endpoint.filters
    return Filters(
        regions=tuple(f.get("regions") or ()),
        ipc_prefixes=tuple(f.get("ipc_prefixes") or ()),
        industries=tuple(f.get("industries") or ()),
        patent_types=tuple(f.get("patent_types") or ()),
    )


# -- platforms ----------------------------------------------------------------------------


async def register_platform(
    uow: UnitOfWork, keys: Keys, body: schemas.PlatformCreate
) -> tuple[PlatformRecord, str]:
    """A new connected platform and its inbound signing secret (returned once)."""
    secret = generate_secret()
    record = PlatformRecord(
        id=str(uuid.uuid4()),
        org_id=body.org_id,
        name=body.name,
        region_code=body.region_code,
        inbound_secret=keys.box.seal(secret),
    )
    if not await WebhooksRepository(uow.session).add_platform(record):
        raise PlatformAlreadyRegistered(f"organisation {body.org_id} is already connected")
    return record, secret


async def rotate_inbound_secret(
    uow: UnitOfWork, keys: Keys, principal: Principal, platform_id: str
) -> tuple[PlatformRecord, str]:
    platform = await platform_for(uow, principal, platform_id)
    secret = generate_secret()
    platform.inbound_secret = keys.box.seal(secret)
    uow.session.add(platform)
    return platform, secret


async def platform_for(uow: UnitOfWork, principal: Principal, platform_id: str) -> PlatformRecord:
    """The platform, if the caller is the operator or the platform itself."""
    platform = await WebhooksRepository(uow.session).get_platform(platform_id)
    if platform is None:
        raise NotFound(f"platform {platform_id} is not connected")
    if principal.org_type is not OrgType.OPERATOR and principal.org_id != platform.org_id:
        raise NotYourPlatform(f"platform {platform_id} belongs to another organisation")
    return platform


async def list_platforms(
    uow: UnitOfWork, principal: Principal, *, limit: int, after: tuple[datetime, str] | None
) -> list[PlatformRecord]:
    repo = WebhooksRepository(uow.session)
    org = None if principal.org_type is OrgType.OPERATOR else principal.org_id
    return await repo.list_platforms(org, limit=limit, after=after)


# -- endpoints ----------------------------------------------------------------------------


def _checked_url(url: str, keys: Keys) -> str:
    """Checked when saved (an address literal at once; host names again at every send,
    on the address they then resolve to)."""
    try:
        _, host, _ = check_url(url, require_https=keys.require_https)
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            check_address(literal, keys.allowed_networks)
    except EndpointRefused as exc:
        raise EndpointUrlRefused(str(exc), field="url") from exc
    return url


async def add_endpoint(
    uow: UnitOfWork, keys: Keys, principal: Principal, platform_id: str, body: schemas.EndpointIn
) -> tuple[EndpointRecord, str]:
    """A new endpoint and its signing secret (returned once; stored encrypted)."""
    platform = await platform_for(uow, principal, platform_id)
    endpoint = EndpointRecord(
        id=str(uuid.uuid4()),
        platform_id=platform.id,
        url=_checked_url(str(body.url), keys),
        description=body.description,
        event_types=list(body.event_types),
        filters=body.filters.model_dump(),
        rate_limit_per_s=body.rate_limit_per_s,
    )
    secret = body.secret or generate_secret()
    repo = WebhooksRepository(uow.session)
    await repo.add_endpoint(endpoint)
    await repo.add_secret(
        EndpointSecretRecord(
            id=str(uuid.uuid4()), endpoint_id=endpoint.id, secret=keys.box.seal(secret)
        )
    )
    return endpoint, secret


async def endpoint_for(
    uow: UnitOfWork, principal: Principal, endpoint_id: str, *, for_update: bool = False
) -> EndpointRecord:
    repo = WebhooksRepository(uow.session)
    endpoint = await repo.get_endpoint(endpoint_id, for_update=for_update)
    if endpoint is None:
        raise NotFound(f"endpoint {endpoint_id} does not exist")
    await platform_for(uow, principal, endpoint.platform_id)
    return endpoint


async def list_endpoints(
    uow: UnitOfWork,
    principal: Principal,
    *,
    platform_id: str | None,
    status: str | None,
    limit: int,
    after: tuple[datetime, str] | None,
) -> list[EndpointRecord]:
    """Every endpoint for the operator, a platform's own for a platform; oldest first,
    a page after the position ``after`` (creation time, id)."""
    if platform_id is not None:
        await platform_for(uow, principal, platform_id)
    org = None if principal.org_type is OrgType.OPERATOR else principal.org_id
    return await WebhooksRepository(uow.session).list_endpoints(
        org_id=org, platform_id=platform_id, status=status, limit=limit, after=after
    )


async def update_endpoint(
    uow: UnitOfWork, keys: Keys, principal: Principal, endpoint_id: str, body: schemas.EndpointPatch
) -> EndpointRecord:
    endpoint = await endpoint_for(uow, principal, endpoint_id, for_update=True)
    if body.url is not None:
        endpoint.url = _checked_url(str(body.url), keys)
    if body.description is not None:
        endpoint.description = body.description
    if body.event_types is not None:
        endpoint.event_types = list(body.event_types)
    if body.filters is not None:
        endpoint.filters = body.filters.model_dump()
    if "rate_limit_per_s" in body.model_fields_set:
        endpoint.rate_limit_per_s = body.rate_limit_per_s
    if body.status is not None:
        _set_status(endpoint, body.status)
    uow.session.add(endpoint)
    return endpoint


async def waiting(uow: UnitOfWork, endpoint_ids: Sequence[str]) -> dict[str, Waiting]:
    """Which of these endpoints have a delivery ready to send, and since when they have
    made no attempt (``WebhooksRepository.waiting``)."""
    if not endpoint_ids:
        return {}
    found = await WebhooksRepository(uow.session).waiting(endpoint_ids)
    return {w.endpoint_id: w for w in found}


def _set_status(endpoint: EndpointRecord, status: schemas.EndpointState) -> None:
    """Enable (also after a circuit pause or an automatic disable) or disable by hand."""
    if status is schemas.EndpointState.ACTIVE:
        endpoint.status = EndpointStatus.ACTIVE.value
        endpoint.disabled_reason = endpoint.disabled_at = None
        endpoint.consecutive_failures, endpoint.cooldown_s = 0, 0
        endpoint.failing_since = endpoint.paused_until = None
    else:
        endpoint.status = EndpointStatus.DISABLED.value
        endpoint.disabled_reason = "disabled through the API"
        endpoint.disabled_at = _now()


async def rotate_secret(
    uow: UnitOfWork, keys: Keys, principal: Principal, endpoint_id: str, secret: str | None
) -> tuple[EndpointRecord, str, datetime]:
    """A new signing secret; the previous ones keep signing for the overlap period."""
    endpoint = await endpoint_for(uow, principal, endpoint_id, for_update=True)
    repo = WebhooksRepository(uow.session)
    now = _now()
    until = now + keys.rotation_overlap
    await repo.expire_secrets(endpoint.id, until)
    new = secret or generate_secret()
    await repo.add_secret(
        EndpointSecretRecord(
            id=str(uuid.uuid4()), endpoint_id=endpoint.id, secret=keys.box.seal(new)
        )
    )
    return endpoint, new, until


# -- deliveries ---------------------------------------------------------------------------


async def list_deliveries(
    uow: UnitOfWork,
    principal: Principal,
    endpoint_id: str,
    *,
    status: str | None,
    limit: int,
    after: tuple[datetime, str] | None,
) -> list[DeliveryRecord]:
    await endpoint_for(uow, principal, endpoint_id)
    return await WebhooksRepository(uow.session).list_deliveries(
        endpoint_id, status=status, limit=limit, after=after
    )


async def delivery_for(
    uow: UnitOfWork, principal: Principal, delivery_id: str, *, for_update: bool = False
) -> DeliveryRecord:
    delivery = await WebhooksRepository(uow.session).get_delivery(
        delivery_id, for_update=for_update
    )
    if delivery is None:
        raise NotFound(f"delivery {delivery_id} does not exist")
    await endpoint_for(uow, principal, delivery.endpoint_id)
    return delivery


async def attempts(
    uow: UnitOfWork, principal: Principal, delivery_id: str
) -> list[DeliveryAttemptRecord]:
    await delivery_for(uow, principal, delivery_id)
    return await WebhooksRepository(uow.session).attempts(delivery_id)


async def replay(uow: UnitOfWork, principal: Principal, delivery_id: str) -> DeliveryRecord:
    """Send a failed delivery again, under the same webhook-id, with a fresh retry budget."""
    delivery = await delivery_for(uow, principal, delivery_id, for_update=True)
    if delivery.status != "failed":
        raise DeliveryNotReplayable(
            f"delivery {delivery_id} is {delivery.status}; only failed deliveries are replayed"
        )
    await WebhooksRepository(uow.session).requeue([delivery.id])
    await uow.session.refresh(delivery)
    return delivery


async def replay_failed(
    uow: UnitOfWork,
    principal: Principal,
    endpoint_id: str,
    *,
    since: datetime | None,
    until: datetime | None,
) -> int:
    """Replay every failed delivery of an endpoint, optionally within a time range of
    the deliveries' creation. Returns how many were queued again."""
    await endpoint_for(uow, principal, endpoint_id)
    repo = WebhooksRepository(uow.session)
    ids = await repo.failed_delivery_ids(endpoint_id, since=since, until=until)
    await repo.requeue(ids)
    return len(ids)


# -- outbound events (read) ---------------------------------------------------------------


async def get_outbound(uow: UnitOfWork, event_id: str) -> OutboundEventRecord:
    record = await WebhooksRepository(uow.session).get_outbound(event_id)
    if record is None:
        raise NotFound(f"event {event_id} was not received")
    return record


async def list_outbound(
    uow: UnitOfWork,
    *,
    limit: int,
    after: tuple[datetime, str] | None,
    event_type: str | None,
    subject: str | None,
) -> list[OutboundEventRecord]:
    return await WebhooksRepository(uow.session).list_outbound(
        limit=limit, after=after, event_type=event_type, subject=subject
    )


def as_cloud_event(record: OutboundEventRecord) -> CloudEvent:
    return CloudEvent(
        id=record.event_id,
        source=record.source,
        type=record.event_type,
        time=record.event_time,
        subject=record.subject,
        data=record.data,
        traceparent=record.traceparent,
        actor=record.actor,
        partitionkey=record.partition_key,
        originplatform=record.origin_platform,
    )


def webhook_body(record: OutboundEventRecord) -> dict[str, Any]:
    """What an endpoint receives: the CloudEvent in structured mode, with the CloudEvents
    ``sequence`` extension (this service's arrival order, compared as an integer)."""
    body = as_cloud_event(record).to_structured()
    body["sequence"] = str(record.sequence)
    return body


# -- inbound publishing -------------------------------------------------------------------


async def receive_inbound(
    uow: UnitOfWork,
    box: SecretBox,
    listing: ListingClient,
    *,
    platform_id: str,
    headers: Mapping[str, str],
    raw_body: bytes,
    tolerance_s: int,
) -> tuple[str, ListingAnswer]:
    """Verify a platform's signed webhook on its raw body and create its listing through
    listing's API. The webhook-id is claimed in this transaction: a repeat is refused;
    a refused listing releases it (the caller does not commit)."""
    platform = await WebhooksRepository(uow.session).get_platform(platform_id)
    if platform is None:
        raise NotFound(f"platform {platform_id} is not connected")
    try:
        signed = verify(
            [box.open(platform.inbound_secret)],
            headers,
            raw_body,
            now=int(_now().timestamp()),
            tolerance_s=tolerance_s,
        )
    except SignatureRejected as exc:
        raise InboundSignatureRejected(str(exc)) from exc
    try:
        message = schemas.InboundListing.model_validate_json(raw_body)
    except ValidationError as exc:
        raise InboundPayloadRefused(
            "the body is not an inbound listing: "
            + "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        ) from exc
    repo = WebhooksRepository(uow.session)
    if not await repo.claim_inbound(platform.id, signed.webhook_id):
        raise InboundDuplicate(
            f"webhook-id {signed.webhook_id} was already received from platform {platform.id}"
        )
    answer = await listing.publish(
        kind=message.kind, body=message.listing, org_id=platform.org_id, org_name=platform.name
    )
    if answer.created:
        await repo.set_inbound_listing(platform.id, signed.webhook_id, str(answer.body.get("id")))
    return signed.webhook_id, answer
