"""Response bodies of the recordals API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from registry_sync.domain.recordal import RecordalKind, RecordalStatus


class RecordalPublic(BaseModel):
    id: str = Field(description="registry-sync's recordal; the office's idempotency key.")
    kind: RecordalKind
    source_reference: str = Field(description="The licence (filing) or deal (transfer).")
    application_number: str = Field(examples=["201710601862.3"])
    request: dict[str, Any] = Field(description="What was (or will be) sent to the office.")
    status: RecordalStatus
    office_reference: str | None = Field(description="The office's receipt (受理号).")
    submitted_at: datetime | None
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None = Field(description="Why the last call to the office failed.")
    reasons: list[str] = Field(description="The office's reasons for a refusal.")
    number: str | None = Field(description="The filing (备案号) or recordal number.")
    decided_on: date | None
    announced_on: date | None
    created_at: datetime
