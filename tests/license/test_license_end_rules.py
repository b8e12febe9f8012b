"""How a licence ends, as domain rules (no infrastructure): expiry, termination by
agreement or by an open licence's licensee, rescission, and what an ended licence still
takes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from license.domain.declaration import LicenseTerms, Patentee
from license.domain.errors_endings import (
    LicenseAlreadyEnded,
    LicenseEndDateInvalid,
    LicenseEndedNoPayment,
    LicenseNotInForce,
    RescissionGroundInvalid,
    RoyaltyPeriodCancelled,
    TerminationNotAllowed,
    TerminationTermsDiffer,
)
from license.domain.filing_deadline import filing_deadline
from license.domain.license import ENDED_STATES, Licensee, LicenseStatus, PatentLicense
from license.domain.license_end import (
    PartyRole,
    RescissionGround,
    RescissionGroundKind,
    TerminationConsent,
    TerminationReason,
    consent_to_termination,
    expire,
    rescind,
)
from license.domain.payment import Payment
from license.domain.royalty import RoyaltyPeriodState, ScheduleSource
from shared.domain import Money
from shared.events.schemas import LicenseKind, PaymentMode

EFFECTIVE = date(2026, 1, 1)
TERM_END = date(2028, 12, 31)
AT = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)


def licence(
    status: LicenseStatus = LicenseStatus.ACTIVE, declaration_id: str | None = None
) -> PatentLicense:
    return PatentLicense(
        id="lic-1",
        application_number="201710601862.3",
        patent_number="ZL201710601862.3",
        kind=LicenseKind.EXCLUSIVE,
        licensors=(Patentee("清华大学", "12100000400000624D"),),
        licensee=Licensee("org-byd", "比亚迪股份有限公司", "91440300192317458F", "enterprise"),
        terms=LicenseTerms(PaymentMode.LUMP_SUM, EFFECTIVE, TERM_END, Decimal("50000.00")),
        declaration_id=declaration_id,
        status=status,
        effective_date=EFFECTIVE,
        term_end=TERM_END,
        filing_deadline=filing_deadline(EFFECTIVE),
    )


def consent(
    role: PartyRole,
    ended_on: date = date(2026, 12, 1),
    reason: TerminationReason = TerminationReason.AGREEMENT,
) -> TerminationConsent:
    return TerminationConsent(role, f"org-{role.value}", role.value, ended_on, reason, None, AT)


@pytest.mark.parametrize("status", [LicenseStatus.ACTIVE, LicenseStatus.FILED])
def test_a_licence_is_in_force_through_its_term_end_and_expired_the_day_after(
    status: LicenseStatus,
) -> None:
    running = licence(status)
    assert not expire(running, TERM_END)
    assert running.status is status
    assert expire(running, date(2029, 1, 1))
    assert running.status is LicenseStatus.EXPIRED
    assert (running.ended_on, running.end_reason) == (date(2029, 1, 1), "term_ended")
    # Once: an expired licence does not expire again.
    assert not expire(running, date(2029, 1, 2))


def test_a_licence_awaiting_payment_never_expires() -> None:
    assert not expire(licence(LicenseStatus.AWAITING_PAYMENT), date(2030, 1, 1))


def test_termination_by_agreement_ends_the_licence_with_the_second_consent() -> None:
    running = licence()
    assert not consent_to_termination(running, consent(PartyRole.LICENSOR), date(2026, 12, 6))
    assert running.status is LicenseStatus.ACTIVE
    # The licensor changing its mind replaces its own consent.
    later = consent(PartyRole.LICENSOR, date(2026, 12, 5))
    assert not consent_to_termination(running, later, date(2026, 12, 6))
    assert [c.ended_on for c in running.termination_consents] == [date(2026, 12, 5)]
    with pytest.raises(TerminationTermsDiffer, match="2026-12-05"):
        consent_to_termination(running, consent(PartyRole.LICENSEE), date(2026, 12, 6))
    agreed = consent(PartyRole.LICENSEE, date(2026, 12, 5))
    assert consent_to_termination(running, agreed, date(2026, 12, 6))
    assert running.status is LicenseStatus.TERMINATED
    assert (running.ended_on, running.end_reason) == (date(2026, 12, 5), "agreement")
    assert running.status in ENDED_STATES


def test_only_an_open_licence_s_licensee_gives_it_up_alone() -> None:
    gives_up = TerminationReason.LICENSEE_GIVES_UP
    with pytest.raises(TerminationNotAllowed, match="open licence"):
        consent_to_termination(
            licence(), consent(PartyRole.LICENSEE, reason=gives_up), date(2026, 12, 6)
        )
    open_licence = licence(declaration_id="decl-1")
    with pytest.raises(TerminationNotAllowed):
        consent_to_termination(
            open_licence, consent(PartyRole.LICENSOR, reason=gives_up), date(2026, 12, 6)
        )
    assert consent_to_termination(
        open_licence, consent(PartyRole.LICENSEE, reason=gives_up), date(2026, 12, 6)
    )
    assert open_licence.status is LicenseStatus.TERMINATED


@pytest.mark.parametrize(
    ("ended_on", "words"),
    [
        (date(2025, 12, 31), "before the licence took effect"),
        (date(2026, 12, 7), "after today"),
    ],
)
def test_the_end_date_lies_between_the_effect_and_today(ended_on: date, words: str) -> None:
    with pytest.raises(LicenseEndDateInvalid, match=words):
        consent_to_termination(licence(), consent(PartyRole.LICENSOR, ended_on), date(2026, 12, 6))
    # The day it took effect is the earliest end (it never ran), today the latest.
    for day in (EFFECTIVE, date(2026, 12, 6)):
        rescind(
            licence(),
            RescissionGround(RescissionGroundKind.JUDGMENT, "（2026）京73民初1234号"),
            day,
            date(2026, 12, 6),
            note=None,
            by_operator=False,
        )


def test_an_end_after_the_day_the_licence_would_expire_is_refused() -> None:
    with pytest.raises(LicenseEndDateInvalid, match="expires by itself"):
        consent_to_termination(
            licence(), consent(PartyRole.LICENSOR, date(2029, 1, 2)), date(2029, 3, 1)
        )


def test_an_ended_or_never_effective_licence_does_not_end_again() -> None:
    ended = licence()
    expire(ended, date(2029, 1, 1))
    with pytest.raises(LicenseAlreadyEnded, match="expired"):
        consent_to_termination(ended, consent(PartyRole.LICENSOR), date(2029, 1, 5))
    with pytest.raises(LicenseNotInForce):
        rescind(
            licence(LicenseStatus.AWAITING_PAYMENT),
            RescissionGround(RescissionGroundKind.BREACH, "breach-1"),
            date(2026, 12, 1),
            date(2026, 12, 6),
            note=None,
            by_operator=False,
        )


def test_the_operator_rescinds_on_a_judgment_only_and_the_ground_is_kept() -> None:
    award = RescissionGround(RescissionGroundKind.ARBITRAL_AWARD, "（2026）深仲裁字第88号")
    with pytest.raises(RescissionGroundInvalid, match="judgment"):
        rescind(licence(), award, date(2026, 12, 1), date(2026, 12, 6), note=None, by_operator=True)
    running = licence()
    rescind(running, award, date(2026, 12, 1), date(2026, 12, 6), note="仲裁", by_operator=False)
    assert running.status is LicenseStatus.RESCINDED
    assert running.end_reason == "arbitral_award:（2026）深仲裁字第88号"
    assert running.end_note == "仲裁"


def test_an_ended_licence_takes_payments_for_periods_of_its_term_only() -> None:
    ended = licence()
    expire(ended, date(2029, 1, 1))
    payment = Payment(Money(Decimal("100.00")), "ICBC-1", date(2029, 1, 2))
    with pytest.raises(LicenseEndedNoPayment, match="royalty period"):
        ended.record_payment(payment, date(2029, 1, 3))
    assert ended.record_payment(payment, date(2029, 1, 3), for_period=True) is False


def test_a_cancelled_royalty_period_is_neither_reported_nor_paid() -> None:
    period = RoyaltyPeriodState(
        id="p-1",
        license_id="lic-1",
        start=date(2027, 1, 1),
        end=date(2027, 12, 31),
        due_date=date(2028, 3, 31),
        royalty_base="net_sales",
        rate=Decimal("2.5"),
        schedule_source=ScheduleSource.INFERRED,
        cancelled_on=date(2026, 12, 1),
    )
    with pytest.raises(RoyaltyPeriodCancelled, match="2026-12-01"):
        period.report(Money(Decimal("1000.00")), date(2028, 1, 5))
    with pytest.raises(RoyaltyPeriodCancelled):
        period.settle(Money(Decimal("10.00")))
