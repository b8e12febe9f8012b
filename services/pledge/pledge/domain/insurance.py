"""Insurance around patent finance (seed 001, 九): products, policies bound to a pledge, a
licence or a patent, and claims with their own life.

Claim states::

    filed -> approved -> paid
    filed -> rejected
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pledge.domain.errors import (
    ClaimExceedsCoverage,
    ClaimOutsidePolicyPeriod,
    CoverageAboveProductMaximum,
    InvalidTransition,
    PolicySubjectMismatch,
)
from shared.domain import Money


class ProductKind(StrEnum):
    PLEDGE_FINANCING_GUARANTEE = "pledge_financing_guarantee"  # 专利权质押融资保证保险
    OPEN_LICENSE_TRANSACTION = "open_license_transaction"  # 开放许可交易保险
    OVERSEAS_ENFORCEMENT = "overseas_enforcement"  # 海外知识产权维权保险


class ClaimStatus(StrEnum):
    FILED = "filed"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"


_CLAIM_ALLOWED = {
    ClaimStatus.FILED: {ClaimStatus.APPROVED, ClaimStatus.REJECTED},
    ClaimStatus.APPROVED: {ClaimStatus.PAID},
    ClaimStatus.REJECTED: set(),
    ClaimStatus.PAID: set(),
}

# What each product insures: the subject a policy of that kind must be bound to.
SUBJECT = {
    ProductKind.PLEDGE_FINANCING_GUARANTEE: "pledge_id",
    ProductKind.OPEN_LICENSE_TRANSACTION: "license_id",
    ProductKind.OVERSEAS_ENFORCEMENT: "application_number",
}


def claim_transition(current: ClaimStatus, target: ClaimStatus) -> ClaimStatus:
    if target not in _CLAIM_ALLOWED[current]:
        raise InvalidTransition(f"a {current.value} insurance claim cannot become {target.value}")
    return target


def check_subject(kind: ProductKind, given: dict[str, str | None]) -> str:
    """The one subject a policy of ``kind`` is bound to; the others must be absent."""
    wanted = SUBJECT[kind]
    present = sorted(k for k, v in given.items() if v)
    if present != [wanted]:
        raise PolicySubjectMismatch(
            f"a {kind.value} policy is bound to exactly one {wanted}; got "
            f"{', '.join(present) or 'nothing'}",
            expected=wanted,
        )
    return wanted


def premium(coverage: Money, rate_percent: Decimal, max_coverage: Money) -> Money:
    if coverage > max_coverage:
        raise CoverageAboveProductMaximum(
            f"coverage {coverage} exceeds the product's maximum {max_coverage}"
        )
    return coverage.percent(rate_percent)


def check_approval(amount: Money, claimed: Money, remaining_coverage: Money) -> None:
    if amount > claimed or amount > remaining_coverage:
        raise ClaimExceedsCoverage(
            f"an approved amount of {amount} must be at most the claimed {claimed} and the "
            f"remaining coverage {remaining_coverage}",
            remaining_coverage=str(remaining_coverage.amount),
        )


def check_policy_period(starts_on: date, ends_on: date) -> None:
    """A policy ends after it starts (``ValueError``: the request is malformed)."""
    if ends_on <= starts_on:
        raise ValueError(f"ends_on {ends_on} must be after starts_on {starts_on}")


def check_claim_period(incurred_on: date, starts_on: date, ends_on: date) -> None:
    if not starts_on <= incurred_on <= ends_on:
        raise ClaimOutsidePolicyPeriod(
            f"the insured event of {incurred_on} is outside the policy's period "
            f"{starts_on} to {ends_on}"
        )


@dataclass(frozen=True)
class InsuranceProduct:
    id: str
    kind: ProductKind
    name: str
    insurer_org_id: str
    insurer_name: str
    premium_rate_percent: Decimal
    max_coverage: Decimal
    created_at: datetime


@dataclass
class InsurancePolicy:
    """A policy bound to one pledge, licence or patent, depending on its product."""

    id: str
    product_id: str
    kind: ProductKind
    insurer_org_id: str
    insured_org_id: str
    insured_name: str
    pledge_id: str | None
    license_id: str | None
    application_numbers: list[str]
    coverage: Decimal
    premium: Decimal
    # Approved claims, paid or not: what the coverage no longer offers.
    committed: Decimal
    starts_on: date
    ends_on: date
    created_at: datetime

    def visible_to(self, org_id: str) -> bool:
        """Its insured and its insurer (and the operator) may know the policy exists."""
        return org_id in (self.insured_org_id, self.insurer_org_id)


@dataclass
class InsuranceClaim:
    id: str
    policy_id: str
    status: ClaimStatus
    amount: Decimal
    incurred_on: date
    description: str
    created_at: datetime
    approved_amount: Decimal | None = None
    rejection_reason: str | None = None
    paid_on: date | None = None

    def approve(self, amount: Money, policy: InsurancePolicy) -> None:
        """Approved, committing ``amount`` against the policy's coverage."""
        self.status = claim_transition(self.status, ClaimStatus.APPROVED)
        check_approval(amount, Money(self.amount), Money(policy.coverage - policy.committed))
        self.approved_amount = amount.amount
        policy.committed += amount.amount

    def reject(self, reason: str) -> None:
        self.status = claim_transition(self.status, ClaimStatus.REJECTED)
        self.rejection_reason = reason

    def pay(self, paid_on: date) -> Decimal:
        """Paid on ``paid_on``; returns the amount paid."""
        self.status = claim_transition(self.status, ClaimStatus.PAID)
        self.paid_on = paid_on
        return self.approved_amount or self.amount
