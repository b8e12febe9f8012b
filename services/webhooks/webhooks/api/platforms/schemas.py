"""Request and response bodies of the platforms endpoints."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from shared.http.types import VisibleStr


class PlatformCreate(BaseModel):
    org_id: str = Field(
        pattern=r"^[A-Za-z0-9_-]{1,64}$",
        description="The platform's organisation id: its tokens carry it as `org_id`.",
        examples=["sz-tech-exchange"],
    )
    name: VisibleStr = Field(max_length=200, examples=["深圳技术交易所"])
    region_code: str | None = Field(default=None, pattern=r"^\d{6}$", examples=["440300"])


class PlatformPublic(BaseModel):
    id: str
    org_id: str
    name: str
    region_code: str | None
    created_at: datetime


class PlatformWithSecret(PlatformPublic):
    inbound_secret: str = Field(
        description="Signs the platform's inbound webhooks (Standard Webhooks). Shown once.",
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    )
