"""Events published by the license service on ``ipmarket.license.v1``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field

from shared.domain.terms import LicenseKind
from shared.events import topics
from shared.events.schemas.base import EventData, OrgRef


class LicenseGranted(EventData):
    """A licence is in force (for an open licence: notice given and paid)."""

    event_type: ClassVar[str] = "cn.ipmarket.license.license.granted.v1"
    topic: ClassVar[str] = topics.LICENSE

    license_id: str
    application_number: str
    patent_number: str
    kind: LicenseKind
    declaration_id: str | None = Field(default=None, description="Set for open licences.")
    terms_version: int | None = None
    licensors: list[OrgRef]
    licensee: OrgRef
    field_of_use: str | None = None
    effective_date: date
    term_end: date
    filing_deadline: date = Field(description="备案 due date: 3 months after effect.")
    contract_value: Decimal | None = Field(default=None, description="CNY, when fixed.")
    currency: str = "CNY"
    deal_id: str | None = Field(default=None, description="Set for a negotiated deal's licence.")


class _LicenseFilingEvent(EventData):
    """What every filing reminder and alarm says of its licence."""

    topic: ClassVar[str] = topics.LICENSE

    license_id: str
    application_number: str
    licensors: list[OrgRef]
    licensee: OrgRef
    effective_date: date
    filing_deadline: date


class LicenseFilingDue(_LicenseFilingEvent):
    """A licence still unfiled (备案) is close to its filing deadline: a reminder, sent once."""

    event_type: ClassVar[str] = "cn.ipmarket.license.filing.due.v1"

    days_left: int = Field(description="Calendar days from the reminder to the deadline.")


class LicenseFilingOverdue(_LicenseFilingEvent):
    """The filing deadline passed without a filing number recorded; sent once."""

    event_type: ClassVar[str] = "cn.ipmarket.license.filing.overdue.v1"


class LicenseFiled(EventData):
    """The licence was filed (备案) with CNIPA; its filing number is recorded."""

    event_type: ClassVar[str] = "cn.ipmarket.license.filing.recorded.v1"
    topic: ClassVar[str] = topics.LICENSE

    license_id: str
    application_number: str
    patent_number: str
    kind: LicenseKind
    licensors: list[OrgRef]
    licensee: OrgRef
    filing_number: str = Field(examples=["2026990000123"])
    filed_on: date
    filing_deadline: date
    late: bool = Field(default=False, description="Filed after the deadline.")


class RoyaltyReported(EventData):
    """The licensee reported its royalty base for one period; the amount due is fixed."""

    event_type: ClassVar[str] = "cn.ipmarket.license.royalty.reported.v1"
    topic: ClassVar[str] = topics.LICENSE

    license_id: str
    application_number: str
    period_id: str
    period_start: date
    period_end: date
    due_date: date
    royalty_base: str = Field(description="net_sales | profit")
    base_amount: Decimal
    royalty_rate: Decimal = Field(description="Percent of the base.")
    amount_due: Decimal = Field(description="base × rate / 100, rounded half-up to the fen.")
    currency: str = "CNY"


class LicenseBreachRecorded(EventData):
    """A party missed an obligation of its licence (a late royalty report or payment);
    recorded once per licence, period and kind, for credit supervision."""

    event_type: ClassVar[str] = "cn.ipmarket.license.breach.recorded.v1"
    topic: ClassVar[str] = topics.LICENSE

    breach_id: str
    license_id: str
    application_number: str
    kind: str = Field(examples=["royalty_report_overdue"])
    party: OrgRef
    period_id: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    due_date: date
    amount_outstanding: Decimal | None = None
    currency: str = "CNY"


class LicenseEnded(EventData):
    """A licence is no longer in force: its term ended (expired), the parties ended it
    (terminated) or a licensor or the operator rescinded it for breach (rescinded). An
    exclusive or sole licence's encumbrance on the patent is released."""

    event_type: ClassVar[str] = "cn.ipmarket.license.license.ended.v1"
    topic: ClassVar[str] = topics.LICENSE

    license_id: str
    application_number: str
    patent_number: str
    kind: LicenseKind
    licensors: list[OrgRef]
    licensee: OrgRef
    reason: Literal["expired", "terminated", "rescinded"]
    ended_on: date = Field(
        description="The first day the licence is no longer in force (term_end + 1 day "
        "for an expired one)."
    )
    effective_date: date
    term_end: date
