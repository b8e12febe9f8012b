"""Payments under a licence: the fee that makes it take effect, and royalty payments
matched to a reported period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from shared.domain import Money


@dataclass(frozen=True)
class Payment:
    amount: Money
    voucher_reference: str
    paid_on: date


class PayerRole(StrEnum):
    """Who recorded a payment: the licensee reporting it or a licensor confirming it."""

    LICENSEE = "licensee"
    LICENSOR = "licensor"


@dataclass(frozen=True)
class LicensePayment:
    """A payment as recorded on a licence (a voucher is recorded once per licence)."""

    id: str
    license_id: str
    payment: Payment
    activated_license: bool
    recorded_by_org_id: str
    recorded_by_role: PayerRole
    royalty_period_id: str | None
    recorded_at: datetime
