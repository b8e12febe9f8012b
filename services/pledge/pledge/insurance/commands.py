"""What insurers and the insured ask: products, policies, claims and their decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pledge.domain.insurance import ProductKind
from shared.domain import Money


@dataclass(frozen=True)
class CreateProduct:
    kind: ProductKind
    name: str
    premium_rate_percent: Decimal
    max_coverage: Decimal


@dataclass(frozen=True)
class IssuePolicy:
    """Bound to one subject: a pledge, a licence or a patent (the product says which)."""

    product_id: str
    insured_org_id: str
    insured_name: str
    pledge_id: str | None
    license_id: str | None
    application_number: str | None
    coverage: Money
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class FileClaim:
    policy_id: str
    amount: Decimal
    incurred_on: date
    description: str


@dataclass(frozen=True)
class ApproveClaim:
    claim_id: str
    approved_amount: Money


@dataclass(frozen=True)
class RejectClaim:
    claim_id: str
    reason: str


@dataclass(frozen=True)
class PayClaim:
    claim_id: str
    paid_on: date


ClaimDecision = ApproveClaim | RejectClaim | PayClaim
