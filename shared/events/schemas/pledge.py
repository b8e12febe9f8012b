"""Events published by the pledge service on ``ipmarket.pledge.v1`` (and bank topics)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from pydantic import BaseModel, Field

from shared.domain.terms import ConsentSubject
from shared.events import topics
from shared.events.schemas.base import EventData, OrgRef, PatenteeRef


class _PledgeEvent(EventData):
    """Pledges may cover several patents: keyed by the pledge id, patents listed.
    Every pledge event goes to ``ipmarket.pledge.v1`` (and the bank's own topic)."""

    topic: ClassVar[str] = topics.PLEDGE

    pledge_id: str
    application_numbers: list[str] = Field(min_length=1)

    def partition_key(self) -> str:
        return self.pledge_id

    def subject(self) -> str | None:
        return self.pledge_id


class PledgeRegistered(_PledgeEvent):
    """质押登记 took effect: the patents are encumbered from ``registered_on``."""

    event_type: ClassVar[str] = "cn.ipmarket.pledge.pledge.registered.v1"

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

    reason: str = Field(examples=["repaid"])
    cancelled_on: date


class PledgeeConsentRecorded(_PledgeEvent):
    """The pledgee's written consent was recorded against a registered pledge.

    Listing and license keep it in their encumbrance views: a transfer, a licence
    (or its filing) or an open-licence declaration on a pledged patent is refused
    without a matching consent. ``counterparty_uscc`` narrows a consent to one
    transferee or licensee; ``None`` means any.
    """

    event_type: ClassVar[str] = "cn.ipmarket.pledge.consent.recorded.v1"

    pledgee: OrgRef
    consent_to: ConsentSubject
    counterparty_uscc: str | None = None
    document_sha256: str | None = Field(default=None, description="The consent letter's digest.")
    recorded_on: date


class PledgedPatentsTransferred(_PledgeEvent):
    """Disposal of a defaulted pledge ended in a transfer of the patents to a buyer.

    The listing service records the transfer, so the patents' owner changes there
    (and a ``PatentOwnerChanged`` follows on ``ipmarket.listing.v1``).
    """

    event_type: ClassVar[str] = "cn.ipmarket.pledge.disposal.transferred.v1"

    pledgor: OrgRef
    buyer: PatenteeRef
    method: str = Field(examples=["auction"], description="auction | sale | discount")
    price: Decimal
    currency: str = "CNY"
    transferred_on: date


class PledgeSubmitted(_PledgeEvent):
    """The pledgor applied (or re-applied after a correction); the bank reviews it."""

    event_type: ClassVar[str] = "cn.ipmarket.pledge.pledge.submitted.v1"

    pledgor: OrgRef
    pledgee: OrgRef
    secured_amount: Decimal
    currency: str = "CNY"
    debt_term_end: date
    resubmission: bool = False


class PledgeApproved(_PledgeEvent):
    event_type: ClassVar[str] = "cn.ipmarket.pledge.pledge.approved.v1"

    approved_on: date


class PledgeApplicationRefused(_PledgeEvent):
    event_type: ClassVar[str] = "cn.ipmarket.pledge.pledge.refused.v1"

    reason: str


class PledgeCorrectionRequested(_PledgeEvent):
    event_type: ClassVar[str] = "cn.ipmarket.pledge.pledge.correction_requested.v1"

    reason: str


class PledgeChanged(_PledgeEvent):
    """质押登记变更: the registered pledge's amount, term or parties changed."""

    event_type: ClassVar[str] = "cn.ipmarket.pledge.pledge.changed.v1"

    pledgor: OrgRef
    pledgee: OrgRef
    secured_amount: Decimal
    currency: str = "CNY"
    debt_term_end: date
    changed_fields: list[str]
    changed_on: date


class PledgeLoanDisbursed(_PledgeEvent):
    event_type: ClassVar[str] = "cn.ipmarket.pledge.loan.disbursed.v1"

    amount: Decimal
    currency: str = "CNY"
    disbursed_on: date


class PledgeRepaymentRecorded(_PledgeEvent):
    event_type: ClassVar[str] = "cn.ipmarket.pledge.loan.repayment_recorded.v1"

    amount: Decimal
    outstanding: Decimal
    currency: str = "CNY"
    fully_repaid: bool
    repaid_on: date


class PledgeLoanOverdue(_PledgeEvent):
    event_type: ClassVar[str] = "cn.ipmarket.pledge.loan.overdue.v1"

    outstanding: Decimal
    currency: str = "CNY"
    overdue_since: date


class PledgeDefaulted(_PledgeEvent):
    event_type: ClassVar[str] = "cn.ipmarket.pledge.pledge.defaulted.v1"

    outstanding: Decimal
    currency: str = "CNY"
    defaulted_on: date


class CompensationShare(BaseModel):
    party: str = Field(examples=["fund"], description="fund | bank | insurer | appraiser")
    percent: Decimal
    amount: Decimal


class PledgeCompensationClaimed(_PledgeEvent):
    """A claim on a risk-compensation programme: each party's exact share of the loss."""

    event_type: ClassVar[str] = "cn.ipmarket.pledge.compensation.claimed.v1"

    claim_id: str
    programme_id: str
    loss: Decimal
    currency: str = "CNY"
    shares: list[CompensationShare]
    fund_shortfall: Decimal = Field(
        description="What the fund's budget could not cover; the bank bears it."
    )
    claimed_on: date


class PledgeDisposalStarted(_PledgeEvent):
    event_type: ClassVar[str] = "cn.ipmarket.pledge.disposal.started.v1"

    method: str = Field(examples=["auction"], description="auction | sale | discount")
    valuation: Decimal | None = None
    currency: str = "CNY"
    started_on: date


class PledgeRealised(_PledgeEvent):
    """质权实现: the disposal's proceeds went to the pledgee; cancellation follows."""

    event_type: ClassVar[str] = "cn.ipmarket.pledge.pledge.realised.v1"

    proceeds: Decimal
    currency: str = "CNY"
    realised_on: date


class PledgePatentLapsed(_PledgeEvent):
    """A pledged patent lapsed or was invalidated: the pledge lost its object."""

    event_type: ClassVar[str] = "cn.ipmarket.pledge.pledge.patent_lapsed.v1"

    lapsed_application_number: str
    legal_status: str


class PledgeSuspended(_PledgeEvent):
    """An open licence announced before this registration, without the pledgee's
    consent, became known after it: the declaration took effect first, so the pledge
    is suspended until the bank consents or the declaration ends. ``reason`` names it."""

    event_type: ClassVar[str] = "cn.ipmarket.pledge.pledge.suspended.v1"

    declaration_id: str
    reason: str


class PledgeReinstated(_PledgeEvent):
    event_type: ClassVar[str] = "cn.ipmarket.pledge.pledge.reinstated.v1"

    reason: str


class PledgeValuationReady(_PledgeEvent):
    """A valuation of the pledged patents is on record (method and version included)."""

    event_type: ClassVar[str] = "cn.ipmarket.pledge.valuation.ready.v1"

    valuation_id: str
    method: str
    method_version: str
    low: Decimal
    point: Decimal
    high: Decimal
    currency: str = "CNY"
    loan_to_value_percent: Decimal | None = None
    proposed_max_loan: Decimal | None = None


class _InsuranceEvent(EventData):
    """Keyed by the policy: one policy's events stay in order; on the pledge topic."""

    topic: ClassVar[str] = topics.PLEDGE

    policy_id: str
    kind: str = Field(
        examples=["pledge_financing_guarantee"],
        description="pledge_financing_guarantee | open_license_transaction | overseas_enforcement",
    )
    pledge_id: str | None = None
    license_id: str | None = None
    application_numbers: list[str] = Field(default_factory=list)

    def partition_key(self) -> str:
        return self.policy_id

    def subject(self) -> str | None:
        return self.policy_id


class InsurancePolicyIssued(_InsuranceEvent):
    event_type: ClassVar[str] = "cn.ipmarket.pledge.insurance_policy.issued.v1"

    insurer: OrgRef
    insured: OrgRef
    coverage: Decimal
    premium: Decimal
    currency: str = "CNY"
    starts_on: date
    ends_on: date


class InsuranceClaimFiled(_InsuranceEvent):
    event_type: ClassVar[str] = "cn.ipmarket.pledge.insurance_claim.filed.v1"

    claim_id: str
    amount: Decimal
    currency: str = "CNY"
    incurred_on: date


class InsuranceClaimApproved(_InsuranceEvent):
    event_type: ClassVar[str] = "cn.ipmarket.pledge.insurance_claim.approved.v1"

    claim_id: str
    approved_amount: Decimal
    currency: str = "CNY"


class InsuranceClaimRejected(_InsuranceEvent):
    event_type: ClassVar[str] = "cn.ipmarket.pledge.insurance_claim.rejected.v1"

    claim_id: str
    reason: str


class InsuranceClaimPaid(_InsuranceEvent):
    event_type: ClassVar[str] = "cn.ipmarket.pledge.insurance_claim.paid.v1"

    claim_id: str
    amount: Decimal
    currency: str = "CNY"
    paid_on: date
