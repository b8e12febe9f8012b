"""A pledge registration (专利权质押登记) and its life.

::

    draft -> submitted <-> correction_requested
    submitted -> approved -> registered            (registering a submitted pledge approves it)
    submitted | approved -> refused
    registered -> changed -> registered            (amount, term, parties: one change action)
    registered -> cancelled                        (repaid, waived, main contract void)
    registered -> defaulted -> compensation_claimed -> disposal -> realised -> cancelled
    defaulted -> disposal                          (no risk-compensation programme)
    registered -> patent_lapsed -> cancelled
    registered -> suspended -> registered | cancelled
        (an open licence announced before the registration, without the pledgee's consent,
        surfaced after it: the declaration took effect first; the bank's consent or the
        declaration's end lifts the suspension)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pledge.domain.errors import (
    AlreadyDisbursed,
    CancellationReasonNotAllowed,
    ChangeEmpty,
    DebtTermPastExpiry,
    DisbursementExceedsSecuredAmount,
    InvalidTransition,
    NothingOutstanding,
    RepaymentExceedsOutstanding,
)
from pledge.domain.precheck import PatentView, PledgeTerms
from shared.domain.terms import ConsentSubject


class PledgeStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CORRECTION_REQUESTED = "correction_requested"
    APPROVED = "approved"
    REFUSED = "refused"
    REGISTERED = "registered"
    CHANGED = "changed"
    DEFAULTED = "defaulted"
    COMPENSATION_CLAIMED = "compensation_claimed"
    DISPOSAL = "disposal"
    REALISED = "realised"
    PATENT_LAPSED = "patent_lapsed"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"


class DisposalMethod(StrEnum):
    AUCTION = "auction"
    SALE = "sale"
    DISCOUNT = "discount"


class CancellationReason(StrEnum):
    REPAID = "repaid"
    WAIVED = "waived"
    MAIN_CONTRACT_VOID = "main_contract_void"
    REALISED = "realised"
    PATENT_LAPSED = "patent_lapsed"


S = PledgeStatus
_ALLOWED: dict[PledgeStatus, set[PledgeStatus]] = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.CORRECTION_REQUESTED, S.APPROVED, S.REFUSED, S.REGISTERED},
    S.CORRECTION_REQUESTED: {S.SUBMITTED},
    S.APPROVED: {S.REFUSED, S.REGISTERED},
    S.REFUSED: set(),
    S.REGISTERED: {S.CHANGED, S.CANCELLED, S.DEFAULTED, S.PATENT_LAPSED, S.SUSPENDED},
    S.SUSPENDED: {S.REGISTERED, S.CANCELLED},
    S.CHANGED: {S.REGISTERED},
    S.DEFAULTED: {S.COMPENSATION_CLAIMED, S.DISPOSAL},
    S.COMPENSATION_CLAIMED: {S.DISPOSAL},
    S.DISPOSAL: {S.REALISED},
    S.REALISED: {S.CANCELLED},
    S.PATENT_LAPSED: {S.CANCELLED},
    S.CANCELLED: set(),
}

# Which cancellation reasons each state admits: a realised pledge is cancelled because it
# was realised, not because it was repaid.
_CANCELLATION_REASONS = {
    S.REGISTERED: {
        CancellationReason.REPAID,
        CancellationReason.WAIVED,
        CancellationReason.MAIN_CONTRACT_VOID,
    },
    S.SUSPENDED: {
        CancellationReason.REPAID,
        CancellationReason.WAIVED,
        CancellationReason.MAIN_CONTRACT_VOID,
    },
    S.REALISED: {CancellationReason.REALISED},
    S.PATENT_LAPSED: {CancellationReason.PATENT_LAPSED},
}

# States in which the pledge encumbers its patents (a second pledge is refused).
ENCUMBERING = frozenset(
    {S.REGISTERED, S.SUSPENDED, S.DEFAULTED, S.COMPENSATION_CLAIMED, S.DISPOSAL}
)
# States in which the pledgee may still record a consent.
CONSENTABLE = frozenset(
    {S.SUBMITTED, S.APPROVED, S.REGISTERED, S.SUSPENDED, S.DEFAULTED, S.DISPOSAL}
)


def transition(current: PledgeStatus, target: PledgeStatus) -> PledgeStatus:
    """The next state, or :class:`InvalidTransition` naming both."""
    if target not in _ALLOWED[current]:
        raise InvalidTransition(f"a {current.value} pledge cannot become {target.value}")
    return target


def cancellation(current: PledgeStatus, reason: CancellationReason) -> PledgeStatus:
    """Cancel for ``reason``: the state must allow cancelling and admit that reason."""
    transition(current, S.CANCELLED)
    allowed = _CANCELLATION_REASONS[current]
    if reason not in allowed:
        raise CancellationReasonNotAllowed(
            f"a {current.value} pledge is cancelled as "
            f"{' or '.join(sorted(r.value for r in allowed))}, not {reason.value}",
            allowed=sorted(r.value for r in allowed),
        )
    return S.CANCELLED


@dataclass
class Pledge:
    """One pledge registration with its loan: the aggregate every pledge use case loads,
    changes through these methods and saves."""

    id: str
    status: PledgeStatus
    pledgor_org_id: str
    pledgor_name: str
    pledgor_uscc: str | None
    pledgee_org_id: str
    pledgee_name: str
    pledgee_uscc: str | None
    secured_amount: Decimal
    currency: str
    debt_term_end: date
    has_forfeiture_clause: bool
    co_owner_consents: list[str]
    application_numbers: list[str]
    created_at: datetime
    registration_number: str | None = None
    registered_on: date | None = None
    # When the registration was recorded here: orders it against declarations.
    registered_at: datetime | None = None
    suspended_by: str | None = None  # the declaration's id
    cancelled_on: date | None = None
    cancellation_reason: CancellationReason | None = None
    approved_on: date | None = None
    refusal_reason: str | None = None
    correction_reason: str | None = None
    change_count: int = 0
    disbursed_amount: Decimal | None = None
    disbursed_on: date | None = None
    outstanding_amount: Decimal | None = None
    overdue_since: date | None = None
    defaulted_on: date | None = None
    disposal_method: DisposalMethod | None = None
    disposal_valuation: Decimal | None = None
    realised_on: date | None = None
    realisation_proceeds: Decimal | None = None
    buyer: dict[str, Any] | None = field(default=None)

    def move_to(self, target: PledgeStatus) -> None:
        self.status = transition(self.status, target)

    def terms(self) -> PledgeTerms:
        return PledgeTerms(
            pledgor_uscc=self.pledgor_uscc,
            debt_term_end=self.debt_term_end,
            has_forfeiture_clause=self.has_forfeiture_clause,
            co_owner_consents=frozenset(self.co_owner_consents),
        )

    def visible_to(self, org_id: str) -> bool:
        """The pledgor and the pledgee bank may know the pledge exists (the operator
        always may); a draft is the pledgor's own until submitted."""
        if org_id == self.pledgor_org_id:
            return True
        return org_id == self.pledgee_org_id and self.status is not PledgeStatus.DRAFT

    def require(self, status: PledgeStatus, action: str) -> None:
        if self.status is not status:
            raise self.cannot(action)

    def cannot(self, action: str) -> InvalidTransition:
        return InvalidTransition(f"cannot {action} on a {self.status} pledge")

    def check_consentable(self) -> None:
        if self.status not in CONSENTABLE:
            raise self.cannot("record a consent")

    def suspend(self, declaration_id: str) -> None:
        self.move_to(PledgeStatus.SUSPENDED)
        self.suspended_by = declaration_id

    def reinstate(self) -> None:
        self.move_to(PledgeStatus.REGISTERED)
        self.suspended_by = None

    def start_disposal(self, method: DisposalMethod, valuation: Decimal | None) -> None:
        self.move_to(PledgeStatus.DISPOSAL)
        self.disposal_method = method
        self.disposal_valuation = valuation

    def realise(self, realised_on: date, proceeds: Decimal, buyer: dict[str, Any]) -> None:
        self.move_to(PledgeStatus.REALISED)
        self.realised_on = realised_on
        self.realisation_proceeds = proceeds
        self.buyer = buyer

    def outstanding_principal(self) -> Decimal:
        if not self.outstanding_amount:
            raise NothingOutstanding(f"no principal of pledge {self.id} is outstanding")
        return self.outstanding_amount

    def register(self, registration_number: str, registered_on: date, at: datetime) -> None:
        self.move_to(PledgeStatus.REGISTERED)
        self.registration_number = registration_number
        self.registered_on = registered_on
        self.registered_at = at
        self.approved_on = self.approved_on or registered_on

    def cancel(self, reason: CancellationReason, cancelled_on: date) -> None:
        self.status = cancellation(self.status, reason)
        self.cancelled_on = cancelled_on
        self.cancellation_reason = reason

    def change(
        self,
        *,
        secured_amount: Decimal | None,
        debt_term_end: date | None,
        parties: dict[str, str | None],
        views: dict[str, PatentView],
    ) -> list[str]:
        """质押登记变更: registered -> changed -> registered in one step. Returns the
        fields that changed; ``parties`` maps a party field to its new value or None."""
        changing = transition(self.status, PledgeStatus.CHANGED)
        changed: list[str] = []
        if secured_amount is not None and secured_amount != self.secured_amount:
            self.secured_amount = secured_amount
            changed.append("secured_amount")
        if debt_term_end is not None and debt_term_end != self.debt_term_end:
            for number, view in sorted(views.items()):
                if debt_term_end > view.expiry_date:
                    raise DebtTermPastExpiry(
                        f"the debt term would end {debt_term_end}, after patent {number} "
                        f"expires on {view.expiry_date}"
                    )
            self.debt_term_end = debt_term_end
            changed.append("debt_term_end")
        for name, value in parties.items():
            if value is not None and value != getattr(self, name):
                setattr(self, name, value)
                changed.append(name)
        if not changed:
            raise ChangeEmpty("the change carries no new amount, term or party data")
        self.status = transition(changing, PledgeStatus.REGISTERED)
        self.change_count += 1
        return changed

    def disburse(self, amount: Decimal, disbursed_on: date) -> None:
        self.require(PledgeStatus.REGISTERED, "disburse the loan")
        if self.disbursed_amount is not None:
            raise AlreadyDisbursed(
                f"the loan of pledge {self.id} was disbursed on {self.disbursed_on}"
            )
        if amount <= 0 or amount > self.secured_amount:
            raise DisbursementExceedsSecuredAmount(
                f"a disbursement of {amount} must be above zero and at most the secured "
                f"amount {self.secured_amount}"
            )
        self.disbursed_amount = amount
        self.disbursed_on = disbursed_on
        self.outstanding_amount = amount

    def repay(self, amount: Decimal) -> None:
        """A partial or full repayment; an overdue loan repaid in full is overdue no more."""
        self.require(PledgeStatus.REGISTERED, "record a repayment")
        outstanding = self.outstanding_principal()
        if amount <= 0 or amount > outstanding:
            raise RepaymentExceedsOutstanding(
                f"a repayment of {amount} must be above zero and at most the outstanding "
                f"{outstanding}",
                outstanding=str(outstanding),
            )
        self.outstanding_amount = outstanding - amount
        if not self.outstanding_amount:
            self.overdue_since = None

    def report_overdue(self, overdue_since: date) -> Decimal:
        """The outstanding principal, now overdue; the pledge stays registered."""
        self.require(PledgeStatus.REGISTERED, "report the loan overdue")
        outstanding = self.outstanding_principal()
        self.overdue_since = overdue_since
        return outstanding

    def default(self, defaulted_on: date) -> Decimal:
        """The outstanding principal the borrower defaulted on."""
        target = transition(self.status, PledgeStatus.DEFAULTED)
        outstanding = self.outstanding_principal()
        self.status = target
        self.defaulted_on = defaulted_on
        return outstanding


@dataclass(frozen=True)
class Consent:
    """The pledgee's written consent (质权人同意) to a transfer, licence, open licence or
    abandonment of the pledged patents."""

    id: str
    pledge_id: str
    consent_to: ConsentSubject
    counterparty_uscc: str | None
    document_sha256: str | None
    recorded_on: date
    created_at: datetime
