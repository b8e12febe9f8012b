"""Request and response bodies of the inbound webhook."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from webhooks.domain.errors import InboundPayloadRefused
from webhooks.inbound.commands import InboundListing as InboundRequest


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
