"""Request and response bodies of the inbound webhook."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from webhooks.domain.errors import InboundPayloadRefused
from webhooks.inbound.commands import InboundListing as InboundRequest


class InboundListing(BaseModel):
    """What a platform's signed inbound webhook carries: a supply listing or a demand to
    publish, in exactly the body that listing's own API takes; or an update or close of
    one the platform published, named by `listing_id` or its own `external_reference`,
    with the body of listing's `PATCH` or `close`."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["supply_listing", "demand"]
    action: Literal["publish", "update", "close"] = Field(
        default="publish",
        description=(
            "publish (the default): `listing` is the body of POST /v1/supply-listings or "
            "POST /v1/demands; update: the body of their PATCH; close: the body of their "
            'close (`{}` or `{"note": ...}`).'
        ),
    )
    listing_id: str | None = Field(
        default=None,
        max_length=36,
        pattern=r"^[0-9a-fA-F-]+$",
        description="update and close: the listing's id in the network.",
    )
    external_reference: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        pattern=r"^[\w.:/-]+$",
        description="update and close: the platform's own reference it published it under.",
    )
    listing: dict[str, Any] = Field(
        default_factory=dict,
        description="The body of listing's API for the action.",
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

    @model_validator(mode="after")
    def _names_its_listing(self) -> InboundListing:
        named = (self.listing_id is not None) + (self.external_reference is not None)
        if self.action == "publish" and named:
            raise ValueError("publish names no listing: its reference goes in `listing`")
        if self.action != "publish" and named != 1:
            raise ValueError(f"{self.action} names its listing by listing_id or external_reference")
        return self


class InboundAccepted(BaseModel):
    webhook_id: str
    action: str = "publish"
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
    return InboundRequest(
        kind=message.kind,
        listing=message.listing,
        action=message.action,
        listing_id=message.listing_id,
        external_reference=message.external_reference,
    )
