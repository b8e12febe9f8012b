"""Request and response bodies several areas of the listing API share."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from listing.domain.inventory import Willingness
from listing.domain.patent import PartyType
from listing.domain.tiers import Tier
from shared.http.pagination import Position
from shared.http.types import ApplicationNumberStr


class NumberPosition(Position):
    """After the patent with this application number: the position of lists in
    application-number order (the catalogue, an institution's inventoried patents)."""

    n: ApplicationNumberStr


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PatenteeOut(BaseModel):
    name: str
    uscc: str | None
    share: Decimal
    party_type: PartyType


# The public facts of a patent's inventory, shown with the patent and in search hits.
TierInForce = Annotated[
    Tier | None, Field(description="Tier in force (分层), if the patent is inventoried.")
]
WillingnessShown = Annotated[
    Willingness | None, Field(description="The institution's willingness to transform.")
]
FlaggedSince = Annotated[
    date | None,
    Field(
        description="Since when it is flagged as a state-funded patent unexploited five years "
        "after grant, if it is."
    ),
]
