"""Open-licence declarations as the license service knows them: its own view, kept
from listing's ``DeclarationPublished`` and ``DeclarationWithdrawn`` events.

Events about one patent normally arrive in order, but a consumer may not rely on it
(redelivery, replays, a withdrawal re-driven from the dead-letter topic). The view
therefore converges whatever the order: a withdrawal is final and no publication undoes
it, and terms only ever move to a newer version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from license.domain.errors import DeclarationLapsed, DeclarationNotActive
from license.domain.royalty import RoyaltySchedule
from shared.domain import Money
from shared.domain.terms import PaymentMode

# Listing's legal status of a patent in force (the others: pending, lapsed, invalidated,
# expired).
PATENT_VALID = "valid"


class DeclarationStatus(StrEnum):
    ANNOUNCED = "announced"
    SUSPENDED = "suspended"  # an earlier pledge or exclusive licence surfaced (listing)
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"  # the patent is no longer valid
    EXPIRED = "expired"  # the declared term ended


FINAL = frozenset(
    {DeclarationStatus.WITHDRAWN, DeclarationStatus.LAPSED, DeclarationStatus.EXPIRED}
)


@dataclass(frozen=True)
class Patentee:
    """A (co-)owner of the declared patent, as listing announced it."""

    name: str
    uscc: str | None
    share: Decimal = Decimal("100")
    party_type: str = "university"


@dataclass(frozen=True)
class LicenseTerms:
    """One version of a declaration's published terms (immutable once announced)."""

    payment_mode: PaymentMode
    term_start: date
    term_end: date
    lump_sum_fee: Decimal | None = None
    entry_fee: Decimal | None = None
    royalty_base: str | None = None
    royalty_rate: Decimal | None = None
    payment_schedule: str | None = None
    royalty_schedule: RoyaltySchedule | None = None  # declared; None on older terms
    territory: str = "中国大陆"
    currency: str = "CNY"

    def reporting_schedule(self) -> RoyaltySchedule:
        """When a running royalty on these terms is reported and paid: the declared
        ``royalty_schedule``, or for terms announced before schedules were declared,
        what :meth:`RoyaltySchedule.from_text` reads in ``payment_schedule``."""
        if self.royalty_schedule is not None:
            return self.royalty_schedule
        return RoyaltySchedule.from_text(self.payment_schedule)

    @property
    def has_running_royalty(self) -> bool:
        """A royalty reported and paid per period (running royalty, or entry fee plus one)."""
        return self.royalty_rate is not None and self.royalty_base is not None

    @property
    def is_free(self) -> bool:
        return self.payment_mode is PaymentMode.FREE

    @property
    def fixed_fee(self) -> Decimal | None:
        """The fixed amount of the contract (lump sum or entry fee), when the terms have one."""
        if self.payment_mode is PaymentMode.LUMP_SUM:
            return self.lump_sum_fee
        if self.payment_mode is PaymentMode.ENTRY_FEE_PLUS_ROYALTY:
            return self.entry_fee
        return None

    @property
    def fee_due_at_activation(self) -> Money | None:
        """What the first payment must at least cover for the licence to take effect."""
        fee = self.fixed_fee
        return None if fee is None else Money.of(fee, self.currency)


@dataclass(frozen=True)
class Publication:
    """What one ``DeclarationPublished`` event says."""

    patent_number: str
    patent_type: str
    title: str
    patentees: tuple[Patentee, ...]
    terms_version: int
    terms: LicenseTerms
    announced_at: datetime


