"""Prometheus metrics. Every series carries the service name as a label."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter(
    "ipmarket_http_requests_total",
    "HTTP requests handled.",
    ["service", "method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "ipmarket_http_request_duration_seconds",
    "HTTP request latency.",
    ["service", "method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
OUTBOX_PUBLISHED = Counter(
    "ipmarket_outbox_published_total", "Outbox events acknowledged by the broker.", ["service"]
)
OUTBOX_PUBLISH_FAILURES = Counter(
    "ipmarket_outbox_publish_failures_total",
    "Outbox batches the broker did not acknowledge (retried).",
    ["service"],
)
OUTBOX_REPLAYED = Counter(
    "ipmarket_outbox_replayed_total",
    "Outbox events sent again because the broker had lost its history (a new cluster id).",
    ["service"],
)
OUTBOX_LAG_SECONDS = Histogram(
    "ipmarket_outbox_commit_to_ack_seconds",
    "Time from the commit of an event to the broker's acknowledgement.",
    ["service"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0, 30.0, 300.0),
)
OUTBOX_LEADER = Gauge(
    "ipmarket_outbox_relay_leader", "1 while this instance holds the relay lease.", ["service"]
)
CONSUMER_PARTITIONS = Gauge(
    "ipmarket_consumer_assigned_partitions",
    "Partitions this instance's member of a consumer group holds (0: none yet, or idle).",
    ["service", "group"],
)
EVENTS_CONSUMED = Counter(
    "ipmarket_events_consumed_total",
    "Events taken from Kafka by outcome: handled, duplicate, ignored, dead_lettered.",
    ["service", "group", "event_type", "outcome"],
)
