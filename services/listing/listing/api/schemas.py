"""Request and response bodies several areas of the listing API share."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from listing.domain.patent import PartyType
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
