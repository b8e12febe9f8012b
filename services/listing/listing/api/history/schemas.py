"""Response bodies of a patent's history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class TimelineEntry(BaseModel):
    event_id: str
    event_type: str = Field(examples=["cn.ipmarket.listing.declaration.published.v1"])
    label: str = Field(examples=["开放许可声明公告"])
    source: str = Field(examples=["/ipmarket/listing"])
    occurred_at: datetime
    actor: str | None
    data: dict[str, Any] | None = Field(
        description="The event's data; pledge details only for patentees, banks and the operator."
    )
