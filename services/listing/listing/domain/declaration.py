"""Open-licence declarations (Patent Law Art. 50-52; Implementing Regulations Art. 85-88).

A declaration states the patent, the patentees, the royalty method and standard, the
term and other matters. It may be made only when nothing encumbers the patent in a way
the law forbids; :func:`check_declarable` names the first rule that refuses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from listing.domain.encumbrance import EncumbranceView
from listing.domain.errors import (
    AnnualFeesUnpaid,
    CoOwnerConsentMissing,
    EvaluationReportMissing,
    EvaluationReportUnfavourable,
    EvidenceNotForThisPatent,
    ExclusiveLicenceInForce,
    InvalidTransition,
    PatentNotValid,
    PatentSuspended,
    PledgedWithoutConsent,
    PromotionalWording,
)
from listing.domain.evidence import Conclusion, DocumentKind, Evidence
from listing.domain.patent import AnnualFeeStatus, LegalStatus, Patent
from listing.domain.terms import LicenseTerms
from shared.domain import PatentType

# Promotional wording a declaration may not contain (the law asks for plain terms).
# Operators extend this list; it is deliberately short and specific.
PROMOTIONAL_WORDS = (
    "国内领先",
    "国际领先",
    "世界领先",
    "全球首创",
    "国内首创",
    "行业第一",
    "最先进",
    "最好",
    "顶级",
    "绝对",
    "保证盈利",
    "稳赚",
    "独一无二",
    "颠覆性",
)


class DeclarationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ANNOUNCED = "announced"
    WITHDRAWAL_REQUESTED = "withdrawal_requested"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"
    EXPIRED = "expired"
    SUSPENDED = "suspended"  # an earlier act that forbids it became known (a race)


# A declaration in one of these states is in force: licences may be taken (Art. 51: a
# withdrawal takes effect only when it is announced).
IN_FORCE = frozenset({DeclarationStatus.ANNOUNCED, DeclarationStatus.WITHDRAWAL_REQUESTED})
ENDED = frozenset(
    {DeclarationStatus.WITHDRAWN, DeclarationStatus.LAPSED, DeclarationStatus.EXPIRED}
)


class FeeReduction(StrEnum):
    """The open-licence annual-fee reduction (开放许可年费减免, 15 %): withheld while a
    patentee is restricted by a credit record (信用监管)."""

    ELIGIBLE = "eligible"
    WITHHELD = "withheld"


@dataclass
class OpenLicenseDeclaration:
    id: str
    application_number: str
    declarant_org_id: str
    declarant_uscc: str | None
    terms: LicenseTerms
    terms_version: int = 1
    status: DeclarationStatus = DeclarationStatus.DRAFT
    description: str | None = None
    contact: str | None = None
    co_owner_consents: list[str] = field(default_factory=list)
    # The documents it relies on, by id; ``evidence`` holds them once loaded.
    evidence_ids: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    created_at: datetime | None = None
    announced_at: datetime | None = None
    withdrawal_requested_at: datetime | None = None
    withdrawn_at: datetime | None = None
    ended_at: datetime | None = None  # lapsed or expired
    status_reason: str | None = None
    suspended_by: str | None = None  # the pledge or licence that suspended it
    # The credit record that withholds the annual-fee reduction, while one does.
    fee_reduction_withheld_by: str | None = None

    @property
    def annual_fee_reduction(self) -> FeeReduction:
        if self.fee_reduction_withheld_by is None:
            return FeeReduction.ELIGIBLE
        return FeeReduction.WITHHELD

    def withhold_fee_reduction(self, record_id: str) -> bool:
        """A patentee became restricted; True when the reduction was eligible until now."""
        flipped = self.fee_reduction_withheld_by is None
        if flipped:
            self.fee_reduction_withheld_by = record_id
        return flipped

    def restore_fee_reduction(self, lifted_record_id: str, still_restricting: str | None) -> bool:
        """``lifted_record_id`` was lifted; another record of a patentee still in force
        keeps the reduction withheld. True when it became eligible again."""
        if self.fee_reduction_withheld_by != lifted_record_id:
            return False
        self.fee_reduction_withheld_by = still_restricting
        return still_restricting is None

    def submit(self, patent: Patent, encumbrances: EncumbranceView) -> None:
        if self.status is not DeclarationStatus.DRAFT:
            raise InvalidTransition(
                f"declaration is {self.status.value}; only a draft is submitted"
            )
        check_declarable(patent, encumbrances, self)
        self.status = DeclarationStatus.SUBMITTED

    def announce(self, at: datetime) -> None:
        if self.status is not DeclarationStatus.SUBMITTED:
            raise InvalidTransition(f"declaration is {self.status.value}; cannot announce")
        self.status = DeclarationStatus.ANNOUNCED
        self.announced_at = at

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE

    def change_terms(self, terms: LicenseTerms, patent: Patent) -> None:
        """A new terms version (the old ones stay: licensees keep the version they took).
        Only a draft or a declaration in force changes terms."""
        if self.status is not DeclarationStatus.DRAFT and self.status not in IN_FORCE:
            raise InvalidTransition(
                f"declaration is {self.status.value}; only a draft or a declaration in force "
                "can change its terms"
            )
        if self.status is DeclarationStatus.WITHDRAWAL_REQUESTED:
            raise InvalidTransition("a declaration being withdrawn cannot change its terms")
        terms.validate(patent)
        check_wording(self.description, terms.payment_schedule)
        self.terms = terms
        self.terms_version += 1

    def request_withdrawal(self, at: datetime | None = None, reason: str | None = None) -> None:
        if self.status is not DeclarationStatus.ANNOUNCED:
            raise InvalidTransition(
                f"declaration is {self.status.value}; only an announced declaration is withdrawn"
            )
        self.status = DeclarationStatus.WITHDRAWAL_REQUESTED
        self.withdrawal_requested_at = at
        self.status_reason = reason

    def withdraw(self, at: datetime) -> None:
        """The office announced the withdrawal: it takes effect now."""
        if self.status is not DeclarationStatus.WITHDRAWAL_REQUESTED:
            raise InvalidTransition(
                f"declaration is {self.status.value}; a withdrawal is announced only after "
                "the patentee requested it"
            )
        self.status = DeclarationStatus.WITHDRAWN
        self.withdrawn_at = at

    def end(
        self, status: DeclarationStatus, at: datetime | None = None, reason: str | None = None
    ) -> bool:
        """Lapse or expire; False if it had already ended (or never took effect)."""
        assert status in (DeclarationStatus.LAPSED, DeclarationStatus.EXPIRED)
        if self.status not in IN_FORCE and self.status is not DeclarationStatus.SUSPENDED:
            return False
        self.status = status
        self.ended_at = at
        self.status_reason = reason
        return True

    def expire(self, at: datetime) -> bool:
        """The declared term is over."""
        return self.end(
            DeclarationStatus.EXPIRED, at, f"the declared term ended on {self.terms.term_end}"
        )

    def announced_after(self, at: datetime) -> bool:
        """Whether it was announced after an act that took effect at ``at``: then the act
        came first, and the declaration must not stand (a race between services)."""
        return self.announced_at is not None and self.announced_at > at

    def suspend(self, by: str | None = None, reason: str | None = None) -> bool:
        if self.status not in IN_FORCE:
            return False
        self.status = DeclarationStatus.SUSPENDED
        self.suspended_by = by
        self.status_reason = reason
        return True

    def reinstate(self, reason: str | None = None) -> bool:
        if self.status is not DeclarationStatus.SUSPENDED:
            return False
        self.status = DeclarationStatus.ANNOUNCED
        self.suspended_by = None
        self.status_reason = reason
        return True


def check_declarable(
    patent: Patent, encumbrances: EncumbranceView, declaration: OpenLicenseDeclaration
) -> None:
    """Every refusal condition for an open-licence declaration, in the law's order."""
    if patent.legal_status is not LegalStatus.VALID:
        raise PatentNotValid(
            f"patent {patent.application_number} is {patent.legal_status.value}; "
            "only a granted, valid patent may be declared"
        )
    if patent.annual_fee_status is AnnualFeeStatus.UNPAID:
        raise AnnualFeesUnpaid(f"annual fees of patent {patent.application_number} are unpaid")
    if patent.suspended or patent.under_preservation:
        what = "suspended by an ownership dispute" if patent.suspended else "under preservation"
        raise PatentSuspended(f"patent {patent.application_number} is {what}")
    licence = encumbrances.exclusive_or_sole_licence()
    if licence is not None:
        raise ExclusiveLicenceInForce(
            f"a {licence.kind.value.replace('_', ' ')} ({licence.reference_id}) is in force"
        )
    pledge = encumbrances.pledge_without_consent()
    if pledge is not None:
        raise PledgedWithoutConsent(
            f"patent is pledged to {pledge.holder} (pledge {pledge.reference_id}) "
            "without the pledgee's consent to an open licence"
        )
    foreign = [
        e.id
        for e in declaration.evidence
        if e.application_number != patent.application_number.value
    ]
    if foreign:
        raise EvidenceNotForThisPatent(
            f"documents {', '.join(foreign)} are evidence for another patent", documents=foreign
        )
    if patent.patent_type in (PatentType.UTILITY_MODEL, PatentType.DESIGN):
        check_evaluation_report(patent.patent_type, declaration.evidence)
    letters = {
        e.party_uscc for e in declaration.evidence if e.kind is DocumentKind.CO_OWNER_CONSENT
    }
    co_owners = patent.co_owner_usccs(declaration.declarant_uscc)
    missing = co_owners - set(declaration.co_owner_consents)
    if missing:
        raise CoOwnerConsentMissing(
            f"co-owners {', '.join(sorted(missing))} have not consented", missing=sorted(missing)
        )
    unsupported = co_owners - letters
    if unsupported:
        raise CoOwnerConsentMissing(
            f"the consent letters (共有人同意书) of co-owners {', '.join(sorted(unsupported))} "
            "are not among the evidence",
            missing=sorted(unsupported),
        )
    declaration.terms.validate(patent)
    check_wording(declaration.description, declaration.terms.payment_schedule)


