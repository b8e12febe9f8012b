"""A patent as the catalogue knows it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from listing.domain.inventory import IntendedMode, Willingness
from listing.domain.tiers import Tier
from shared.domain import ApplicationNumber, PatentType, expiry_date
from shared.domain.terms import PaymentMode


class LegalStatus(StrEnum):
    PENDING = "pending"  # filed, not granted
    VALID = "valid"
    LAPSED = "lapsed"  # e.g. annual fees not paid in the grace period
    INVALIDATED = "invalidated"
    EXPIRED = "expired"


class AnnualFeeStatus(StrEnum):
    PAID = "paid"
    UNPAID = "unpaid"


class PartyType(StrEnum):
    UNIVERSITY = "university"
    RESEARCH_INSTITUTE = "research_institute"
    ENTERPRISE = "enterprise"
    INDIVIDUAL = "individual"


@dataclass(frozen=True)
class Patentee:
    name: str
    uscc: str | None
    share: Decimal
    party_type: PartyType
    org_id: str | None = None


@dataclass
class Patent:
    application_number: ApplicationNumber
    patent_type: PatentType
    title: str
    filing_date: date
    patentees: list[Patentee]
    abstract: str | None = None
    ipc_codes: list[str] = field(default_factory=list)
    industry_codes: list[str] = field(default_factory=list)
    region_code: str | None = None
    grant_date: date | None = None
    legal_status: LegalStatus = LegalStatus.VALID
    annual_fee_status: AnnualFeeStatus = AnnualFeeStatus.PAID
    suspended: bool = False
    under_preservation: bool = False
    state_funded: bool = False
    term_adjustment_days: int = 0
    evaluation_report_favourable: bool | None = None
    # The open licence in force, if any: its payment mode and up-front price (search
    # filters on both).
    offer_payment_mode: PaymentMode | None = None
    offer_price: Decimal | None = None
    # The public facts of its inventory (domain/inventory.py keeps the rest), shown and
    # searched with the patent; and since when it is flagged as a state-funded patent
    # unexploited five years after grant.
    tier: Tier | None = None
    willingness: Willingness | None = None
    intended_modes: list[IntendedMode] = field(default_factory=list)
    unexploited_flagged_on: date | None = None

    @property
    def expiry_date(self) -> date:
        return expiry_date(self.patent_type, self.filing_date, self.term_adjustment_days)

    @property
    def patent_number(self) -> str:
        return self.application_number.patent_number

    def reclassify(self, industry_codes: list[str]) -> list[str] | None:
        """Take the industry codes the concordance in force derives; the previous codes
        if they differ (order counts: it is the order of the IPC symbols), else None."""
        if industry_codes == self.industry_codes:
            return None
        previous, self.industry_codes = self.industry_codes, list(industry_codes)
        return previous

    def is_patentee(self, uscc: str | None) -> bool:
        return uscc is not None and any(p.uscc == uscc for p in self.patentees)

    def co_owner_usccs(self, declarant_uscc: str | None) -> set[str]:
        return {p.uscc for p in self.patentees if p.uscc and p.uscc != declarant_uscc}

    def record_register_facts(
        self,
        *,
        legal_status: LegalStatus | None = None,
        annual_fee_status: AnnualFeeStatus | None = None,
        suspended: bool | None = None,
        under_preservation: bool | None = None,
    ) -> None:
        """Facts from the official register (the operator is their one writer); ``None``
        leaves a fact as it is."""
        if legal_status is not None:
            self.legal_status = legal_status
        if annual_fee_status is not None:
            self.annual_fee_status = annual_fee_status
        if suspended is not None:
            self.suspended = suspended
        if under_preservation is not None:
            self.under_preservation = under_preservation

    def offer(self, payment_mode: PaymentMode, price: Decimal | None) -> None:
        """An open licence is in force on these terms."""
        self.offer_payment_mode, self.offer_price = payment_mode, price

    def withdraw_offer(self) -> bool:
        """No open licence is in force any more; False if none was."""
        had_offer = self.offer_payment_mode is not None
        self.offer_payment_mode, self.offer_price = None, None
        return had_offer

    def show_inventory(
        self, willingness: Willingness, intended_modes: list[IntendedMode], tier: Tier | None
    ) -> None:
        """The public facts of the patent's inventory record, as recorded now."""
        self.willingness, self.intended_modes, self.tier = willingness, list(intended_modes), tier

    def flag_unexploited(self, on: date) -> bool:
        """Flag the patent as a state-funded patent not exploited, from ``on``; False if
        it was flagged already (a flag is raised once)."""
        if self.unexploited_flagged_on is not None:
            return False
        self.unexploited_flagged_on = on
        return True

    def clear_unexploited_flag(self) -> date | None:
        """Something exploits the patent now: the flag goes; the day it was raised, or
        None if it was not flagged."""
        flagged_on, self.unexploited_flagged_on = self.unexploited_flagged_on, None
        return flagged_on

    def transfer_to(self, patentees: list[Patentee]) -> list[Patentee]:
        """The office registered a transfer: the new patentees; returns the previous ones."""
        previous, self.patentees = self.patentees, list(patentees)
        return previous


def check_shares(shares: Iterable[Decimal]) -> None:
    """The patentees' shares add up to 100 percent."""
    total = sum(shares, Decimal(0))
    if total != Decimal(100):
        raise ValueError(f"patentee shares must add up to 100, not {total}")


def check_dates(filing_date: date, grant_date: date | None) -> None:
    if grant_date is not None and grant_date < filing_date:
        raise ValueError("grant_date cannot be before filing_date")


def check_term_adjustment(patent_type: PatentType, term_adjustment_days: int) -> None:
    """Only an invention's term is adjusted (Patent Law Art. 42)."""
    if term_adjustment_days and patent_type is not PatentType.INVENTION:
        raise ValueError("term_adjustment_days applies to inventions only (Patent Law Art. 42)")
