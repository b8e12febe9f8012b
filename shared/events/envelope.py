"""CloudEvents 1.0 envelope.

On Kafka the binary content mode is used: attributes travel as ``ce_*`` headers and
the body is the event's JSON data (``content-type: application/json``). Webhooks use
the structured mode (:meth:`CloudEvent.to_structured`), so type and id travel in the body.

Extensions used by ipmarket:

- ``traceparent``: W3C trace context of the action that caused the event;
- ``actor``: id of the organisation that acted (the audit trail);
- ``partitionkey``: the Kafka key (normalised application number or aggregate id);
- ``originplatform``: the connected platform a listing came from, when it came from one.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

SPEC_VERSION = "1.0"
JSON_CONTENT_TYPE = "application/json"
EXTENSIONS = ("traceparent", "actor", "partitionkey", "originplatform")


class MalformedEvent(ValueError):
    """A Kafka record that is not a CloudEvent we can read (goes to the dead-letter topic)."""


class CloudEvent(BaseModel):
    """One event. ``data`` is the JSON object of the event type's schema."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), min_length=1)
    source: str = Field(min_length=1, examples=["/ipmarket/listing"])
    type: str = Field(min_length=1, examples=["cn.ipmarket.listing.declaration.published.v1"])
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    specversion: str = SPEC_VERSION
    subject: str | None = Field(default=None, examples=["201710601862.3"])
    datacontenttype: str = JSON_CONTENT_TYPE
    data: dict[str, Any]
    traceparent: str | None = None
    actor: str | None = None
    partitionkey: str | None = None
    originplatform: str | None = None

    # -- Kafka binary mode -------------------------------------------------------------

    def kafka_headers(self) -> list[tuple[str, bytes]]:
        headers = [
            ("ce_specversion", self.specversion),
            ("ce_id", self.id),
            ("ce_source", self.source),
            ("ce_type", self.type),
            ("ce_time", self.time.isoformat()),
            ("content-type", self.datacontenttype),
        ]
        if self.subject is not None:
            headers.append(("ce_subject", self.subject))
        for name in EXTENSIONS:
            value = getattr(self, name)
            if value is not None:
                headers.append((f"ce_{name}", value))
        return [(k, v.encode()) for k, v in headers]

    def kafka_value(self) -> bytes:
        return encode_data(self.data)

    @classmethod
    def from_kafka(
        cls, headers: Sequence[tuple[str, bytes]] | None, value: bytes | None
    ) -> CloudEvent:
        """Read a binary-mode record; raise :class:`MalformedEvent` naming what is wrong."""
        attrs: dict[str, str] = {}
        for key, raw in headers or ():
            try:
                attrs[key] = raw.decode()
            except UnicodeDecodeError as exc:
                raise MalformedEvent(f"header {key!r} is not UTF-8") from exc
        missing = [h for h in ("ce_id", "ce_source", "ce_type", "ce_specversion") if h not in attrs]
        if missing:
            raise MalformedEvent(f"missing CloudEvents headers: {', '.join(missing)}")
        if attrs["ce_specversion"] != SPEC_VERSION:
            raise MalformedEvent(f"unsupported specversion {attrs['ce_specversion']!r}")
        if value is None:
            raise MalformedEvent("record has no body")
        try:
            data = json.loads(value)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise MalformedEvent(f"body is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise MalformedEvent("body is not a JSON object")
        fields: dict[str, Any] = {
            "id": attrs["ce_id"],
            "source": attrs["ce_source"],
            "type": attrs["ce_type"],
            "specversion": attrs["ce_specversion"],
            "subject": attrs.get("ce_subject"),
            "datacontenttype": attrs.get("content-type", JSON_CONTENT_TYPE),
            "data": data,
        }
        if "ce_time" in attrs:
            fields["time"] = attrs["ce_time"]
        for name in EXTENSIONS:
            fields[name] = attrs.get(f"ce_{name}")
        try:
            return cls.model_validate(fields)
        except ValidationError as exc:
            raise MalformedEvent(f"invalid CloudEvents attributes: {exc}") from exc

    # -- structured mode (webhooks) ----------------------------------------------------

    def to_structured(self) -> dict[str, Any]:
        """The event as one CloudEvents JSON object (structured content mode)."""
        return self.model_dump(mode="json", exclude_none=True)


def encode_data(data: Mapping[str, Any]) -> bytes:
    """Canonical JSON for event bodies: UTF-8, Chinese kept as is, no spaces."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
