"""What an offer in a negotiated deal (domain.deal) may propose: a licence of a kind on
terms, or a transfer of the patent right, and the rules every offer follows whoever
makes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from license.domain.declaration import LicenseTerms, Patentee
from license.domain.errors_deals import OfferInvalid
from license.domain.scope import LicenseScope
from shared.domain.terms import LicenseKind, PaymentMode

# An offer stays open at most this long (the parties may always offer again).
MAX_OFFER_DAYS = 90


class DealSubject(StrEnum):
    LICENSE = "license"
    TRANSFER = "transfer"


@dataclass(frozen=True)
class DealParty:
    """An organisation in the deal, named by its USCC (and its platform id when known)."""

    name: str
    uscc: str
    org_id: str | None = None
    org_type: str | None = None


@dataclass(frozen=True)
class LicenseProposal:
    """A licence of ``kind`` on ``terms`` (whose territory it covers); no field of use
    means all fields."""

    kind: LicenseKind
    terms: LicenseTerms
    field_of_use: str | None = None

    def scope(self) -> LicenseScope:
        return LicenseScope(
            self.kind,
            self.terms.term_start,
            self.terms.term_end,
            self.terms.territory,
            self.field_of_use,
        )


@dataclass(frozen=True)
class TransferProposal:
    """The whole patent right, for ``price`` CNY, to ``transferees`` in their shares."""

    price: Decimal
    transferees: tuple[Patentee, ...]


Proposal = LicenseProposal | TransferProposal


def check_proposal(
    subject: DealSubject,
    proposal: Proposal,
    *,
    counterparty: DealParty,
    patent_expiry: date | None,
) -> None:
    """The rules an offer's terms follow, whoever makes it."""
    if subject is DealSubject.LICENSE:
        if not isinstance(proposal, LicenseProposal):
            raise OfferInvalid("a licence deal's offers propose a licence (license)")
        terms = proposal.terms
        if terms.term_start > terms.term_end:
            raise OfferInvalid(f"term_start {terms.term_start} is after term_end {terms.term_end}")
        if patent_expiry is not None and terms.term_end > patent_expiry:
            raise OfferInvalid(
                f"term_end {terms.term_end} is after the patent's expiry ({patent_expiry})"
            )
        if (
            terms.payment_mode is not PaymentMode.FREE
            and terms.fixed_fee is None
            and not terms.has_running_royalty
        ):
            raise OfferInvalid(
                f"{terms.payment_mode.value} terms need their fee (lump_sum_fee or entry_fee) "
                "or their royalty_rate and royalty_base"
            )
        return
    if not isinstance(proposal, TransferProposal):
        raise OfferInvalid("a transfer deal's offers propose a transfer (transfer)")
    if sum((t.share for t in proposal.transferees), Decimal(0)) != Decimal(100):
        raise OfferInvalid("the transferees' shares must add up to 100 (percent)")
    if counterparty.uscc not in {t.uscc for t in proposal.transferees}:
        raise OfferInvalid(
            f"the counterparty {counterparty.name} ({counterparty.uscc}) must be one of the "
            "transferees"
        )


def check_expiry(expires_at: datetime, now: datetime) -> None:
    if not now < expires_at <= now + timedelta(days=MAX_OFFER_DAYS):
        raise OfferInvalid(
            f"expires_at {expires_at.isoformat()} must lie in the future and at most "
            f"{MAX_OFFER_DAYS} days ahead"
        )
