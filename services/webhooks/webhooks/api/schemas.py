"""Response bodies of the webhooks API."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AnyHttpUrl, BaseModel, Field, ValidationError

from shared.http.types import VisibleStr
from webhooks.domain.errors import InboundPayloadRefused
from webhooks.domain.pacing import MAX_RATE_PER_S, MIN_RATE_PER_S
from webhooks.inbound.commands import InboundListing as InboundRequest


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


# -- platforms ----------------------------------------------------------------------------


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


# -- endpoints ----------------------------------------------------------------------------


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


# -- deliveries ---------------------------------------------------------------------------


class DeliveryPublic(BaseModel):
    id: str
    endpoint_id: str
    event_id: str = Field(description="Also the `webhook-id` of every attempt.")
    sequence: int
    status: str = Field(description="pending | succeeded | failed")
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    completed_at: datetime | None


class AttemptPublic(BaseModel):
    attempted_at: datetime
    status_code: int | None
    latency_ms: float
    error: str | None
    response_excerpt: str | None


def _within_the_calendar(value: datetime) -> datetime:
    """A time with an offset, taken to UTC; refused if that leaves the years 1 to 9999."""
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("time is out of range once taken to UTC") from exc


Instant = Annotated[datetime, AfterValidator(_within_the_calendar)]


class ReplayIn(BaseModel):
    since: Instant | None = Field(default=None, description="Deliveries created at or after.")
    until: Instant | None = Field(default=None, description="Deliveries created before.")


class ReplayResult(BaseModel):
    replayed: int


# -- inbound ------------------------------------------------------------------------------


class InboundListing(BaseModel):
    """What a platform's signed inbound webhook carries: a supply listing or a demand,
    in exactly the body that listing's own API takes."""

    kind: Literal["supply_listing", "demand"]
    listing: dict[str, Any] = Field(
        description="The body of POST /v1/supply-listings or POST /v1/demands of listing.",
        examples=[
            {
                "external_reference": "SZTEX-2026-00042",
                "title": "锂电池热管理技术需求",
                "description": "寻求动力电池低温快充热管理方案",
                "ipc_codes": ["H01M 10/615"],
                "region_code": "440300",
                "budget_min": "500000",
                "budget_max": "2000000",
                "deadline": "2027-06-30",
                "contact": "张工 0755-88888888",
            }
        ],
    )


class InboundAccepted(BaseModel):
    webhook_id: str
    kind: str
    listing_id: str


def read_inbound_listing(raw_body: bytes) -> InboundRequest:
    """The verified body of an inbound webhook; refused (422) when it is not an inbound
    listing, with pydantic's reasons."""
    try:
        message = InboundListing.model_validate_json(raw_body)
    except ValidationError as exc:
        raise InboundPayloadRefused(
            "the body is not an inbound listing: "
            + "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        ) from exc
    return InboundRequest(kind=message.kind, listing=message.listing)
