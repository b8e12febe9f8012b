"""What an announcement of the patent office's legal-status feed means for a patent's
register facts (listing is their one writer)."""

from __future__ import annotations

from dataclasses import dataclass

from listing.domain.patent import AnnualFeeStatus, LegalStatus, Patent


@dataclass(frozen=True)
class RegisterFacts:
    legal_status: LegalStatus | None = None
    annual_fee_status: AnnualFeeStatus | None = None

    def change(self, patent: Patent) -> bool:
        """Whether the patent's facts differ from these (a status in force is a no-op)."""
        return self.legal_status not in (
            None,
            patent.legal_status,
        ) or self.annual_fee_status not in (None, patent.annual_fee_status)


# fees unpaid: still valid during the grace period (滞纳期), the fee is owed;
# the grace period ending or a termination: lapsed (终止); restoration (恢复): valid, paid.
# A partial invalidation narrows the claims and leaves the patent valid: no fact changes.
OFFICE_EVENTS: dict[str, RegisterFacts] = {
    "fees_unpaid": RegisterFacts(annual_fee_status=AnnualFeeStatus.UNPAID),
    "grace_period_ended": RegisterFacts(legal_status=LegalStatus.LAPSED),
    "terminated": RegisterFacts(legal_status=LegalStatus.LAPSED),
    "invalidated": RegisterFacts(legal_status=LegalStatus.INVALIDATED),
    "partially_invalidated": RegisterFacts(),
    "restored": RegisterFacts(
        legal_status=LegalStatus.VALID, annual_fee_status=AnnualFeeStatus.PAID
    ),
}


def facts_for(office_event: str) -> RegisterFacts:
    """The facts an office announcement sets; ValueError for an event listing does not
    know (the consumer dead-letters it with the reason)."""
    try:
        return OFFICE_EVENTS[office_event]
    except KeyError:
        raise ValueError(
            f"unknown legal-status event {office_event!r} from the patent office"
        ) from None
