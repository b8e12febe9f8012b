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
    OpenLicenseWithoutConsent,
    PatentBeingTransferred,
    PatentNotValid,
    PatentSuspended,
    PatentUnknown,
    PledgorNotPatentee,
    RemainingTermTooShort,
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
    # What a valuation reads besides the rules above.
    patent_type: str = "invention"
    ipc_codes: tuple[str, ...] = ()
    status_change_count: int = 0

    def encumbered(self) -> bool:
        """Suspended, under preservation or with fees unpaid: worth less as collateral."""
        return self.suspended or self.under_preservation or self.annual_fee_status != "paid"


@dataclass(frozen=True)
class AgreedTransfer:
    """A transfer both parties signed that the patent office has not recorded yet."""

    deal_id: str
    application_number: str
    transferees: str
    signed_on: date


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
            raise PatentUnknown(
                f"patent {number} is unknown to the pledge service: it is not in the "
                "catalogue, or was registered so recently that pledge has not yet learned "
                "of it from listing's event; retry shortly if it was just registered"
            )
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


def years_after(day: date, years: int) -> date:
    """``day`` plus whole calendar years; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def check_remaining_term(
    numbers: list[str], views: dict[str, PatentView], min_years: int, today: date
) -> None:
    """The bank's own rule: each patent must have at least ``min_years`` of term left."""
    needed = years_after(today, min_years)
    for number in numbers:
        view = views[number]
        if view.expiry_date < needed:
            raise RemainingTermTooShort(
                f"patent {number} expires on {view.expiry_date}; the pledgee bank requires "
                f"at least {min_years} years of remaining term (until {needed} or later)",
                min_remaining_term_years=min_years,
            )


def check_open_license_consent(declared: set[str], open_license_consented: bool) -> None:
    """An announced open licence on a pledged patent needs the pledgee's consent."""
    if declared and not open_license_consented:
        raise OpenLicenseWithoutConsent(
            f"an open licence is declared on {', '.join(sorted(declared))}; the pledgee "
            "must record its consent to the open licence before registration"
        )


def check_no_transfer_agreed(transfers: list[AgreedTransfer]) -> None:
    """A patent whose transfer is agreed is being sold: a pledge by its seller now would
    bind what the buyer bought unencumbered. The deal must fail, or be recorded (and the
    buyer, as the new owner, pledges it)."""
    if transfers:
        first = min(transfers, key=lambda t: (t.application_number, t.deal_id))
        raise PatentBeingTransferred(
            f"{first.application_number} is being transferred to {first.transferees} "
            f"(deal {first.deal_id}, signed on {first.signed_on}); it awaits its recordal "
            "with the patent office and takes no pledge until that deal fails or is recorded"
        )
