"""What a pledgor or a bank asks of a pledge application and its registration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pledge.domain.pledge import CancellationReason


@dataclass(frozen=True)
class Pledgee:
    org_id: str
    name: str
    uscc: str | None


@dataclass(frozen=True)
class ApplyForPledge:
    application_numbers: tuple[str, ...]
    pledgee: Pledgee
    secured_amount: Decimal
    currency: str
    debt_term_end: date
    has_forfeiture_clause: bool
    co_owner_consents: tuple[str, ...]
    submit: bool


@dataclass(frozen=True)
class SubmitPledge:
    """Submit a draft or resubmit a corrected application; None keeps a term as it is."""

    pledge_id: str
    secured_amount: Decimal | None
    debt_term_end: date | None
    co_owner_consents: tuple[str, ...] | None


@dataclass(frozen=True)
class RegisterPledge:
    pledge_id: str
    registration_number: str
    registered_on: date


@dataclass(frozen=True)
class CancelPledge:
    pledge_id: str
    reason: CancellationReason
    cancelled_on: date
