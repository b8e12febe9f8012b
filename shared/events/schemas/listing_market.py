"""Supply listings and demands that change and end, on ``ipmarket.listing.v1``.

An update carries the whole listing as it now is (it replaces what the receiver has); a
close retracts it. Each carries the listing's ``version``, which every change bumps, and
travels under the key of the listing's published event (a supply listing's patent, a
demand's id), so a platform receives them in the order they happened.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import Field

from shared.events import topics
from shared.events.schemas.base import EventData
from shared.events.schemas.listing import DemandPublished, SupplyListingPublished

_REASON = Field(
    examples=["withdrawn"],
    description="withdrawn (by its publisher) | expired (its end date passed)",
)


class SupplyListingUpdated(SupplyListingPublished):
    """The publisher changed a published supply listing: the whole listing as it now is."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.supply.updated.v1"


class _ListingClosed(EventData):
    """What a close says of any listing: why, when, at which version, and the facets
    subscriptions filter on."""

    reason: str = _REASON
    note: str | None = Field(default=None, description="The publisher's word on why.")
    version: int
    closed_at: datetime
    ipc_codes: list[str] = Field(default_factory=list)
    industry_codes: list[str] = Field(default_factory=list)
    region_code: str | None = None
    external_reference: str | None = None


class SupplyListingClosed(_ListingClosed):
    """A published supply listing was withdrawn by its publisher or expired: it is no
    longer offered. Keyed by the patent's application number, like its other events."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.supply.closed.v1"
    topic: ClassVar[str] = topics.LISTING

    listing_id: str
    application_number: str = Field(examples=["201710601862.3"])
    patent_type: str | None = None


class DemandUpdated(DemandPublished):
    """The requester changed a published demand: the whole demand as it now is."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.demand.updated.v1"


class DemandClosed(_ListingClosed):
    """A published demand was withdrawn by its requester or passed its deadline. Keyed by
    the demand's id."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.demand.closed.v1"
    topic: ClassVar[str] = topics.LISTING

    demand_id: str

    def partition_key(self) -> str:
        return self.demand_id

    def subject(self) -> str | None:
        return self.demand_id
