"""Filing-deadline and pledgee-consent rules as domain rules (no infrastructure)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from license.domain.declaration import LicenseTerms, Patentee
from license.domain.filing_deadline import FilingAlert, filing_alert_level, filing_deadline
from license.domain.license import Licensee, LicenseStatus, PatentLicense
from license.domain.pledge import PledgeeConsent, PledgeView, pledges_without_consent
from shared.events.schemas import ConsentSubject, LicenseKind, PaymentMode

LICENSEE_USCC = "91440300192317458F"


def active_licence(effective: date, alert: FilingAlert = FilingAlert.NONE) -> PatentLicense:
    return PatentLicense(
        id="lic-1",
        application_number="201710601862.3",
        patent_number="ZL201710601862.3",
        kind=LicenseKind.ORDINARY,
        licensors=(Patentee("清华大学", "12100000400000624D"),),
        licensee=Licensee("org-byd", "比亚迪股份有限公司", LICENSEE_USCC, "enterprise"),
        terms=LicenseTerms(
            PaymentMode.LUMP_SUM, date(2026, 1, 1), date(2030, 12, 31), Decimal("50000.00")
        ),
        status=LicenseStatus.ACTIVE,
        effective_date=effective,
        term_end=date(2030, 12, 31),
        filing_deadline=filing_deadline(effective),
        filing_alert=alert,
    )


def test_the_filing_deadline_is_three_months_later_clamped_to_the_month_end() -> None:
    assert filing_deadline(date(2026, 11, 23)) == date(2027, 2, 23)
    assert filing_deadline(date(2026, 11, 30)) == date(2027, 2, 28)
    assert filing_deadline(date(2027, 11, 30)) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("today", "alert", "expected"),
    [
        (date(2027, 2, 7), FilingAlert.NONE, None),  # 16 days before the deadline
        (date(2027, 2, 8), FilingAlert.NONE, FilingAlert.DUE),  # 15 days before
        (date(2027, 2, 8), FilingAlert.DUE, None),  # reminder already sent
        (date(2027, 2, 23), FilingAlert.DUE, None),  # the deadline day itself is in time
        (date(2027, 2, 24), FilingAlert.DUE, FilingAlert.OVERDUE),
        (date(2027, 2, 24), FilingAlert.NONE, FilingAlert.OVERDUE),  # no reminder first
        (date(2027, 3, 24), FilingAlert.OVERDUE, None),
    ],
)
def test_each_filing_alert_is_owed_once(
    today: date, alert: FilingAlert, expected: FilingAlert | None
) -> None:
    licence = active_licence(date(2026, 11, 23), alert)
    assert licence.next_filing_alert(today, notice_days=15) is expected


def test_a_filed_licence_is_owed_no_alert() -> None:
    licence = active_licence(date(2026, 11, 23))
    assert licence.file("2026990000123", date(2026, 12, 1), today=date(2026, 12, 2)) is False
    assert licence.next_filing_alert(date(2027, 5, 1), notice_days=15) is None


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2027, 2, 7), FilingAlert.NONE),  # 16 days before the deadline
        (date(2027, 2, 8), FilingAlert.DUE),  # 15 days before
        (date(2027, 2, 23), FilingAlert.DUE),  # the deadline day itself is in time
        (date(2027, 2, 24), FilingAlert.OVERDUE),
        (date(2028, 1, 1), FilingAlert.OVERDUE),
    ],
)
def test_the_filing_alert_level_is_a_function_of_the_deadline_and_the_day(
    today: date, expected: FilingAlert
) -> None:
    assert filing_alert_level(date(2027, 2, 23), today, notice_days=15) is expected


def test_what_a_reader_sees_and_what_the_watch_sends_never_disagree() -> None:
    # Whatever the watch sent so far, the alert it owes on a day is the level a reader
    # sees that day, or nothing when it already sent that level.
    effective = date(2026, 11, 23)
    for sent in FilingAlert:
        licence = active_licence(effective, sent)
        for offset in range(0, 120):
            today = effective + timedelta(days=offset)
            seen = licence.filing_alert_on(today, notice_days=15)
            owed = licence.next_filing_alert(today, notice_days=15)
            assert owed in (None, seen), (sent, today)
            rank = list(FilingAlert)
            assert (owed is None) == (rank.index(seen) <= rank.index(sent)), (sent, today)


def test_a_licence_with_nothing_to_file_shows_no_alert() -> None:
    licence = active_licence(date(2026, 11, 23))
    licence.file("2026990000123", date(2026, 12, 1), today=date(2026, 12, 2))
    assert licence.filing_alert_on(date(2027, 5, 1), notice_days=15) is FilingAlert.NONE


def test_a_pledge_needs_a_consent_that_covers_this_licence() -> None:
    pledge = PledgeView("p-1", "201710601862.3", "徽商银行", registered_on=date(2026, 1, 5))
    consented = PledgeView(
        "p-2",
        "201710601862.3",
        "建设银行",
        open_license_consented=True,
        registered_on=date(2026, 1, 5),
    )

    def missing(*consents: PledgeeConsent, open_license: bool = False) -> list[str]:
        found = pledges_without_consent(
            [pledge, consented], consents, licensee_uscc=LICENSEE_USCC, open_license=open_license
        )
        return [p.pledge_id for p in found]

    assert missing() == ["p-1", "p-2"]
    assert missing(open_license=True) == ["p-1"]
    assert missing(PledgeeConsent("p-1", ConsentSubject.OPEN_LICENSE), open_license=True) == []
    assert missing(PledgeeConsent("p-1", ConsentSubject.OPEN_LICENSE)) == ["p-1", "p-2"]
    assert missing(PledgeeConsent("p-1", ConsentSubject.TRANSFER), open_license=True) == ["p-1"]
    other = PledgeeConsent("p-1", ConsentSubject.LICENSE, "91350900587527783P")
    assert missing(other, open_license=True) == ["p-1"]
    mine = PledgeeConsent("p-1", ConsentSubject.LICENSE, LICENSEE_USCC)
    anyone = PledgeeConsent("p-2", ConsentSubject.LICENSE, None)
    assert missing(mine, anyone) == []
    pledge.record_cancellation(date(2026, 6, 1))
    assert missing(anyone) == []
