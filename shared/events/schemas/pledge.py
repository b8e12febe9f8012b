"""Events published by the pledge service on ``ipmarket.pledge.v1`` (and bank topics)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from pydantic import Field

from shared.events import topics
from shared.events.schemas.base import EventData, OrgRef


class _PledgeEvent(EventData):
    """Pledges may cover several patents: keyed by the pledge id, patents listed."""

    pledge_id: str
    application_numbers: list[str] = Field(min_length=1)

    def partition_key(self) -> str:
        return self.pledge_id

    def subject(self) -> str | None:
        return self.pledge_id


class PledgeRegistered(_PledgeEvent):
    """质押登记 took effect: the patents are encumbered from ``registered_on``."""

    event_type: ClassVar[str] = "cn.ipmarket.pledge.pledge.registered.v1"
    topic: ClassVar[str] = topics.PLEDGE

    pledgor: OrgRef
    pledgee: OrgRef
    secured_amount: Decimal
    currency: str = "CNY"
    debt_term_end: date
    registration_number: str | None = None
    registered_on: date
    open_license_consented: bool = Field(
        default=False, description="The pledgee consented to an open licence on the patents."
    )


class PledgeCancelled(_PledgeEvent):
    event_type: ClassVar[str] = "cn.ipmarket.pledge.pledge.cancelled.v1"
    topic: ClassVar[str] = topics.PLEDGE

    reason: str = Field(examples=["repaid"])
    cancelled_on: date
