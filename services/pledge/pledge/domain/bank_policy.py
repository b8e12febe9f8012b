"""A bank's own lending rules, applied on top of the registration office's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

# The share of a valuation banks lend against, in percent (inclusive).
LOAN_TO_VALUE_RANGE = (Decimal(40), Decimal(60))


@dataclass(frozen=True)
class BankPolicy:
    bank_org_id: str
    min_remaining_term_years: int
    loan_to_value_percent: Decimal
    updated_at: datetime


def check_loan_to_value(value: Decimal) -> Decimal:
    """``value`` if it is within :data:`LOAN_TO_VALUE_RANGE`, else ``ValueError``."""
    low, high = LOAN_TO_VALUE_RANGE
    if not low <= value <= high:
        raise ValueError(f"loan-to-value must be between 40 and 60 percent, got {value}")
    return value
