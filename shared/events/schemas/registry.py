"""Events published by the registry-sync service on ``ipmarket.registry.v1``, keyed by the
patent's application number.

A technology-contract registration's life: recorded (prepared, with what it still lacks),
details changed (filed, completed or corrected by the seller), submitted to the office,
its submission retried, refused (with the office's reasons), resubmitted, registered (with
the registration number and the certified values). Each names the patent, the
registration, the licence or transfer it records, and its seller and buyer.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from shared.events import topics
from shared.events.schemas.base import EventData, OrgRef


class _RegistrationEvent(EventData):
    topic: ClassVar[str] = topics.REGISTRY

    registration_id: str
    application_number: str = Field(examples=["201710601862.3"])
    source_reference: str = Field(description="The licence or transfer the contract records.")
    source_kind: str = Field(
        default="open_license", description="open_license | negotiated_license | transfer"
    )
    contract_category: str = Field(examples=["license"])
    seller: OrgRef | None = None
    buyer: OrgRef | None = None


class TechContractRegistrationRecorded(_RegistrationEvent):
    """A technology contract (技术合同认定登记) was prepared for a licence or transfer:
    ``awaiting_filing`` (a licence until it is filed), ``awaiting_details`` (with
    ``missing_fields`` the seller completes) or ``ready`` to submit."""

    event_type: ClassVar[str] = "cn.ipmarket.registry.tech_contract.recorded.v1"

    seller_uscc: str | None = None
    buyer_uscc: str | None = None
    contract_value: Decimal | None = None
    currency: str = "CNY"
    status: str = Field(examples=["awaiting_filing"])
    missing_fields: list[str] = Field(default_factory=list, examples=[["contract_value"]])
    registration_number: str | None = None
    recorded_on: date


class TechContractRegistrationDetailsChanged(_RegistrationEvent):
    """The registration moved on: the licence was filed (``cause`` filed), or the seller
    completed or corrected its details (``corrected``). The values the seller typed stay
    out of the event; ``missing_fields`` says what is still lacking."""

    event_type: ClassVar[str] = "cn.ipmarket.registry.tech_contract.details_changed.v1"

    cause: str = Field(examples=["filed"], description="filed | corrected")
    status: str = Field(examples=["ready"])
    missing_fields: list[str] = Field(default_factory=list)
    filing_number: str | None = None


class TechContractRegistrationSubmitted(_RegistrationEvent):
    """The office received the contract (受理); ``office_reference`` is its receipt."""

    event_type: ClassVar[str] = "cn.ipmarket.registry.tech_contract.submitted.v1"

    office_reference: str
    submitted_at: datetime
    duplicate: bool = Field(
        default=False, description="The office already held it under this reference."
    )


class TechContractSubmissionRetried(_RegistrationEvent):
    """The office gave no usable answer; the submission is tried again later."""

    event_type: ClassVar[str] = "cn.ipmarket.registry.tech_contract.submission_retried.v1"

    attempt: int
    error_class: str = Field(examples=["timeout"])
    next_attempt_at: datetime


class OfficeReasonPublic(BaseModel):
    model_config = ConfigDict(frozen=True)

    field: str = Field(examples=["technology_value"])
    code: str = Field(examples=["above_contract_value"])
    message: str = Field(examples=["技术交易额不得超过合同成交额"])


class TechContractRegistrationRefused(_RegistrationEvent):
    """The office refused the contract; the seller corrects it and resubmits."""

    event_type: ClassVar[str] = "cn.ipmarket.registry.tech_contract.refused.v1"

    reasons: list[OfficeReasonPublic]


class TechContractRegistrationResubmitted(_RegistrationEvent):
    """The seller sent the corrected contract again after a refusal."""

    event_type: ClassVar[str] = "cn.ipmarket.registry.tech_contract.resubmitted.v1"

    status: str = Field(examples=["ready"])
    missing_fields: list[str] = Field(default_factory=list)


class TechContractRegistered(_RegistrationEvent):
    """The office registered the contract: its number and the values it certified."""

    event_type: ClassVar[str] = "cn.ipmarket.registry.tech_contract.registered.v1"

    registration_number: str = Field(examples=["2026440300000001"])
    registered_on: date
    certified_contract_value: Decimal | None = None
    certified_technology_value: Decimal | None = Field(
        default=None, description="技术交易额 as the office certified it."
    )
    currency: str = "CNY"
