"""Request and response bodies of the outbound-events endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class OutboundEventPublic(BaseModel):
    """An event in CloudEvents structured form, as platforms will receive it."""

    specversion: str = "1.0"
    id: str
    source: str = Field(examples=["/ipmarket/listing"])
    type: str = Field(examples=["cn.ipmarket.listing.declaration.published.v1"])
    time: datetime
    subject: str | None = Field(default=None, examples=["201710601862.3"])
    datacontenttype: str = "application/json"
    data: dict[str, Any]
    traceparent: str | None = None
    actor: str | None = None
    partitionkey: str | None = None
    originplatform: str | None = None
