"""Patent licences (专利实施许可) and their state machine.

An open licence is taken by notifying the patentee and paying per the announced terms
(Patent Law Art. 51): the licensee gets an ordinary licence on exactly the terms version
in force when it accepted, and the licence must be filed (备案) within three months of
taking effect. Open licences are non-exclusive: any number of licensees may hold one.

States::

    awaiting_payment --pay--> active --file--> filed
                                |                |
                                +--> expired | terminated | rescinded <--+

A free licence skips ``awaiting_payment``; a negotiated licence (a contract signed
outside the declaration) is ``active`` from the day it is recorded. Filing records the
filing number from CNIPA's notice. Until then the licence's ``filing_alert`` is ``due``
from the reminder day and ``overdue`` once the deadline passed, read from the deadline and
the day; the deadline watch sends a reminder and an alarm for them, each exactly once.
How a licence in force ends, and what ``ended_on`` means: ``license.domain.license_end``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from license.domain.declaration import DeclarationStatus, DeclarationView, LicenseTerms, Patentee
from license.domain.errors import (
    ConflictsWithLicenceInForce,
    ExclusiveWhileDeclared,
    FilingDateInvalid,
    InvalidTransition,
    LicenseeIsPatentee,
    LicenseeUsccMissing,
    LicenseTermEnded,
    NegotiatedTermsInvalid,
    PaymentBelowFee,
    PaymentDateInFuture,
)
from license.domain.errors_endings import LicenseEndedNoPayment
from license.domain.filing_deadline import (
    ALERT_RANK,
    FilingAlert,
    filing_alert_level,
    filing_deadline,
)
from license.domain.payment import Payment
from license.domain.royalty import RoyaltyRateAmendment
from license.domain.scope import LicenseScope
from shared.domain.terms import LicenseKind, PaymentMode

if TYPE_CHECKING:
    from license.domain.license_end import TerminationConsent


class LicenseStatus(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    ACTIVE = "active"
    FILED = "filed"
    EXPIRED = "expired"
    TERMINATED = "terminated"
    RESCINDED = "rescinded"


ENDED_STATES = frozenset({LicenseStatus.EXPIRED, LicenseStatus.TERMINATED, LicenseStatus.RESCINDED})
IN_FORCE_STATES = frozenset({LicenseStatus.ACTIVE, LicenseStatus.FILED})

_TRANSITIONS: dict[LicenseStatus, frozenset[LicenseStatus]] = {
    LicenseStatus.AWAITING_PAYMENT: frozenset({LicenseStatus.ACTIVE}),
    LicenseStatus.ACTIVE: frozenset({LicenseStatus.FILED} | ENDED_STATES),
    LicenseStatus.FILED: ENDED_STATES,
    **{ended: frozenset() for ended in ENDED_STATES},
}


def filing_alert_of(
    status: LicenseStatus, deadline: date | None, today: date, notice_days: int
) -> FilingAlert:
    """The alert level of a licence in ``status``: only an active licence has a filing
    to make (one awaiting payment has no deadline yet, a filed one has made it)."""
    if status is not LicenseStatus.ACTIVE or deadline is None:
        return FilingAlert.NONE
    return filing_alert_level(deadline, today, notice_days)


# States in which the licensee holds the licence or is about to (one per declaration).
HELD_STATES = frozenset({LicenseStatus.AWAITING_PAYMENT, LicenseStatus.ACTIVE, LicenseStatus.FILED})


@dataclass(frozen=True)
class Licensee:
    """The organisation taking the licence, as its token identifies it."""

    org_id: str | None
    name: str
    uscc: str | None
    org_type: str


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
    # The negotiated deal (domain.deal) the licence came out of, if any.
    deal_id: str | None = None
    status: LicenseStatus = LicenseStatus.AWAITING_PAYMENT
    effective_date: date | None = None
    term_end: date | None = None
    filing_deadline: date | None = None
    filing_number: str | None = None
    filed_on: date | None = None
    filing_alert: FilingAlert = FilingAlert.NONE
    ended_on: date | None = None  # the first day no longer in force (see license_end)
    end_reason: str | None = None
    end_note: str | None = None
    termination_consents: tuple[TerminationConsent, ...] = ()
    # Royalty rates mediation settlements agreed, oldest first (domain.royalty).
    rate_amendments: tuple[RoyaltyRateAmendment, ...] = ()
    # When the licence was recorded and when it took effect, set when it is saved.
    created_at: datetime | None = None
    activated_at: datetime | None = None

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
        patent_status: str | None = None,
    ) -> PatentLicense:
        """Accept a declaration (取得开放许可) ``today``: an ordinary licence on the terms
        version in force, active at once when the terms are free."""
        if licensee.uscc is None:
            raise LicenseeUsccMissing(
                f"{licensee.name} ({licensee.org_id}) has no unified social credit code in its "
                "token; a licence names the licensee by it (filing and technology-contract "
                "registration need it)"
            )
        version, terms = declaration.terms_in_force(today, patent_status)
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

    @classmethod
    def negotiate(
        cls,
        *,
        license_id: str,
        application_number: str,
        patent_number: str,
        patentees: tuple[Patentee, ...],
        declarations: list[DeclarationView],
        kind: LicenseKind,
        licensee: Licensee,
        terms: LicenseTerms,
        field_of_use: str | None,
        effective_date: date,
        in_force: list[PatentLicense],
        deal_id: str | None = None,
    ) -> PatentLicense:
        """A licence the patentees (``patentees``) negotiated (Patent Law Art. 52):
        ordinary licences are always possible, exclusive and sole ones not while an
        open-licence declaration on the patent (``declarations``, those known) is
        announced. ``in_force``: the patent's licences in force; an exclusive (独占) or
        sole (排他) licence leaves no room for another licence of an overlapping scope
        (domain.scope), and needs a scope free of others."""
        announced = [d for d in declarations if d.status is DeclarationStatus.ANNOUNCED]
        if kind is not LicenseKind.ORDINARY and announced:
            raise ExclusiveWhileDeclared(
                f"a {kind.value} licence on {application_number} is refused while the "
                f"open-licence declaration {announced[0].declaration_id} is announced "
                "(Patent Law Art. 52: only ordinary licences during an open licence)",
                declaration_id=announced[0].declaration_id,
            )
        if licensee.uscc is None:
            raise LicenseeUsccMissing(
                f"the licensee {licensee.name} must be named by its unified social credit code"
            )
        if any(p.uscc == licensee.uscc for p in patentees) or any(
            d.is_patentee(licensee.uscc) for d in declarations
        ):
            raise LicenseeIsPatentee(
                f"{licensee.name} is a patentee of {application_number} and cannot "
                "take a licence on its own patent"
            )
        if not terms.term_start <= effective_date <= terms.term_end:
            raise NegotiatedTermsInvalid(
                f"effective_date {effective_date} lies outside the licence term "
                f"{terms.term_start} – {terms.term_end}"
            )
        if (
            terms.payment_mode is not PaymentMode.FREE
            and terms.fixed_fee is None
            and (terms.royalty_rate is None or terms.royalty_base is None)
        ):
            raise NegotiatedTermsInvalid(
                f"{terms.payment_mode.value} terms need their fee (lump_sum_fee or entry_fee) "
                "or their royalty_rate and royalty_base"
            )
        scope = LicenseScope(kind, effective_date, terms.term_end, terms.territory, field_of_use)
        for other in in_force:
            if scope.excludes(other.scope()):
                raise ConflictsWithLicenceInForce(
                    f"a {kind.value} licence from {effective_date} to {terms.term_end} overlaps "
                    f"the {other.kind.value} licence {other.id} of {other.licensee.name} "
                    f"({other.effective_date} – {other.term_end}); an exclusive or sole "
                    "licence excludes any other licence of an overlapping scope (term, "
                    "territory and field of use)",
                    license_id=other.id,
                )
        licence = cls(
            id=license_id,
            application_number=application_number,
            patent_number=patent_number,
            kind=kind,
            licensors=patentees,
            licensee=licensee,
            terms=terms,
            field_of_use=field_of_use,
            deal_id=deal_id,
        )
        licence.activate(effective_date)
        return licence

    def scope(self) -> LicenseScope:
        """What the licence covers (one in force: from its effect to its term's end)."""
        return LicenseScope(
            self.kind,
            self.effective_date or self.terms.term_start,
            self.term_end or self.terms.term_end,
            self.terms.territory,
            self.field_of_use,
        )

    def record_payment(self, payment: Payment, today: date, *, for_period: bool = False) -> bool:
        """Check a payment the licensee reports; True when it activated the licence.

        The first payment must cover the fixed fee of the terms (lump sum or entry fee);
        later ones (running royalties) on a licence in force, or ``for_period`` (a royalty
        period of its term) on an ended one."""
        if self.status in ENDED_STATES and not for_period:
            raise LicenseEndedNoPayment(
                f"licence {self.id} is {self.status.value} since {self.ended_on}; a payment "
                "on it must name the royalty period of its term that it settles"
            )
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
        if self.status in IN_FORCE_STATES or self.status in ENDED_STATES:
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

    def file(self, filing_number: str, filed_on: date, today: date) -> bool:
        """Record the filing (备案) CNIPA notified; True when it came after the deadline."""
        if self.status is not LicenseStatus.ACTIVE:
            raise InvalidTransition(
                f"licence {self.id} is {self.status.value}; only an active licence is filed "
                "(an open licence takes effect when its payment is recorded)"
            )
        assert self.effective_date is not None
        assert self.filing_deadline is not None
        if not self.effective_date <= filed_on <= today:
            raise FilingDateInvalid(
                f"filed_on {filed_on} must lie between the licence's effect "
                f"({self.effective_date}) and today ({today})"
            )
        self._move_to(LicenseStatus.FILED)
        self.filing_number = filing_number
        self.filed_on = filed_on
        return filed_on > self.filing_deadline

    def filing_alert_on(self, today: date, notice_days: int) -> FilingAlert:
        """The licence's alert level ``today``: what a reader sees."""
        return filing_alert_of(self.status, self.filing_deadline, today, notice_days)

    def next_filing_alert(self, today: date, notice_days: int) -> FilingAlert | None:
        """The reminder or alarm the deadline watch owes this licence ``today``, if any:
        the level a reader sees today, when no event for it (or a later one) was sent."""
        level = self.filing_alert_on(today, notice_days)
        if ALERT_RANK[level] > ALERT_RANK[self.filing_alert]:
            return level
        return None

    def end(
        self, target: LicenseStatus, ended_on: date, reason: str, note: str | None = None
    ) -> None:
        """Move to an end state; the rules of each way to end are in ``license_end``."""
        self._move_to(target)
        self.ended_on, self.end_reason, self.end_note = ended_on, reason, note

    def amend_royalty_rate(self, amendment: RoyaltyRateAmendment) -> None:
        """Keep a settlement's new rate; the caller moves the unreported periods to it."""
        self.rate_amendments = (*self.rate_amendments, amendment)

    def is_licensor(self, uscc: str | None) -> bool:
        return uscc is not None and any(p.uscc == uscc for p in self.licensors)

    def is_licensee(self, org_id: str, uscc: str | None) -> bool:
        if self.licensee.org_id is not None and org_id == self.licensee.org_id:
            return True
        return uscc is not None and uscc == self.licensee.uscc

    @property
    def contract_value(self) -> Decimal | None:
        """The fixed value of the contract in CNY (lump sum or entry fee), if any."""
        return self.terms.fixed_fee

    def may_be_seen_by(self, viewer: Viewer) -> bool:
        """The licensee, a licensor (by USCC) and the operator may see a licence."""
        if viewer.is_operator or self.is_licensee(viewer.org_id, viewer.uscc):
            return True
        return self.is_licensor(viewer.uscc)

    def _move_to(self, target: LicenseStatus) -> None:
        if target not in _TRANSITIONS[self.status]:
            raise InvalidTransition(
                f"licence {self.id} is {self.status.value}; it cannot become {target.value}"
            )
        self.status = target
