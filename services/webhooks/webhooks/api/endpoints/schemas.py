"""Request and response bodies of the endpoints (subscriptions) endpoints."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AnyHttpUrl, BaseModel, Field

from webhooks.domain.pacing import MAX_RATE_PER_S, MIN_RATE_PER_S


class EndpointFilters(BaseModel):
    """Every filter that is set must match; within one filter any entry may match."""

    regions: list[Annotated[str, Field(pattern=r"^\d{2,6}$")]] = Field(
        default_factory=list,
        description="Administrative region code prefixes (GB/T 2260): `44` Guangdong.",
        examples=[["4403", "4401"]],
    )
    ipc_prefixes: list[Annotated[str, Field(min_length=1, max_length=16)]] = Field(
        default_factory=list, examples=[["H01M", "G06N"]]
    )
    industries: list[Annotated[str, Field(min_length=1, max_length=8)]] = Field(
        default_factory=list, description="GB/T 4754 code prefixes.", examples=[["C38"]]
    )
    patent_types: list[Literal["invention", "utility_model", "design"]] = Field(
        default_factory=list
    )


EventTypePattern = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9_.*]{1,255}$",
        description="A CloudEvents type; `*` matches any characters.",
        examples=["cn.ipmarket.listing.*"],
    ),
]
SecretIn = Annotated[
    str,
    Field(
        pattern=r"^whsec_[A-Za-z0-9+/=]{32,88}$",
        description="Bring your own secret (whsec_ + base64 of 24-64 bytes); generated if absent.",
    ),
]

RateLimit = Annotated[
    float,
    Field(
        strict=True,
        allow_inf_nan=False,
        ge=MIN_RATE_PER_S,
        le=MAX_RATE_PER_S,
        description=(
            f"Deliveries per second at most, evenly spaced: a number from {MIN_RATE_PER_S:g}"
            f" (one every ten seconds) to {MAX_RATE_PER_S:g}; null for the service's default."
        ),
        examples=[5, 0.5],
    ),
]


class EndpointIn(BaseModel):
    url: AnyHttpUrl = Field(examples=["https://api.sztex.example/ipmarket/webhooks"])
    description: str | None = Field(default=None, max_length=500, examples=["深圳技术交易所主站"])
    event_types: list[EventTypePattern] = Field(
        default_factory=lambda: ["*"], min_length=1, max_length=50
    )
    filters: EndpointFilters = Field(default_factory=EndpointFilters)
    rate_limit_per_s: RateLimit | None = None
    secret: SecretIn | None = None


class EndpointState(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


class EndpointPatch(BaseModel):
    url: AnyHttpUrl | None = None
    description: str | None = Field(default=None, max_length=500)
    event_types: list[EventTypePattern] | None = Field(default=None, min_length=1, max_length=50)
    filters: EndpointFilters | None = None
    rate_limit_per_s: RateLimit | None = None
    status: EndpointState | None = Field(
        default=None, description="`active` re-enables a paused or disabled endpoint."
    )


class EndpointPublic(BaseModel):
    id: str
    platform_id: str
    url: str
    description: str | None
    event_types: list[str]
    filters: EndpointFilters
    rate_limit_per_s: float | None
    status: str = Field(description="active | paused (circuit open) | disabled")
    disabled_reason: str | None
    disabled_at: datetime | None
    consecutive_failures: int
    failing_since: datetime | None
    paused_until: datetime | None
    last_attempt_at: datetime | None = Field(
        default=None, description="When the last attempt to deliver to it was made."
    )
    waiting_since: datetime | None = Field(
        default=None,
        description=(
            "Since when a delivery has been ready to send with no attempt made: the latest "
            "of when it fell due, the last attempt and the end of a circuit-breaker pause. "
            "Null while no delivery is ready."
        ),
    )
    stalled: bool = Field(
        default=False,
        description=(
            "Waiting for longer than the service's stall threshold: deliveries are due but "
            "nothing is attempted, which no failure count shows. An operator's problem, "
            "not the receiver's."
        ),
    )
    created_at: datetime


class EndpointWithSecret(EndpointPublic):
    secret: str = Field(description="The signing secret. Shown once; stored encrypted.")


class SecretRotationIn(BaseModel):
    secret: SecretIn | None = None


class SecretRotation(BaseModel):
    endpoint_id: str
    secret: str = Field(description="The new signing secret. Shown once.")
    previous_secrets_expire_at: datetime = Field(
        description="Until then every message carries a signature with each secret."
    )
