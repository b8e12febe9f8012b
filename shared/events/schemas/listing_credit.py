"""Listing's events about credit restrictions (信用监管) on ``ipmarket.listing.v1``: an
announced open-licence declaration's annual-fee reduction withheld while a patentee is
restricted by a credit record in license, and eligible again when the restriction is
lifted. They carry no facts or grounds: the declaration, its patent, the state and the
record."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field

from shared.events import topics
from shared.events.schemas.base import EventData


class DeclarationFeeReductionChanged(EventData):
    """The open-licence annual-fee reduction (开放许可年费减免, 15 %) of an announced
    declaration flipped: ``withheld`` when a patentee became restricted by a credit
    record, ``eligible`` when the last such restriction was lifted."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.declaration.fee_reduction_changed.v1"
    topic: ClassVar[str] = topics.LISTING

    declaration_id: str
    application_number: str = Field(examples=["201710601862.3"])
    annual_fee_reduction: Literal["eligible", "withheld"]
    record_id: str = Field(
        description=(
            "The credit record that withheld the reduction, or (eligible) whose lift restored it."
        )
    )
    changed_at: datetime