@dataclass
class DeclarationView:
    """One declaration as last learned from events. Fields are ``None`` only while the
    view knows of a withdrawal and not yet of the publication it withdrew."""

    declaration_id: str
    application_number: str
    status: DeclarationStatus
    patent_number: str | None = None
    patent_type: str | None = None
    title: str | None = None
    patentees: tuple[Patentee, ...] = field(default_factory=tuple)
    terms_version: int | None = None
    terms: LicenseTerms | None = None
    announced_at: datetime | None = None
    withdrawn_at: datetime | None = None
    ended_at: datetime | None = None
    suspension_changed_at: datetime | None = None

    @classmethod
    def published(
        cls, declaration_id: str, application_number: str, publication: Publication
    ) -> DeclarationView:
        view = cls(declaration_id, application_number, DeclarationStatus.ANNOUNCED)
        view.record_publication(publication)
        return view

    @classmethod
    def withdrawn(
        cls, declaration_id: str, application_number: str, at: datetime
    ) -> DeclarationView:
        return cls(declaration_id, application_number, DeclarationStatus.WITHDRAWN, withdrawn_at=at)

    def record_publication(self, publication: Publication) -> bool:
        """Take the publication's terms if they are newer than the view's; say whether
        anything changed. The status is left alone: a withdrawal seen first stays."""
        if self.terms_version is not None and publication.terms_version <= self.terms_version:
            return False
        self.patent_number = publication.patent_number
        self.patent_type = publication.patent_type
        self.title = publication.title
        self.patentees = publication.patentees
        self.terms_version = publication.terms_version
        self.terms = publication.terms
        self.announced_at = publication.announced_at
        return True

    def record_withdrawal(self, at: datetime) -> bool:
        """Withdraw (final); the earliest effective time wins if told twice."""
        if self.withdrawn_at is not None and at >= self.withdrawn_at:
            return False
        if self.status in (DeclarationStatus.LAPSED, DeclarationStatus.EXPIRED):
            return False
        self.status = DeclarationStatus.WITHDRAWN
        self.withdrawn_at = at
        return True

    def record_end(self, status: DeclarationStatus, at: datetime) -> bool:
        """Lapse or expire (final, like a withdrawal); a declaration already ended stays
        as it ended."""
        assert status in (DeclarationStatus.LAPSED, DeclarationStatus.EXPIRED)
        if self.status in FINAL:
            return False
        self.status = status
        self.ended_at = at
        return True

    def record_suspension(self, suspended: bool, at: datetime) -> bool:
        """Suspend or reinstate; of two such events the later one wins whatever the order
        they arrive in, and neither undoes an end."""
        if self.status in FINAL:
            return False
        if self.suspension_changed_at is not None and at <= self.suspension_changed_at:
            return False
        self.suspension_changed_at = at
        self.status = DeclarationStatus.SUSPENDED if suspended else DeclarationStatus.ANNOUNCED
        return True

    def terms_in_force(
        self, today: date, patent_status: str | None = None
    ) -> tuple[int, LicenseTerms]:
        """The terms version a licensee accepting ``today`` gets; raises
        :class:`DeclarationNotActive` when the declaration is withdrawn and
        :class:`DeclarationLapsed` when its term ended or the patent's legal status (from
        listing's ``PatentStatusChanged``; ``None`` while none arrived) is no longer
        valid: a lapsed, invalidated or expired patent cannot be licensed."""
        if self.status in (DeclarationStatus.LAPSED, DeclarationStatus.EXPIRED):
            raise DeclarationLapsed(
                f"declaration {self.declaration_id} is {self.status.value}; "
                "only an announced declaration can be accepted",
                declaration_id=self.declaration_id,
                declaration_status=self.status.value,
            )
        if self.status is not DeclarationStatus.ANNOUNCED:
            raise DeclarationNotActive(
                f"declaration {self.declaration_id} is {self.status.value}; "
                "only an announced declaration can be accepted",
                declaration_id=self.declaration_id,
                declaration_status=self.status.value,
            )
        if self.terms is None or self.terms_version is None:
            # Reinstated before its publication reached us: nothing to accept yet.
            raise DeclarationNotActive(
                f"declaration {self.declaration_id} has not been published here yet",
                declaration_id=self.declaration_id,
                declaration_status="unpublished",
            )
        if patent_status is not None and patent_status != PATENT_VALID:
            raise DeclarationLapsed(
                f"declaration {self.declaration_id} lapsed: patent {self.application_number} "
                f"is {patent_status}, and only a valid patent can be licensed",
                declaration_id=self.declaration_id,
                declaration_status="patent_" + patent_status,
            )
        if today > self.terms.term_end:
            raise DeclarationLapsed(
                f"declaration {self.declaration_id} is announced but its licence term "
                f"ended on {self.terms.term_end}",
                declaration_id=self.declaration_id,
                declaration_status="term_ended",
            )
        return self.terms_version, self.terms

    def is_patentee(self, uscc: str | None) -> bool:
        return uscc is not None and any(p.uscc == uscc for p in self.patentees)
