"""The AsyncAPI 3.0 document of every topic and event type, generated from the models.

``python -m shared.events.asyncapi`` prints it; the committed copy is
``docs/asyncapi.json`` and a test fails when it differs from what the models say, so
a bank's or an exchange's developer can consume our topics from the document alone.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from shared.events import topics
from shared.events.schemas import EVENT_TYPES, EventData

VERSION = "1.0.0"

_CHANNELS = {
    topics.LISTING: (
        "listing",
        "The patent catalogue, open-licence declarations, supply listings and technical "
        "needs. Public: every connected platform may read it.",
    ),
    topics.LISTING_RESTATEMENTS: (
        "listingRestatements",
        "Listing's restatements of its catalogue, one per patent, for the platform's own "
        "services' views. Internal: not delivered to connected platforms.",
    ),
    topics.LICENSE: (
        "license",
        "Licences taken, filed and ended; negotiated deals and transfers. Public.",
    ),
    topics.PLEDGE: (
        "pledge",
        "Every pledge's life, for the platform's own services. Banks do not read it: each "
        "reads its own topic (pledgeBank).",
    ),
    topics.REGISTRY: ("registry", "Technology-contract registrations (技术合同登记)."),
    topics.MATCHING: (
        "matching",
        "Enterprises' feedback on the patents proposed to them (published by the matching "
        "service). Public: enterprise names are business facts; their texts stay inside.",
    ),
}

_HEADERS: dict[str, Any] = {
    "type": "object",
    "description": (
        "CloudEvents 1.0 attributes in Kafka binary content mode: each attribute is a "
        "`ce_`-prefixed header, the record value is the event's `data` as JSON."
    ),
    "required": ["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "content-type"],
    "properties": {
        "ce_specversion": {"type": "string", "const": "1.0"},
        "ce_id": {
            "type": "string",
            "description": "Unique per event; consumers deduplicate on it (delivery is at "
            "least once).",
        },
        "ce_source": {"type": "string", "examples": ["/ipmarket/listing"]},
        "ce_type": {"type": "string"},
        "ce_time": {"type": "string", "format": "date-time"},
        "ce_subject": {
            "type": "string",
            "description": "What the event is about: a patent's application number, or "
            "the aggregate's id for events about several patents.",
            "examples": ["201710601862.3"],
        },
        "ce_partitionkey": {"type": "string", "description": "The Kafka key, repeated."},
        "ce_actor": {"type": "string", "description": "The organisation that acted."},
        "ce_originplatform": {
            "type": "string",
            "description": "The connected platform a listing came from, when it did.",
        },
        "ce_traceparent": {"type": "string", "description": "W3C trace context."},
        "content-type": {"type": "string", "const": "application/json"},
    },
}

_DESCRIPTION = """\
Events of the ipmarket patent marketplace (专利开放许可、交易与质押融资).

Every record is a CloudEvents 1.0 event in Kafka binary content mode (`ce_*` headers,
JSON value). Event types carry their version in the name (`...v1`); a published type
only gains optional fields, anything else becomes a new type (`...v2`). Unknown fields
must be ignored.

Keys and order: events about one patent are keyed by its normalised application number
(`201710601862.3`), so one service's events about one patent are in order on one
partition. Events about several patents (a portfolio pledge) are keyed by their
aggregate's id and list the patents. Consumers may not assume any order across topics
(services) or across keys, and must deduplicate on `ce_id`: delivery is at least once.
"""


def _message_name(model: type[EventData]) -> str:
    return model.__name__


def published_types() -> dict[str, type[EventData]]:
    """The project's event types (tests may register their own in the same registry)."""
    return {
        t: m for t, m in EVENT_TYPES.items() if m.__module__.startswith("shared.events.schemas")
    }


def document() -> dict[str, Any]:
    schemas: dict[str, Any] = {"CloudEventsHeaders": _HEADERS}
    messages: dict[str, Any] = {}
    by_topic: dict[str, list[str]] = {t: [] for t in _CHANNELS}
    for event_type, model in sorted(published_types().items()):
        name = _message_name(model)
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for def_name, definition in schema.pop("$defs", {}).items():
            schemas.setdefault(def_name, definition)
        schemas[name] = schema
        messages[name] = {
            "name": event_type,
            "title": name,
            "summary": (model.__doc__ or event_type).strip().splitlines()[0],
            "contentType": "application/json",
            "headers": {
                "allOf": [
                    {"$ref": "#/components/schemas/CloudEventsHeaders"},
                    {"properties": {"ce_type": {"const": event_type}}},
                ]
            },
            "payload": {"$ref": f"#/components/schemas/{name}"},
            "bindings": {
                "kafka": {
                    "key": {
                        "type": "string",
                        "description": "The patent's application number, or the "
                        "aggregate's id for events about several patents.",
                    },
                    "bindingVersion": "0.5.0",
                }
            },
        }
        by_topic.setdefault(model.topic, []).append(name)

    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for topic, (channel, description) in _CHANNELS.items():
        names = by_topic.get(topic, [])
        channels[channel] = {
            "address": topic,
            "description": description,
            "messages": {n: {"$ref": f"#/components/messages/{n}"} for n in names},
        }
        operations[f"receive_{channel}"] = _receive(channel, names)
    bank_messages = by_topic.get(topics.PLEDGE, [])
    channels["pledgeBank"] = {
        "address": topics.bank_pledge_topic("BANK").replace("BANK", "{bankOrgId}"),
        "description": (
            "One bank's pledge events and nobody else's (the pledges where it is the "
            "pledgee): the same events as on the pledge topic, with the same `ce_id`. "
            "Created when the bank is first seen; Kafka ACLs grant each bank READ on its "
            "own topic only (deploy/kafka-acls.md)."
        ),
        "parameters": {"bankOrgId": {"description": "The bank's organisation id on the platform."}},
        "messages": {n: {"$ref": f"#/components/messages/{n}"} for n in bank_messages},
    }
    operations["receive_pledgeBank"] = _receive("pledgeBank", bank_messages)
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "ipmarket events", "version": VERSION, "description": _DESCRIPTION},
        "defaultContentType": "application/json",
        "servers": {
            "production": {
                "host": "kafka:9092",
                "protocol": "kafka",
                "description": "Apache Kafka (KRaft); TLS/SASL per deployment.",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def _receive(channel: str, names: list[str]) -> dict[str, Any]:
    return {
        "action": "receive",
        "channel": {"$ref": f"#/channels/{channel}"},
        "messages": [{"$ref": f"#/channels/{channel}/messages/{n}"} for n in names],
    }


def render() -> str:
    return json.dumps(document(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
