"""Producer and topic administration built from a service's settings."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from shared.settings import ServiceSettings

log = logging.getLogger(__name__)

# Kafka error codes in a CreateTopics response that mean "nothing to do".
_TOPIC_ALREADY_EXISTS = 36


def create_producer(settings: ServiceSettings) -> AIOKafkaProducer:
    """acks=all always; idempotence only where the broker supports it (Apache Kafka)."""
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=f"ipmarket-{settings.service_name}",
        acks="all",
        enable_idempotence=settings.kafka_enable_idempotence,
        linger_ms=5,
        request_timeout_ms=settings.kafka_request_timeout_ms,
        retry_backoff_ms=200,
    )


async def ensure_topics(settings: ServiceSettings, topics: Iterable[str]) -> None:
    """Create the topics a service touches, with the configured partition count.

    Partitions cannot be added later on every broker (Tansu cannot), so topics are
    created explicitly at start rather than left to auto-creation; the outbox relay calls
    this again for a broker that lost its history. Each request is bounded by the request
    timeout: a broker that stopped answering raises ``TimeoutError``.
    """
    wanted = sorted(set(topics))
    if not wanted:
        return
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=f"ipmarket-{settings.service_name}-admin",
        request_timeout_ms=settings.kafka_request_timeout_ms,
    )
    limit = settings.kafka_request_timeout_ms / 1000
    try:
        await asyncio.wait_for(admin.start(), limit)
        existing = set(await asyncio.wait_for(admin.list_topics(), limit))
        missing = [t for t in wanted if t not in existing]
        if not missing:
            return
        create = admin.create_topics(
            [
                NewTopic(
                    name=t,
                    num_partitions=settings.kafka_topic_partitions,
                    replication_factor=settings.kafka_replication_factor,
                )
                for t in missing
            ]
        )
        response = await asyncio.wait_for(create, limit)
        for topic, code, *_ in response.topic_errors:
            if code not in (0, _TOPIC_ALREADY_EXISTS):
                raise RuntimeError(f"could not create topic {topic}: Kafka error code {code}")
        log.info("created topics", extra={"topics": missing})
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(admin.close(), timeout=settings.shutdown_timeout_s)
