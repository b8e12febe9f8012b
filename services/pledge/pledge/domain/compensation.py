"""Risk-compensation programmes (风险补偿资金池): who bears which part of a defaulted loan.

A programme fixes the loss-sharing split between the fund, the bank, the insurer and the
appraiser (Zhongshan 54 : 26 : 16 : 4, Zhuhai fund 40 / bank 60). A claim splits the loss
exactly to the fen (``Money.allocate``: leftover fen go to the largest remainders, earlier
parties win ties, so the parts always add up to the loss).

Budget rule: the fund never pays more than its remaining budget. A claim whose fund share
exceeds what is left is *capped*: the fund pays what remains and the bank bears the
shortfall (it is recorded on the claim). A fund with nothing left refuses the claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from pledge.domain.errors import (
    ProgrammeBudgetExhausted,
    ProgrammeNotEligible,
    ProgrammeSharesInvalid,
)
from shared.domain import Money

PARTIES = ("fund", "bank", "insurer", "appraiser")


@dataclass(frozen=True)
class LossSharing:
    """Percentages per party, in :data:`PARTIES` order; they add up to exactly 100."""

    fund: Decimal
    bank: Decimal
    insurer: Decimal = Decimal(0)
    appraiser: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        total = self.fund + self.bank + self.insurer + self.appraiser
        if total != Decimal(100):
            raise ProgrammeSharesInvalid(
                f"the shares of fund, bank, insurer and appraiser add up to {total}, not 100",
                total=str(total),
            )

    def weights(self) -> list[Decimal]:
        return [self.fund, self.bank, self.insurer, self.appraiser]


@dataclass(frozen=True)
class Eligibility:
    max_secured_amount: Money | None
    bank_org_ids: frozenset[str]

    def check(self, bank_org_id: str, secured_amount: Money) -> None:
        if self.bank_org_ids and bank_org_id not in self.bank_org_ids:
            raise ProgrammeNotEligible(f"bank {bank_org_id} does not take part in the programme")
        if self.max_secured_amount is not None and secured_amount > self.max_secured_amount:
            raise ProgrammeNotEligible(
                f"the secured amount {secured_amount} exceeds the programme's maximum "
                f"{self.max_secured_amount}"
            )


@dataclass(frozen=True)
class CompensationSplit:
    shares: dict[str, Money]
    fund_shortfall: Money


def split_loss(loss: Money, sharing: LossSharing, fund_remaining: Money) -> CompensationSplit:
    """Each party's share of ``loss``; the fund's share capped at ``fund_remaining``."""
    if fund_remaining.is_zero() and sharing.fund > 0:
        raise ProgrammeBudgetExhausted("the programme's fund has no budget left for this claim")
    parts = dict(zip(PARTIES, loss.allocate(sharing.weights()), strict=True))
    shortfall = Money.zero(loss.currency)
    if parts["fund"] > fund_remaining:
        shortfall = parts["fund"] - fund_remaining
        parts["fund"] = fund_remaining
        parts["bank"] = parts["bank"] + shortfall
    return CompensationSplit(shares=parts, fund_shortfall=shortfall)


@dataclass
class RiskProgramme:
    """A fund with its budget, region, loss-sharing split and eligibility."""

    id: str
    name: str
    region_code: str
    budget: Decimal
    remaining_budget: Decimal
    sharing: LossSharing
    max_secured_amount: Decimal | None
    bank_org_ids: list[str]
    created_at: datetime

    def eligibility(self) -> Eligibility:
        return Eligibility(
            max_secured_amount=(
                Money(self.max_secured_amount) if self.max_secured_amount else None
            ),
            bank_org_ids=frozenset(self.bank_org_ids),
        )

    def compensate(self, loss: Money) -> CompensationSplit:
        """Split ``loss``; the fund's budget is reduced by its (capped) share."""
        split = split_loss(loss, self.sharing, Money(self.remaining_budget))
        self.remaining_budget = self.remaining_budget - split.shares["fund"].amount
        return split


@dataclass(frozen=True)
class ClaimShare:
    party: str
    percent: Decimal
    amount: Decimal


@dataclass(frozen=True)
class CompensationClaim:
    """One claim per defaulted pledge on a programme, with each party's share."""

    id: str
    pledge_id: str
    programme_id: str
    loss: Decimal
    shares: tuple[ClaimShare, ...]
    fund_shortfall: Decimal
    claimed_on: date
    created_at: datetime


def claim_shares(sharing: LossSharing, split: CompensationSplit) -> tuple[ClaimShare, ...]:
    """Each party's percentage and amount, in :data:`PARTIES` order."""
    percents = dict(zip(PARTIES, sharing.weights(), strict=True))
    return tuple(ClaimShare(p, percents[p], split.shares[p].amount) for p in PARTIES)