def check_evaluation_report(patent_type: PatentType, evidence: Sequence[Evidence]) -> None:
    """A utility model or design is declared with a favourable patent evaluation report
    among the evidence; one whose report concluded unfavourably is told so."""
    reports = [e for e in evidence if e.kind is DocumentKind.EVALUATION_REPORT]
    if any(e.conclusion is Conclusion.FAVOURABLE for e in reports):
        return
    what = patent_type.value.replace("_", " ")
    unfavourable = [e.id for e in reports if e.conclusion is Conclusion.UNFAVOURABLE]
    if unfavourable:
        raise EvaluationReportUnfavourable(
            f"the conclusion of the patent evaluation report (专利权评价报告) "
            f"{', '.join(unfavourable)} among the evidence is unfavourable; a {what} is "
            "declared only with a favourable one",
            documents=unfavourable,
        )
    raise EvaluationReportMissing(
        f"a {what} needs a favourable patent evaluation report (专利权评价报告) among the "
        "evidence before it can be declared"
    )


def check_wording(*texts: str | None) -> None:
    """The declaration states terms plainly: no promotional wording (PROMOTIONAL_WORDS)."""
    text = " ".join(t for t in texts if t)
    found = [w for w in PROMOTIONAL_WORDS if w in text]
    if found:
        raise PromotionalWording(f"remove promotional wording: {'、'.join(found)}", words=found)
