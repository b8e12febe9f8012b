"""What a bank or the operator sets up: the bank's topic and policy, programmes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class SetLendingPolicy:
    bank_org_id: str
    min_remaining_term_years: int
    loan_to_value_percent: Decimal


@dataclass(frozen=True)
class CreateRiskProgramme:
    name: str
    region_code: str
    budget: Decimal
    # Percent per party of ``domain.compensation.PARTIES`` (fund, bank, insurer, appraiser).
    shares: Mapping[str, Decimal]
    max_secured_amount: Decimal | None
    bank_org_ids: tuple[str, ...]
