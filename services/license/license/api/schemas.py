"""Response bodies several areas of the license API share, and the base of its request bodies."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from license import mapping
from license.domain.declaration import LicenseTerms, Patentee
from license.domain.filing_deadline import FilingAlert
from license.domain.license import LicenseStatus, PatentLicense
from shared.domain import Money
from shared.events.schemas import LicenseKind, PaymentMode, ReportingPeriod
from shared.http.pagination import TimeIdPosition
from shared.http.types import MoneyModel


class Saved(Protocol):
    """A licence, deal, mediation case or credit record: lists of them run newest first."""

    @property
    def id(self) -> str: ...

    @property
    def created_at(self) -> datetime | None: ...


def saved_position(item: Saved) -> TimeIdPosition:
    """Where a page of saved items ended (a saved item has its creation time)."""
    assert item.created_at is not None
    return TimeIdPosition(t=item.created_at, id=item.id)


class InputModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RoyaltyScheduleOut(BaseModel):
    """The reporting schedule the patentee declared for a running royalty."""

    period: ReportingPeriod = Field(
        description="annual 每年 | semiannual 每半年 | quarterly 每季度 | monthly 每月; calendar "
        "periods, the first starting when the licence takes effect."
    )
    due_days_after_period: int | None = Field(
        default=None, description="Each period is due this many days after its last day."
    )
    annual_due: str | None = Field(
        default=None,
        description="Annual periods: due on this day (MM-DD) of the following year.",
        examples=["03-31"],
    )


class TermsOut(BaseModel):
    """The terms version the licensee accepted (or the declaration's current one)."""

    payment_mode: PaymentMode
    lump_sum_fee: Decimal | None
    entry_fee: Decimal | None
    royalty_base: str | None
    royalty_rate: Decimal | None
    payment_schedule: str | None
    royalty_schedule: RoyaltyScheduleOut | None = Field(
        default=None,
        description="The declared royalty schedule; absent from terms announced before "
        "schedules were declared (their periods are inferred from `payment_schedule`).",
    )
    term_start: date
    term_end: date
    territory: str
    currency: str = "CNY"

    @classmethod
    def of(cls, terms: LicenseTerms) -> TermsOut:
        # The stored shape of the terms (listing's announced shape) is the API's shape.
        return cls.model_validate(mapping.terms_json(terms))


class PatenteeOut(BaseModel):
    name: str = Field(examples=["清华大学"])
    uscc: str | None = Field(examples=["12100000400000624D"])
    share: Decimal
    party_type: str


class LicenseeOut(BaseModel):
    org_id: str | None = Field(
        description="Its platform organisation id; null for a licensee of a negotiated "
        "licence known only by its name and USCC (it sees the licence by its USCC)."
    )
    name: str = Field(examples=["深圳市新能储能科技有限公司"])
    uscc: str | None = Field(examples=["91440300192317458F"])


class RateAmendmentOut(BaseModel):
    royalty_rate: Decimal = Field(description="Percent of the royalty base.", examples=["2.0"])
    effective_from: date
    mediation_case_id: str
    agreed_on: date = Field(description="The day the settlement closed the mediation.")


class LicensePublic(BaseModel):
    id: str
    declaration_id: str | None
    application_number: str = Field(examples=["201710601862.3"])
    patent_number: str = Field(examples=["ZL201710601862.3"])
    kind: LicenseKind
    status: LicenseStatus
    terms_version: int | None = Field(description="The terms version accepted; it never changes.")
    terms: TermsOut
    licensors: list[PatenteeOut]
    licensee: LicenseeOut
    field_of_use: str | None
    contact: str | None
    effective_date: date | None = Field(description="Set when the licence takes effect.")
    term_end: date | None
    filing_deadline: date | None = Field(
        description="Last day to file (备案) the licence: 3 months after it took effect."
    )
    contract_value: MoneyModel | None = Field(
        description="Fixed value of the contract (lump sum or entry fee), if the terms have one."
    )
    filing_number: str | None = Field(description="备案号, once the licence is filed.")
    filed_on: date | None
    filing_alert: FilingAlert = Field(
        description="How close an active (unfiled) licence is to `filing_deadline`, as of "
        "today in Asia/Shanghai: `due` from the reminder day (15 days before the deadline), "
        "`overdue` from the day after it; `none` before, and for a licence awaiting payment "
        "or filed. The deadline watch publishes the reminder and the alarm for these levels."
    )
    created_at: datetime
    activated_at: datetime | None
    ended_on: date | None = Field(
        default=None,
        description="Once the licence is expired, terminated or rescinded: the first day it "
        "is no longer in force (term_end + 1 day for an expired one).",
    )
    end_reason: str | None = Field(
        default=None,
        description="Why it ended: `term_ended`; a termination's `agreement` or "
        "`licensee_gives_up`; a rescission's ground as `breach:<breach id>`, "
        "`judgment:<案号>` or `arbitral_award:<案号>`.",
        examples=["breach:5c2e8f7a-1d3b-4a6c-9e0f-2b4d6a8c0e1f"],
    )
    end_note: str | None = Field(default=None, description="The note given with the end.")
    rate_amendments: list[RateAmendmentOut] = Field(
        default_factory=list,
        description="New royalty rates agreed in mediation settlements (调解协议), oldest "
        "first. `terms` stay the terms accepted; the royalty periods from each "
        "`effective_from` not yet reported then use its rate (`GET .../royalties`).",
    )

    @classmethod
    def of(cls, licence: PatentLicense, filing_alert: FilingAlert) -> LicensePublic:
        """The licence as the API shows it, with its filing alert as of today."""
        value = licence.contract_value
        assert licence.created_at is not None  # a saved licence has it
        return cls(
            id=licence.id,
            declaration_id=licence.declaration_id,
            application_number=licence.application_number,
            patent_number=licence.patent_number,
            kind=licence.kind,
            status=licence.status,
            terms_version=licence.terms_version,
            terms=TermsOut.of(licence.terms),
            licensors=patentees_out(licence.licensors),
            licensee=LicenseeOut(
                org_id=licence.licensee.org_id,
                name=licence.licensee.name,
                uscc=licence.licensee.uscc,
            ),
            field_of_use=licence.field_of_use,
            contact=licence.contact,
            effective_date=licence.effective_date,
            term_end=licence.term_end,
            filing_deadline=licence.filing_deadline,
            contract_value=MoneyModel(amount=value) if value is not None else None,
            filing_number=licence.filing_number,
            filed_on=licence.filed_on,
            filing_alert=filing_alert,
            created_at=licence.created_at,
            activated_at=licence.activated_at,
            ended_on=licence.ended_on,
            end_reason=licence.end_reason,
            end_note=licence.end_note,
            rate_amendments=[
                RateAmendmentOut(
                    royalty_rate=a.royalty_rate,
                    effective_from=a.effective_from,
                    mediation_case_id=a.mediation_case_id,
                    agreed_on=a.agreed_on,
                )
                for a in licence.rate_amendments
            ],
        )


def patentees_out(patentees: tuple[Patentee, ...]) -> list[PatenteeOut]:
    return [PatenteeOut.model_validate(p) for p in mapping.patentees_json(patentees)]


def money_or_none(money: Money | None) -> MoneyModel | None:
    return MoneyModel(amount=money.amount) if money is not None else None
