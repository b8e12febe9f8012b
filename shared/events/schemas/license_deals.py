"""Events of the license service's negotiated deals (licences and transfers), on
``ipmarket.license.v1``, keyed by the patent's application number.

Negotiations are private: the deal events name the parties and the patent, never an
offer's price or terms. The agreed value of a transfer is public once agreed (the
technology contract is registered), as a licence's is in ``LicenseGranted``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field

from shared.domain.terms import LicenseKind
from shared.events import topics
from shared.events.schemas.base import EventData, OrgRef, PatenteeRef

DealType = Literal["license", "transfer"]


class _DealEvent(EventData):
    topic: ClassVar[str] = topics.LICENSE

    deal_id: str
    application_number: str = Field(examples=["201710601862.3"])


class DealOpened(_DealEvent):
    """A negotiation began with a first offer (its terms stay between the parties)."""

    event_type: ClassVar[str] = "cn.ipmarket.license.deal.opened.v1"

    patent_number: str = Field(examples=["ZL201710601862.3"])
    deal_type: DealType
    kind: LicenseKind | None = Field(default=None, description="For a licence deal.")
    patentee: OrgRef
    counterparty: OrgRef
    opened_at: datetime


class DealAgreed(_DealEvent):
    """An offer was accepted: the parties sign the contract next. An exclusive or sole
    licence's scope is reserved from now on."""

    event_type: ClassVar[str] = "cn.ipmarket.license.deal.agreed.v1"

    patent_number: str
    deal_type: DealType
    kind: LicenseKind | None = None
    patentee: OrgRef
    counterparty: OrgRef
    agreed_at: datetime


class DealFailed(_DealEvent):
    """The deal cannot go on: the patent lapsed or changed owner before it took effect."""

    event_type: ClassVar[str] = "cn.ipmarket.license.deal.failed.v1"

    reason: str = Field(examples=["patent 201710601862.3: its legal status is terminated"])
    failed_at: datetime


class TransferAgreed(_DealEvent):
    """Both parties signed a transfer contract (the technology contract of a transfer);
    it is recorded with the patent office next."""

    event_type: ClassVar[str] = "cn.ipmarket.license.transfer.agreed.v1"

    patent_number: str
    transferors: list[PatenteeRef]
    transferees: list[PatenteeRef]
    contract_value: Decimal = Field(description="CNY.")
    currency: str = "CNY"
    signed_on: date


class TransferRecorded(_DealEvent):
    """The patent office recorded the transfer: the transferees own the patent (listing
    changes the owner)."""

    event_type: ClassVar[str] = "cn.ipmarket.license.transfer.recorded.v1"

    patent_number: str
    transferors: list[PatenteeRef]
    transferees: list[PatenteeRef]
    recordal_number: str = Field(examples=["2026110123456.7"])
    recorded_on: date
    contract_value: Decimal = Field(description="CNY.")
    currency: str = "CNY"
