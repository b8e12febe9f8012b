"""Rows <-> domain objects, written once.

A row is filled from its domain object field by field (``fill_*``), so saving an
aggregate never touches what the domain does not hold (an endpoint's lease columns
belong to the delivery engine's SQL alone).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from shared.circuit import CircuitStatus
from shared.events.envelope import CloudEvent
from webhooks.domain.delivery import Delivery, DeliveryStatus
from webhooks.domain.endpoint import Endpoint
from webhooks.domain.outbound_event import OutboundEvent
from webhooks.domain.platform import Platform
from webhooks.domain.subscription import Filters
from webhooks.models import DeliveryRecord, EndpointRecord, OutboundEventRecord, PlatformRecord

# The fields a row and its domain object hold under the same name and type.
_PLATFORM = ("id", "org_id", "name", "region_code", "inbound_secret", "created_at")
_ENDPOINT = (
    "id",
    "platform_id",
    "url",
    "description",
    "rate_limit_per_s",
    "disabled_reason",
    "disabled_at",
    "consecutive_failures",
    "failing_since",
    "paused_until",
    "cooldown_s",
    "last_attempt_at",
    "created_at",
)
_DELIVERY = (
    "id",
    "endpoint_id",
    "event_id",
    "sequence",
    "ordering_key",
    "attempts",
    "next_attempt_at",
    "last_status_code",
    "last_error",
    "created_at",
    "completed_at",
)


def _same(source: object, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(source, name) for name in names}


def _fill(record: object, source: object, names: tuple[str, ...]) -> None:
    for name, value in _same(source, names).items():
        setattr(record, name, value)


# -- platforms ----------------------------------------------------------------------------


def to_platform(record: PlatformRecord) -> Platform:
    return Platform(**_same(record, _PLATFORM))


def fill_platform(record: PlatformRecord, platform: Platform) -> PlatformRecord:
    _fill(record, platform, _PLATFORM)
    return record


def platform_record(platform: Platform) -> PlatformRecord:
    return PlatformRecord(**_same(platform, _PLATFORM))


# -- endpoints ----------------------------------------------------------------------------


def to_endpoint(record: EndpointRecord) -> Endpoint:
    filters = record.filters
    return Endpoint(
        **_same(record, _ENDPOINT),
        event_types=list(record.event_types),
        filters=Filters(**{name: tuple(filters.get(name) or ()) for name in _FILTERS}),
        status=CircuitStatus(record.status),
    )


def fill_endpoint(record: EndpointRecord, endpoint: Endpoint) -> EndpointRecord:
    _fill(record, endpoint, _ENDPOINT)
    record.event_types = list(endpoint.event_types)
    record.filters = {name: list(values) for name, values in asdict(endpoint.filters).items()}
    record.status = endpoint.status.value
    return record


def endpoint_record(endpoint: Endpoint) -> EndpointRecord:
    # Every column is filled from the domain object; the constructor only needs its
    # required ones to exist.
    record = EndpointRecord(
        id=endpoint.id,
        platform_id=endpoint.platform_id,
        url=endpoint.url,
        event_types=[],
        filters={},
    )
    return fill_endpoint(record, endpoint)


_FILTERS = tuple(Filters.__dataclass_fields__)


# -- deliveries ---------------------------------------------------------------------------


def to_delivery(record: DeliveryRecord) -> Delivery:
    return Delivery(**_same(record, _DELIVERY), status=DeliveryStatus(record.status))


def fill_delivery(record: DeliveryRecord, delivery: Delivery) -> DeliveryRecord:
    _fill(record, delivery, _DELIVERY)
    record.status = delivery.status.value
    return record


def delivery_columns(delivery: Delivery) -> dict[str, Any]:
    """The delivery's columns as a plain row, for statements that write many at once."""
    return {**_same(delivery, _DELIVERY), "status": delivery.status.value}


def delivery_record(delivery: Delivery) -> DeliveryRecord:
    return DeliveryRecord(**_same(delivery, _DELIVERY), status=delivery.status.value)


# -- outbound events ----------------------------------------------------------------------


def outbound_event(event: CloudEvent, *, topic: str, partition: int, offset: int) -> OutboundEvent:
    """A public event as it came off its topic, to keep for delivery."""
    return OutboundEvent(
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


def outbound_record(event: OutboundEvent) -> OutboundEventRecord:
    # vars(): the fields as they are; asdict would deep-copy the event's data.
    return OutboundEventRecord(**vars(event))


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
