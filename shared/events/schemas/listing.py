"""Events published by the listing service on ``ipmarket.listing.v1``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from shared.domain.terms import PaymentMode, ReportingPeriod
from shared.events import topics
from shared.events.schemas.base import EventData, OrgRef, PatenteeRef


class OpenLicenseRoyaltySchedule(BaseModel):
    """When a running royalty is reported and paid, as the patentee declared it.

    Periods follow the calendar (years, half-years, quarters, months): the first starts on
    the day a licence takes effect, the last ends with the licence term. Report and payment
    of a period are due either ``due_days_after_period`` days after it ends, or (annual
    periods only) on ``annual_due`` of the following year. Exactly one of the two is set.
    """

    model_config = ConfigDict(frozen=True)

    period: ReportingPeriod = Field(examples=["quarterly"])
    due_days_after_period: int | None = Field(
        default=None,
        ge=1,
        le=180,
        description="Days after a period's last day by which its report and payment are due.",
        examples=[30],
    )
    annual_due: str | None = Field(
        default=None,
        pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        description="For annual periods: the day (MM-DD) of the following year by which "
        "the year's report and payment are due.",
        examples=["03-31"],
    )


class OpenLicenseTerms(BaseModel):
    """One immutable version of an open licence's published terms."""

    model_config = ConfigDict(frozen=True)

    payment_mode: PaymentMode
    lump_sum_fee: Decimal | None = Field(default=None, description="CNY, for lump_sum.")
    entry_fee: Decimal | None = Field(default=None, description="CNY, for entry_fee_plus_royalty.")
    royalty_base: str | None = Field(default=None, description="net_sales | profit")
    royalty_rate: Decimal | None = Field(default=None, description="Percent of the royalty base.")
    payment_schedule: str | None = Field(
        default=None,
        description="How payment works, in the patentee's words.",
        examples=["每年3月31日前支付上一年度费用"],
    )
    royalty_schedule: OpenLicenseRoyaltySchedule | None = Field(
        default=None,
        description="The declared reporting schedule of a running royalty (running_royalty, "
        "entry_fee_plus_royalty). Absent from terms announced before schedules were "
        "declared: consumers then read what they can from payment_schedule.",
    )
    term_start: date
    term_end: date
    territory: str = Field(default="中国大陆")
    currency: str = "CNY"


class PatentRegistered(EventData):
    event_type: ClassVar[str] = "cn.ipmarket.listing.patent.registered.v1"
    topic: ClassVar[str] = topics.LISTING

    application_number: str = Field(examples=["201710601862.3"])
    patent_number: str = Field(examples=["ZL201710601862.3"])
    patent_type: str = Field(examples=["invention"])
    title: str = Field(examples=["一种锂电池健康状态检测方法"])
    abstract: str | None = None
    ipc_codes: list[str] = Field(default_factory=list, examples=[["H01M 10/48"]])
    industry_codes: list[str] = Field(default_factory=list, examples=[["C384"]])
    patentees: list[PatenteeRef]
    region_code: str | None = None
    filing_date: date
    grant_date: date | None = None
    expiry_date: date
    legal_status: str = Field(examples=["valid"])
    annual_fee_status: str = Field(examples=["paid"])
    suspended: bool = False
    under_preservation: bool = False
    state_funded: bool = False


class PatentRestated(PatentRegistered):
    """A catalogued patent as listing holds it at ``as_of`` (its current patentees and
    status): published on the operator's request, on an internal topic, to fill the views
    of services that started after the patent was registered. A view applies it only
    when it holds nothing newer than ``as_of``."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.patent.restated.v1"
    topic: ClassVar[str] = topics.LISTING_RESTATEMENTS

    as_of: datetime = Field(description="When listing read the patent's facts.")
    job_id: str = Field(description="The restatement job that published it.")


class PatentStatusChanged(EventData):
    event_type: ClassVar[str] = "cn.ipmarket.listing.patent.status_changed.v1"
    topic: ClassVar[str] = topics.LISTING

    application_number: str
    legal_status: str
    annual_fee_status: str
    suspended: bool
    under_preservation: bool
    reason: str | None = None


class PatentOwnerChanged(EventData):
    event_type: ClassVar[str] = "cn.ipmarket.listing.patent.owner_changed.v1"
    topic: ClassVar[str] = topics.LISTING

    application_number: str
    previous_patentees: list[PatenteeRef]
    patentees: list[PatenteeRef]
    transfer_reference: str | None = Field(default=None, description="Recorded transfer's ref.")
    effective_date: date


class DeclarationPublished(EventData):
    """An open-licence declaration was announced: anyone may now take a licence."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.declaration.published.v1"
    topic: ClassVar[str] = topics.LISTING

    declaration_id: str
    application_number: str
    patent_number: str
    patent_type: str
    title: str
    patentees: list[PatenteeRef]
    terms_version: int
    terms: OpenLicenseTerms
    announced_at: datetime
    ipc_codes: list[str] = Field(default_factory=list)
    region_code: str | None = None


