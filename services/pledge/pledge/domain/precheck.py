"""The registration office's refusal rules (专利权质押登记办法), as pure functions over
pledge's own view of the catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pledge.domain.errors import (
    AlreadyPledged,
    AnnualFeesUnpaid,
    CoOwnerConsentMissing,
    DebtTermPastExpiry,
    ForfeitureClause,
    PatentNotValid,
    PatentSuspended,
    PatentUnknown,
    PledgorNotPatentee,
)


@dataclass(frozen=True)
class PatentView:
    application_number: str
    title: str
    patentee_usccs: tuple[str, ...]
    expiry_date: date
    legal_status: str
    annual_fee_status: str
    suspended: bool = False
    under_preservation: bool = False


@dataclass(frozen=True)
class PledgeTerms:
    pledgor_uscc: str | None
    debt_term_end: date
    has_forfeiture_clause: bool
    co_owner_consents: frozenset[str] = field(default_factory=frozenset)


def precheck(
    numbers: list[str],
    views: dict[str, PatentView],
    terms: PledgeTerms,
    already_pledged: set[str],
) -> None:
    """Raise the first rule that refuses pledging ``numbers`` on ``terms``."""
    if terms.has_forfeiture_clause:
        raise ForfeitureClause(
            "the pledge contract may not provide that the patent passes to the pledgee "
            "on default (流质条款)"
        )
    for number in numbers:
        view = views.get(number)
        if view is None:
            raise PatentUnknown(f"patent {number} is unknown to the pledge service")
        if terms.pledgor_uscc is None or terms.pledgor_uscc not in view.patentee_usccs:
            raise PledgorNotPatentee(
                f"the pledgor (USCC {terms.pledgor_uscc or 'none'}) is not a registered "
                f"patentee of {number}"
            )
        if view.legal_status != "valid":
            raise PatentNotValid(f"patent {number} is {view.legal_status}")
        if view.annual_fee_status != "paid":
            raise AnnualFeesUnpaid(f"annual fees of patent {number} are unpaid")
        if view.suspended or view.under_preservation:
            what = "suspended" if view.suspended else "under court preservation"
            raise PatentSuspended(f"patent {number} is {what}")
        if terms.debt_term_end > view.expiry_date:
            raise DebtTermPastExpiry(
                f"the debt term ends {terms.debt_term_end}, after patent {number} "
                f"expires on {view.expiry_date}"
            )
        missing = set(view.patentee_usccs) - {terms.pledgor_uscc} - terms.co_owner_consents
        if missing:
            raise CoOwnerConsentMissing(
                f"co-owners {', '.join(sorted(missing))} of {number} have not consented",
                missing=sorted(missing),
            )
        if number in already_pledged:
            raise AlreadyPledged(f"patent {number} is already pledged")
