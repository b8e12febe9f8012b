"""The daily reconciliation of filings with technology-contract registrations: the rules.

A *filing* is what the patent office holds: a licence filed (备案, with its filing number)
or a transfer recorded (登记, with its recordal number). A *registration* is a technology
contract the registration office registered (认定登记, status ``registered``). Seed 001
四(八) has the two share information; reconciliation says where they disagree.

Pairing, in this order (``docs/registry.md``, "Reconciliation"):

1. A filing and a registration *match* when they name the same patent (the normalised
   application number), the same type (a licence filing <-> category ``license``; a
   transfer recordal <-> ``transfer_patent_right`` / ``transfer_application_right``) and
   the same seller and buyer USCCs. A matched pair is then checked for the licence kind,
   the value and the dates, each disagreement a row of its own.
2. A filing left unmatched beside a registration left unmatched, same patent and type:
   ``party_differs`` (the parties are the one thing that can differ).
3. A filing left over: ``missing_registration``, once its registration is due.
   A registration left over: ``missing_filing``, once its filing is due.

PostgreSQL runs these rules over every row at once (``reconciliation/repository.py``,
with the constants below); the functions here state them for one filing and one
registration. The unit tests check these; the run's integration test plants a case of
each rule and checks the SQL finds exactly those.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from registry_sync.domain.registration import REGISTRATION_WINDOW, TechContractCategory

# 备案: a licence is filed within 3 months of its effect (专利实施许可合同备案办法); we
# hold a transfer's recordal to the same window from its signing.
FILING_WINDOW_MONTHS = 3
# Values differ when they are apart by more than the larger of 1 CNY (rounding of a
# value declared in 元 against one certified in 分) and 0.5 % of the registration's value
# (the office certifies what it finds, which may drop an item of the declared value).
VALUE_TOLERANCE_ABSOLUTE = Decimal("1.00")
VALUE_TOLERANCE_RATIO = Decimal("0.005")


class FilingType(StrEnum):
    LICENSE = "license"
    TRANSFER = "transfer"


# The contract categories that mirror each filing type.
CATEGORIES: dict[FilingType, frozenset[TechContractCategory]] = {
    FilingType.LICENSE: frozenset({TechContractCategory.LICENSE}),
    FilingType.TRANSFER: frozenset(
        {
            TechContractCategory.TRANSFER_PATENT_RIGHT,
            TechContractCategory.TRANSFER_APPLICATION_RIGHT,
        }
    ),
}


class MismatchReason(StrEnum):
    MISSING_REGISTRATION = "missing_registration"
    MISSING_FILING = "missing_filing"
    VALUE_DIFFERS = "value_differs"
    PARTY_DIFFERS = "party_differs"
    KIND_DIFFERS = "kind_differs"
    LATE = "late"


# What the CSV export shows beside each code.
REASON_LABELS: dict[MismatchReason, str] = {
    MismatchReason.MISSING_REGISTRATION: "已备案/已登记转让但未做技术合同认定登记",
    MismatchReason.MISSING_FILING: "已认定登记但未备案/未登记转让",
    MismatchReason.VALUE_DIFFERS: "合同金额不一致",
    MismatchReason.PARTY_DIFFERS: "当事人不一致",
    MismatchReason.KIND_DIFFERS: "许可类型不一致",
    MismatchReason.LATE: "逾期备案或逾期登记",
}


def filing_type_of(category: TechContractCategory) -> FilingType | None:
    """The filing a contract of ``category`` mirrors (None: no filing, e.g. consulting)."""
    return next((t for t, cats in CATEGORIES.items() if category in cats), None)


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the month's end (as PostgreSQL's
    ``date + interval 'n months'``: 30 November + 3 months is 28 or 29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def filing_due(started_on: date) -> date:
    """The last day to file a licence effective (or record a transfer signed) on
    ``started_on``."""
    return add_months(started_on, FILING_WINDOW_MONTHS)


def registration_due(started_on: date) -> date:
    """The last day to register the contract of a licence effective (or a transfer
    signed) on ``started_on``: about 30 days, counted as 30 calendar days."""
    return started_on + REGISTRATION_WINDOW


def values_differ(filed: Decimal, registered: Decimal) -> bool:
    tolerance = max(VALUE_TOLERANCE_ABSOLUTE, abs(registered) * VALUE_TOLERANCE_RATIO)
    return abs(filed - registered) > tolerance


@dataclass(frozen=True)
class Filing:
    reference: str  # the licence id or the transfer deal id
    filing_type: FilingType
    application_number: str
    seller_uscc: str | None
    buyer_uscc: str | None
    license_kind: str | None
    contract_value: Decimal | None
    # A licence's effective date; a transfer's signing date.
    started_on: date | None
    filed_on: date


@dataclass(frozen=True)
class Registration:
    id: str
    category: TechContractCategory
    application_number: str
    seller_uscc: str | None
    buyer_uscc: str | None
    license_kind: str | None
    contract_value: Decimal | None
    certified_contract_value: Decimal | None
    signed_on: date | None
    effective_date: date
    registered_on: date

    @property
    def started_on(self) -> date:
        """From when its registration window runs: signing, or the effect if unsigned."""
        return self.signed_on or self.effective_date

    @property
    def value(self) -> Decimal | None:
        """The value compared: the certified one once the office certified it."""
        return self.certified_contract_value or self.contract_value


def same_contract(filing: Filing, registration: Registration) -> bool:
    """Same patent, same type and the same seller and buyer: the pair is matched. A
    party without a USCC matches nothing: who it is cannot be confirmed."""
    return (
        same_subject(filing, registration)
        and filing.seller_uscc is not None
        and filing.buyer_uscc is not None
        and filing.seller_uscc == registration.seller_uscc
        and filing.buyer_uscc == registration.buyer_uscc
    )


def same_subject(filing: Filing, registration: Registration) -> bool:
    return (
        filing.application_number == registration.application_number
        and filing_type_of(registration.category) is filing.filing_type
    )


def pair_mismatches(filing: Filing, registration: Registration) -> list[MismatchReason]:
    """What a matched pair disagrees on, each reason once, in the order of the enum."""
    found: list[MismatchReason] = []
    filed, registered = filing.contract_value, registration.value
    if filed is not None and registered is not None and values_differ(filed, registered):
        found.append(MismatchReason.VALUE_DIFFERS)
    kinds = (filing.license_kind, registration.license_kind)
    if filing.filing_type is FilingType.LICENSE and None not in kinds and kinds[0] != kinds[1]:
        found.append(MismatchReason.KIND_DIFFERS)
    filed_late = filing.started_on is not None and filing.filed_on > filing_due(filing.started_on)
    if filed_late or registration.registered_on > registration_due(registration.started_on):
        found.append(MismatchReason.LATE)
    return found


def filing_is_due_a_registration(filing: Filing, run_on: date) -> bool:
    """A filing without a registration counts once the registration window passed."""
    return run_on > registration_due(filing.started_on or filing.filed_on)


def registration_is_due_a_filing(registration: Registration, run_on: date) -> bool:
    """A registration without a filing counts once the filing window passed."""
    return run_on > filing_due(registration.effective_date)


class RunStatus(StrEnum):
    PENDING = "pending"
    COMPLETED = "completed"


class RunTrigger(StrEnum):
    SCHEDULED = "scheduled"  # the daily run: one per day, whichever instance takes it
    OPERATOR = "operator"  # asked for through the API: as many as the operator asks


@dataclass(frozen=True)
class ReconciliationRun:
    id: str
    run_on: date  # the day whose view it takes: what is due counts by this day
    trigger: RunTrigger
    status: RunStatus
    requested_by: str | None
    requested_at: datetime
    completed_at: datetime | None = None
    # Rows per reason code, every code present once the run completed.
    counts: dict[str, int] | None = None

    @property
    def total(self) -> int:
        return sum((self.counts or {}).values())


@dataclass(frozen=True)
class Mismatch:
    """One row of a run's report: the filing's side and the registration's side, each
    None where there is none."""

    id: int
    run_id: str
    reason: MismatchReason
    application_number: str
    filing_type: FilingType
    filing_reference: str | None
    filing_number: str | None
    filed_on: date | None
    started_on: date | None
    filing_seller_uscc: str | None
    filing_buyer_uscc: str | None
    filing_license_kind: str | None
    filing_value: Decimal | None
    registration_id: str | None
    registration_number: str | None
    registered_on: date | None
    registration_seller_uscc: str | None
    registration_buyer_uscc: str | None
    registration_license_kind: str | None
    registration_value: Decimal | None