class DeclarationWithdrawn(EventData):
    """Withdrawal took effect on announcement; licences granted before it survive."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.declaration.withdrawn.v1"
    topic: ClassVar[str] = topics.LISTING

    declaration_id: str
    application_number: str
    effective_at: datetime
    reason: str | None = None


class DeclarationWithdrawalRequested(EventData):
    """The patentee asked to withdraw (in writing); the declaration stays in force until
    the withdrawal is announced (Art. 51), so licences may still be taken meanwhile."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.declaration.withdrawal_requested.v1"
    topic: ClassVar[str] = topics.LISTING

    declaration_id: str
    application_number: str
    requested_at: datetime
    reason: str | None = None


class DeclarationLapsed(EventData):
    """The patent is no longer valid (lapsed, invalidated, expired): the declaration
    ends; licences granted before keep their effect."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.declaration.lapsed.v1"
    topic: ClassVar[str] = topics.LISTING

    declaration_id: str
    application_number: str
    effective_at: datetime
    reason: str = Field(examples=["patent legal status is now terminated"])


class DeclarationExpired(EventData):
    """The declaration's own term ended."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.declaration.expired.v1"
    topic: ClassVar[str] = topics.LISTING

    declaration_id: str
    application_number: str
    term_end: date
    effective_at: datetime


class DeclarationSuspended(EventData):
    """An act that took effect earlier and forbids the declaration became known after it
    was announced (a race between services): no licence may be taken until it is
    reinstated. ``reason`` names the act."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.declaration.suspended.v1"
    topic: ClassVar[str] = topics.LISTING

    declaration_id: str
    application_number: str
    effective_at: datetime
    reason: str
    conflicting_reference: str | None = Field(
        default=None, description="The act's id, e.g. the pledge id."
    )


class DeclarationReinstated(EventData):
    """What suspended the declaration is gone (pledge cancelled, or the pledgee
    consented): licences may be taken again."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.declaration.reinstated.v1"
    topic: ClassVar[str] = topics.LISTING

    declaration_id: str
    application_number: str
    effective_at: datetime
    reason: str


class SupplyListingPublished(EventData):
    """A patentee (or a connected platform for one) lists a patent for transfer or a
    negotiated licence (供给信息). Keyed by the patent's application number."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.supply.published.v1"
    topic: ClassVar[str] = topics.LISTING

    listing_id: str
    application_number: str = Field(examples=["201710601862.3"])
    kind: str = Field(examples=["transfer"], description="transfer | license")
    title: str = Field(examples=["一种锂离子电池健康状态在线检测方法 专利转让"])
    description: str | None = None
    asking_price: Decimal | None = Field(default=None, description="CNY; absent = 面议.")
    currency: str = "CNY"
    ipc_codes: list[str] = Field(default_factory=list)
    industry_codes: list[str] = Field(default_factory=list)
    region_code: str | None = None
    patent_type: str | None = None
    contact: str = Field(examples=["技术转移中心 王老师 010-62780000"])
    lister: OrgRef
    external_reference: str | None = Field(
        default=None, description="The listing's id on the platform it came from."
    )
    valid_until: date | None = Field(
        default=None, description="The last day it is open (Asia/Shanghai); absent: no end."
    )
    version: int = Field(
        default=1,
        description=(
            "Grows with every change of the listing: keep the highest you applied per "
            "`listing_id` and ignore an event that does not carry a higher one."
        ),
    )


class DemandPublished(EventData):
    """An enterprise's technical need (需求信息). Keyed by the demand's id."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.demand.published.v1"
    topic: ClassVar[str] = topics.LISTING

    demand_id: str
    title: str = Field(examples=["锂电池热管理技术需求"])
    description: str
    technical_field: str | None = Field(default=None, examples=["新能源汽车动力电池"])
    ipc_codes: list[str] = Field(default_factory=list)
    industry_codes: list[str] = Field(default_factory=list)
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    currency: str = "CNY"
    region_code: str | None = None
    deadline: date
    contact: str
    requester: OrgRef
    external_reference: str | None = None
    version: int = Field(
        default=1,
        description=(
            "Grows with every change of the demand: keep the highest you applied per "
            "`demand_id` and ignore an event that does not carry a higher one."
        ),
    )

    def partition_key(self) -> str:
        return self.demand_id

    def subject(self) -> str | None:
        return self.demand_id


class StateFundedPatentFlagged(EventData):
    """A patent from a state-funded project was not exploited (no licence of any kind, no
    transfer, no implementation declared) by the fifth anniversary of its grant
    (Asia/Shanghai; a 29 February grant on 28 February): the state may license it
    (seed 001 三(六)). Raised once; ``state_funded.flag_cleared`` ends it."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.state_funded.flagged.v1"
    topic: ClassVar[str] = topics.LISTING

    application_number: str = Field(examples=["201710601862.3"])
    grant_date: date
    flagged_on: date = Field(description="The Asia/Shanghai date the flag was raised.")
    institutions: list[OrgRef] = Field(
        description="The patent's institutional patentees (all patentees if none is one)."
    )


class StateFundedFlagCleared(EventData):
    """Something exploits a flagged state-funded patent now: the flag is cleared."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.state_funded.flag_cleared.v1"
    topic: ClassVar[str] = topics.LISTING

    application_number: str = Field(examples=["201710601862.3"])
    cleared_on: date = Field(description="The Asia/Shanghai date the flag was cleared.")
    because: str = Field(
        examples=["licensed"],
        description="implemented | licensed | transferred | justified_reason",
    )
