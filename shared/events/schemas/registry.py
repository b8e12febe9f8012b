"""Events published by the registry-sync service on ``ipmarket.registry.v1``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from pydantic import Field

from shared.events import topics
from shared.events.schemas.base import EventData


class TechContractRegistrationRecorded(EventData):
    """A technology contract (技术合同认定登记) was recorded for a licence or transfer."""

    event_type: ClassVar[str] = "cn.ipmarket.registry.tech_contract.recorded.v1"
    topic: ClassVar[str] = topics.REGISTRY

    registration_id: str
    application_number: str
    contract_category: str = Field(examples=["license"])
    source_reference: str = Field(description="The licence or transfer the contract records.")
    seller_uscc: str | None = None
    buyer_uscc: str | None = None
    contract_value: Decimal | None = None
    currency: str = "CNY"
    status: str = Field(examples=["pending_submission"])
    registration_number: str | None = None
    recorded_on: date
