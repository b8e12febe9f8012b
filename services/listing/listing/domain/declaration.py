"""Open-licence declarations (Patent Law Art. 50-52; Implementing Regulations Art. 85-88).

A declaration states the patent, the patentees, the royalty method and standard, the
term and other matters. It may be made only when nothing encumbers the patent in a way
the law forbids; :func:`check_declarable` names the first rule that refuses it.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from listing.domain.encumbrance import EncumbranceView
from listing.domain.errors import (
    AnnualFeesUnpaid,
    CoOwnerConsentMissing,
    EvaluationReportMissing,
    EvaluationReportUnfavourable,
    EvidenceNotForThisPatent,
    ExclusiveLicenceInForce,
    FeeOverCap,
    InvalidTransition,
    PatentNotValid,
    PatentSuspended,
    PledgedWithoutConsent,
    PromotionalWording,
    RoyaltyScheduleInvalid,
    TermNotAllowed,
    TermsIncomplete,
)
from listing.domain.evidence import Conclusion, DocumentKind, Evidence
from listing.domain.patent import AnnualFeeStatus, LegalStatus, Patent
from shared.domain import PatentType
from shared.domain.terms import PaymentMode, ReportingPeriod

# CNIPA guidance on open-licence royalty standards.
MAX_FIXED_FEE = Decimal("20000000")
MAX_RATE_NET_SALES = Decimal("20")
MAX_RATE_PROFIT = Decimal("40")

# The payment modes with a running royalty: only they have reporting periods.
ROYALTY_MODES = frozenset({PaymentMode.RUNNING_ROYALTY, PaymentMode.ENTRY_FEE_PLUS_ROYALTY})

# A declared royalty schedule's report and payment are due this many days after a
# period at the earliest and at the latest.
MIN_DUE_DAYS = 1
MAX_DUE_DAYS = 180

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


class RoyaltyBase(StrEnum):
    NET_SALES = "net_sales"
    PROFIT = "profit"


_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")


@dataclass(frozen=True)
class RoyaltySchedule:
    """When a running royalty is reported and paid, declared as data rather than left to
    the prose of ``payment_schedule``, so that licensee and patentee see the same periods
    and due dates. Periods follow the calendar (years, half-years, quarters, months);
    each is due ``due_days_after_period`` days after it ends or, for annual periods,
    on ``annual_due`` ("MM-DD") of the following year: exactly one of the two."""

    period: ReportingPeriod
    due_days_after_period: int | None = None
    annual_due: str | None = None

    def validate(self) -> None:
        """Raise :class:`RoyaltyScheduleInvalid` naming the field that is wrong."""
        if self.annual_due is None and self.due_days_after_period is None:
            raise RoyaltyScheduleInvalid(
                "royalty_schedule needs a due rule: due_days_after_period (days after each "
                "period ends), or for annual periods annual_due (MM-DD of the following year)",
                field="royalty_schedule.due_days_after_period",
            )
        if self.annual_due is not None:
            if self.period is not ReportingPeriod.ANNUAL:
                raise RoyaltyScheduleInvalid(
                    f"royalty_schedule.annual_due applies to annual periods only; a "
                    f"{self.period.value} schedule states due_days_after_period",
                    field="royalty_schedule.annual_due",
                )
            if self.due_days_after_period is not None:
                raise RoyaltyScheduleInvalid(
                    "royalty_schedule states either annual_due or due_days_after_period, not both",
                    field="royalty_schedule.annual_due",
                )
            _check_day_of_every_year(self.annual_due)
            return
        days = self.due_days_after_period
        if days is not None and not MIN_DUE_DAYS <= days <= MAX_DUE_DAYS:
            raise RoyaltyScheduleInvalid(
                f"royalty_schedule.due_days_after_period must be {MIN_DUE_DAYS} to "
                f"{MAX_DUE_DAYS} days, not {days}",
                field="royalty_schedule.due_days_after_period",
            )


def _check_day_of_every_year(month_day: str) -> None:
    match = _MONTH_DAY.fullmatch(month_day)
    month, day = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if (month, day) == (2, 29):
        raise RoyaltyScheduleInvalid(
            "royalty_schedule.annual_due 02-29 is not a day of every year; declare 02-28 or 03-01",
            field="royalty_schedule.annual_due",
        )
    # A common year: every day it has comes back every year.
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2001, month)[1]):
        raise RoyaltyScheduleInvalid(
            f"royalty_schedule.annual_due {month_day!r} is not a day of the year (MM-DD, "
            "such as 03-31)",
            field="royalty_schedule.annual_due",
        )


@dataclass(frozen=True)
class LicenseTerms:
    payment_mode: PaymentMode
    term_start: date
    term_end: date
    lump_sum_fee: Decimal | None = None
    entry_fee: Decimal | None = None
    royalty_base: RoyaltyBase | None = None
    royalty_rate: Decimal | None = None
    payment_schedule: str | None = None
    royalty_schedule: RoyaltySchedule | None = None
    territory: str = "中国大陆"

    def validate(self, patent: Patent) -> None:
        """Raise the first rule the terms break, for this patent."""
        self._validate_mode()
        if self.royalty_schedule is not None:
            self.royalty_schedule.validate()
        if self.term_end <= self.term_start:
            raise TermNotAllowed("term_end must be after term_start")
        if _add_years(self.term_start, 1) > self.term_end + _ONE_DAY:
            raise TermNotAllowed(
                f"the licence term must be at least one year; "
                f"{self.term_start} to {self.term_end} is shorter"
            )
        if self.term_end > patent.expiry_date:
            raise TermNotAllowed(
                f"the licence term may not end after the patent expires on {patent.expiry_date}"
            )
        for name, fee in (("lump_sum_fee", self.lump_sum_fee), ("entry_fee", self.entry_fee)):
            if fee is not None and fee > MAX_FIXED_FEE:
                raise FeeOverCap(f"{name} {fee} CNY exceeds the cap of {MAX_FIXED_FEE} CNY")
        if self.royalty_rate is not None:
            cap = MAX_RATE_PROFIT if self.royalty_base is RoyaltyBase.PROFIT else MAX_RATE_NET_SALES
            if self.royalty_rate > cap:
                base = self.royalty_base.value if self.royalty_base else "net_sales"
                raise FeeOverCap(
                    f"royalty_rate {self.royalty_rate} % of {base} exceeds the cap of {cap} %"
                )

    def _validate_mode(self) -> None:
        mode = self.payment_mode
        needs = {
            PaymentMode.LUMP_SUM: ("lump_sum_fee",),
            PaymentMode.RUNNING_ROYALTY: ("royalty_base", "royalty_rate"),
            PaymentMode.ENTRY_FEE_PLUS_ROYALTY: ("entry_fee", "royalty_base", "royalty_rate"),
            PaymentMode.FREE: (),
        }[mode]
        missing = [n for n in needs if getattr(self, n) is None]
        if missing:
            raise TermsIncomplete(f"payment_mode {mode.value} needs {', '.join(missing)}")
        money_fields = ("lump_sum_fee", "entry_fee", "royalty_base", "royalty_rate")
        extra = [n for n in money_fields if n not in needs and getattr(self, n) is not None]
        if extra:
            raise TermsIncomplete(f"payment_mode {mode.value} takes no {', '.join(extra)}")
        if self.royalty_schedule is not None and mode not in ROYALTY_MODES:
            raise TermsIncomplete(
                f"payment_mode {mode.value} takes no royalty_schedule: a reporting schedule "
                "belongs to running_royalty and entry_fee_plus_royalty terms",
                field="royalty_schedule",
            )


_ONE_DAY = date(2000, 1, 2) - date(2000, 1, 1)


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


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
    evidence: list[Evidence] = field(default_factory=list)
    announced_at: datetime | None = None
    withdrawn_at: datetime | None = None

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

    def request_withdrawal(self) -> None:
        if self.status is not DeclarationStatus.ANNOUNCED:
            raise InvalidTransition(
                f"declaration is {self.status.value}; only an announced declaration is withdrawn"
            )
        self.status = DeclarationStatus.WITHDRAWAL_REQUESTED

    def withdraw(self, at: datetime) -> None:
        """The office announced the withdrawal: it takes effect now."""
        if self.status is not DeclarationStatus.WITHDRAWAL_REQUESTED:
            raise InvalidTransition(
                f"declaration is {self.status.value}; a withdrawal is announced only after "
                "the patentee requested it"
            )
        self.status = DeclarationStatus.WITHDRAWN
        self.withdrawn_at = at

    def end(self, status: DeclarationStatus) -> bool:
        """Lapse or expire; False if it had already ended (or never took effect)."""
        assert status in (DeclarationStatus.LAPSED, DeclarationStatus.EXPIRED)
        if self.status not in IN_FORCE and self.status is not DeclarationStatus.SUSPENDED:
            return False
        self.status = status
        return True

    def suspend(self) -> bool:
        if self.status not in IN_FORCE:
            return False
        self.status = DeclarationStatus.SUSPENDED
        return True

    def reinstate(self) -> bool:
        if self.status is not DeclarationStatus.SUSPENDED:
            return False
        self.status = DeclarationStatus.ANNOUNCED
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
