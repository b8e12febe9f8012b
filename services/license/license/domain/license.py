"""Patent licences (专利实施许可) and their state machine.

An open licence is taken by notifying the patentee and paying per the announced terms
(Patent Law Art. 51): the licensee gets an ordinary licence on exactly the terms version
in force when it accepted, and the licence must be filed (备案) within three months of
taking effect. Open licences are non-exclusive: any number of licensees may hold one.

States::

    awaiting_payment --pay--> active --file--> filed
          |                     |                |
          +------------------ terminated <-------+

A free licence skips ``awaiting_payment``. Filing and termination come in later issues;
the transitions are already part of the machine so they only need their use cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from license.domain.declaration import DeclarationView, LicenseTerms, Patentee
from license.domain.errors import (
    InvalidTransition,
    LicenseeIsPatentee,
    LicenseeUsccMissing,
    LicenseTermEnded,
    PaymentBelowFee,
    PaymentDateInFuture,
)
from shared.domain import Money, add_months
from shared.events.schemas import LicenseKind

# Implementing Regulations: a licence contract is filed within 3 months of taking effect.
FILING_PERIOD_MONTHS = 3


class LicenseStatus(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    ACTIVE = "active"
    FILED = "filed"
    TERMINATED = "terminated"


_TRANSITIONS: dict[LicenseStatus, frozenset[LicenseStatus]] = {
    LicenseStatus.AWAITING_PAYMENT: frozenset({LicenseStatus.ACTIVE, LicenseStatus.TERMINATED}),
    LicenseStatus.ACTIVE: frozenset({LicenseStatus.FILED, LicenseStatus.TERMINATED}),
    LicenseStatus.FILED: frozenset({LicenseStatus.TERMINATED}),
    LicenseStatus.TERMINATED: frozenset(),
}

# States in which the licensee holds the licence or is about to (one per declaration).
HELD_STATES = frozenset({LicenseStatus.AWAITING_PAYMENT, LicenseStatus.ACTIVE, LicenseStatus.FILED})


def filing_deadline(effective_date: date) -> date:
    """Last day to file (备案) a licence that took effect on ``effective_date``:
    three calendar months later, clamped to the month's end (11-30 -> 02-28)."""
    return add_months(effective_date, FILING_PERIOD_MONTHS)


@dataclass(frozen=True)
class Licensee:
    """The organisation taking the licence, as its token identifies it."""

    org_id: str
    name: str
    uscc: str | None
    org_type: str


@dataclass(frozen=True)
class Payment:
    amount: Money
    voucher_reference: str
    paid_on: date


@dataclass(frozen=True)
class Viewer:
    """Who asks to see a licence."""

    org_id: str
    uscc: str | None
    is_operator: bool = False


@dataclass
class PatentLicense:
    id: str
    application_number: str
    patent_number: str
    kind: LicenseKind
    licensors: tuple[Patentee, ...]
    licensee: Licensee
    terms: LicenseTerms
    declaration_id: str | None = None
    terms_version: int | None = None
    field_of_use: str | None = None
    contact: str | None = None
    status: LicenseStatus = LicenseStatus.AWAITING_PAYMENT
    effective_date: date | None = None
    term_end: date | None = None
    filing_deadline: date | None = None

    @classmethod
    def take_open_license(
        cls,
        *,
        license_id: str,
        declaration: DeclarationView,
        licensee: Licensee,
        field_of_use: str | None,
        contact: str | None,
        today: date,
    ) -> PatentLicense:
        """Accept a declaration (取得开放许可) ``today``: an ordinary licence on the terms
        version in force, active at once when the terms are free."""
        if licensee.uscc is None:
            raise LicenseeUsccMissing(
                f"{licensee.name} ({licensee.org_id}) has no unified social credit code in its "
                "token; a licence names the licensee by it (filing and technology-contract "
                "registration need it)"
            )
        version, terms = declaration.terms_in_force(today)
        if declaration.is_patentee(licensee.uscc):
            raise LicenseeIsPatentee(
                f"{licensee.name} is a patentee of {declaration.application_number} and "
                "cannot take a licence on its own patent"
            )
        assert declaration.patent_number is not None  # announced views are complete
        licence = cls(
            id=license_id,
            application_number=declaration.application_number,
            patent_number=declaration.patent_number,
            kind=LicenseKind.ORDINARY,
            licensors=declaration.patentees,
            licensee=licensee,
            terms=terms,
            declaration_id=declaration.declaration_id,
            terms_version=version,
            field_of_use=field_of_use,
            contact=contact,
        )
        if terms.is_free:
            licence.activate(today)
        return licence

    def record_payment(self, payment: Payment, today: date) -> bool:
        """Check a payment the licensee reports; True when it activated the licence.

        The first payment must cover the fixed fee of the terms (lump sum or entry fee);
        later payments (running royalties) are recorded on an active or filed licence.
        """
        if payment.paid_on > today:
            raise PaymentDateInFuture(f"paid_on {payment.paid_on} is after today ({today})")
        if self.status is LicenseStatus.AWAITING_PAYMENT:
            due = self.terms.fee_due_at_activation
            if due is not None and payment.amount < due:
                raise PaymentBelowFee(
                    f"the {self.terms.payment_mode.value} terms (version {self.terms_version}) "
                    f"require {due.amount} {due.currency} before the licence takes effect; "
                    f"{payment.amount.amount} {payment.amount.currency} was paid",
                    required=str(due.amount),
                )
            self.activate(payment.paid_on)
            return True
        if self.status in (LicenseStatus.ACTIVE, LicenseStatus.FILED):
            return False
        raise InvalidTransition(
            f"licence {self.id} is {self.status.value}; no payment can be recorded on it"
        )

    def activate(self, paid_on: date) -> None:
        """Take effect: on the payment date, or on the terms' start when paid earlier."""
        effective = max(paid_on, self.terms.term_start)
        if effective > self.terms.term_end:
            raise LicenseTermEnded(
                f"the terms' licence term ended on {self.terms.term_end}; "
                f"a licence cannot take effect on {effective}"
            )
        self._move_to(LicenseStatus.ACTIVE)
        self.effective_date = effective
        self.term_end = self.terms.term_end
        self.filing_deadline = filing_deadline(effective)

    @property
    def contract_value(self) -> Decimal | None:
        """The fixed value of the contract in CNY (lump sum or entry fee), if any."""
        return self.terms.fixed_fee

    def may_be_seen_by(self, viewer: Viewer) -> bool:
        """The licensee, a licensor (by USCC) and the operator may see a licence."""
        if viewer.is_operator or viewer.org_id == self.licensee.org_id:
            return True
        return viewer.uscc is not None and any(p.uscc == viewer.uscc for p in self.licensors)

    def _move_to(self, target: LicenseStatus) -> None:
        if target not in _TRANSITIONS[self.status]:
            raise InvalidTransition(
                f"licence {self.id} is {self.status.value}; it cannot become {target.value}"
            )
        self.status = target
