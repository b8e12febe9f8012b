"""After a default: what the pledgee bank records on the way to realising the pledge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pledge.domain.pledge import DisposalMethod
from shared.domain import Money


@dataclass(frozen=True)
class ClaimCompensation:
    pledge_id: str
    programme_id: str
    loss: Money | None  # the outstanding principal when None
    claimed_on: date


@dataclass(frozen=True)
class StartDisposal:
    pledge_id: str
    method: DisposalMethod
    valuation: Decimal | None
    started_on: date


@dataclass(frozen=True)
class Buyer:
    name: str
    uscc: str
    party_type: str


@dataclass(frozen=True)
class RecordTransfer:
    pledge_id: str
    buyer: Buyer
    price: Decimal
    transferred_on: date
