"""Events registry-sync publishes on ``ipmarket.registry.v1`` about the patent office:
licence filings (专利实施许可合同备案) and transfer registrations (专利权转让登记) it
submits on the parties' behalf, and the legal-status changes the office announces.

The reasons of a refusal are the office's words, never a party's."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import Field

from shared.events import topics
from shared.events.schemas.base import EventData


class _RecordalEvent(EventData):
    topic: ClassVar[str] = topics.REGISTRY

    recordal_id: str = Field(description="registry-sync's recordal: the idempotency key.")
    application_number: str


class LicenseFilingSubmitted(_RecordalEvent):
    """A licence's filing went to the patent office; it answered with its receipt."""

    event_type: ClassVar[str] = "cn.ipmarket.registry.license_filing.submitted.v1"

    license_id: str
    office_reference: str
    submitted_at: datetime


class LicenseFilingRegistered(_RecordalEvent):
    """The patent office filed the licence (备案): license records the filing."""

    event_type: ClassVar[str] = "cn.ipmarket.registry.license_filing.registered.v1"

    license_id: str
    filing_number: str = Field(examples=["2026990000123"])
    filed_on: date


class LicenseFilingRefused(_RecordalEvent):
    """The patent office refused the licence's filing, with its reasons."""

    event_type: ClassVar[str] = "cn.ipmarket.registry.license_filing.refused.v1"

    license_id: str
    reasons: list[str] = Field(examples=[["被许可人统一社会信用代码缺失"]])


class TransferRegistrationSubmitted(_RecordalEvent):
    """A transfer's registration went to the patent office; it answered with its receipt."""

    event_type: ClassVar[str] = "cn.ipmarket.registry.transfer_registration.submitted.v1"

    deal_id: str
    office_reference: str
    submitted_at: datetime


class TransferRegistrationRecorded(_RecordalEvent):
    """The patent office recorded the transfer (著录项目变更): license records it and listing
    changes the owner."""

    event_type: ClassVar[str] = "cn.ipmarket.registry.transfer_registration.recorded.v1"

    deal_id: str
    recordal_number: str = Field(examples=["2026ZR00000042"])
    recorded_on: date
    announced_on: date | None = None


class TransferRegistrationRefused(_RecordalEvent):
    """The patent office refused the transfer's registration, with its reasons."""

    event_type: ClassVar[str] = "cn.ipmarket.registry.transfer_registration.refused.v1"

    deal_id: str
    reasons: list[str]


class PatentLegalStatusReported(EventData):
    """The patent office's legal-status feed announced a change of a patent's status;
    listing, the one writer of a patent's facts, applies it."""

    event_type: ClassVar[str] = "cn.ipmarket.registry.legal_status.reported.v1"
    topic: ClassVar[str] = topics.REGISTRY

    application_number: str
    status_event: str = Field(
        description="fees_unpaid | grace_period_ended | terminated | invalidated | "
        "partially_invalidated | restored",
        examples=["terminated"],
    )
    effective_on: date
    announced_on: date
    sequence: int = Field(description="The entry's position in the office's feed.")
