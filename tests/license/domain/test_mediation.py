"""The mediation case's rules and deadlines, without infrastructure: the deadlines across
the 2025 Spring Festival (Sunday 26 January and Saturday 8 February are working days,
28 January to 4 February are holidays), deadlines waiting for a year the calendar lacks,
and the state machine's refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from license.domain.dispute import (
    CaseParty,
    LicenseTerm,
    MediationStatus,
    Mediator,
    ProceedingKind,
    RefusalReason,
    Side,
    Signature,
    TerminationReason,
)
from license.domain.errors_mediation import (
    AlreadyAnswered,
    DisputeDateInFuture,
    DisputeOutsideLicenseTerm,
    LicenseNotInEffect,
    MediationStateConflict,
    NotRequester,
    NotRespondent,
    ProceedingsRecorded,
    RefusalReasonUnfounded,
    RespondentNotAgreed,
    SessionDateInvalid,
    SettlementAlreadySigned,
    SettlementDateOutsideTerm,
    SettlementMissing,
    SettlementNotSigned,
    TerminationReasonReserved,
)
from license.domain.mediation import MediationCase
from license.domain.mediation_deadline import (
    Deadline,
    DeadlineAlert,
    acceptance_deadline,
    closing_deadline,
    notice_day,
)
from shared.domain.calendar import CalendarYearNotCovered, WorkingDayCalendar, load_default

pytestmark = pytest.mark.unit

CALENDAR = load_default()
# The packaged calendar ends with 2026; a 2027 for the tests (only New Year's Day, Friday
# 1 January, off), as the operator would add it once the State Council publishes it.
WITH_2027 = WorkingDayCalendar(
    CALENDAR.years | {2027}, CALENDAR.holidays | {date(2027, 1, 1)}, CALENDAR.adjusted_working_days
)
FRIDAY = date(2025, 1, 24)
TERM = LicenseTerm(date(2024, 1, 1), date(2028, 12, 31))
LICENSEE = CaseParty("深圳市新能储能科技有限公司", "91440300MA5F000001", "org-licensee")
LICENSOR = CaseParty("华南理工大学", "12440000455416221C")


def case(today: date = FRIDAY, **changes: object) -> MediationCase:
    arguments: dict[str, object] = {
        "case_id": "case-1",
        "license_id": "lic-1",
        "application_number": "201710601862.3",
        "patent_number": "ZL201710601862.3",
        "licensee": LICENSEE,
        "licensors": (LICENSOR,),
        "requester_side": Side.LICENSEE,
        "requester": LICENSEE,
        "mediator": Mediator("org-mediator", "广东省知识产权纠纷人民调解委员会"),
        "claims": "许可人未按约提供技术资料",
        "dispute_arose_on": date(2024, 11, 1),
        "known_proceedings": (),
        "term": TERM,
        "today": today,
        "calendar": CALENDAR,
    }
    arguments.update(changes)
    return MediationCase.request(**arguments)  # type: ignore[arg-type]


def test_acceptance_deadline_counts_working_days_across_the_spring_festival() -> None:
    # Request Fri 01-24 (not counted). Working days: Sun 01-26 (调休) 1, Mon 01-27 2,
    # 01-28..02-04 holidays, Wed 02-05 3, Thu 02-06 4, Fri 02-07 5.
    assert acceptance_deadline(FRIDAY, CALENDAR) == date(2025, 2, 7)
    # Three working days before 02-07: 02-06, 02-05, then back across the holiday to
    # Mon 01-27.
    assert notice_day(date(2025, 2, 7), CALENDAR) == date(2025, 1, 27)
    requested = case()
    assert (requested.acceptance_deadline, requested.acceptance_notice_on) == (
        date(2025, 2, 7),
        date(2025, 1, 27),
    )


def test_closing_deadline_is_30_days_rolled_to_a_working_day() -> None:
    # Accepted Fri 02-07: 02-07 + 30 = Sun 03-09, a day off: Mon 03-10.
    assert closing_deadline(date(2025, 2, 7), 0, CALENDAR) == date(2025, 3, 10)
    # Reminder: Fri 03-07, Thu 03-06, Wed 03-05.
    assert notice_day(date(2025, 3, 10), CALENDAR) == date(2025, 3, 5)
    # Accepted Mon 01-06: + 30 = Wed 02-05, a working day: unchanged; its reminder three
    # working days back skips the holiday: 01-27, 01-26 (Sunday 调休), 01-24.
    assert closing_deadline(date(2025, 1, 6), 0, CALENDAR) == date(2025, 2, 5)
    assert notice_day(date(2025, 2, 5), CALENDAR) == date(2025, 1, 24)
    # Accepted 01-01: + 30 = Fri 01-31, in the holiday: the first working day after it is
    # Wed 02-05.
    assert closing_deadline(date(2025, 1, 1), 0, CALENDAR) == date(2025, 2, 5)
    # Accepted 01-09 with 0 days: + 30 = Sat 02-08, an adjusted working day: it stands.
    assert closing_deadline(date(2025, 1, 9), 0, CALENDAR) == date(2025, 2, 8)


def test_a_year_the_calendar_lacks_is_an_error_in_the_counting_functions() -> None:
    with pytest.raises(CalendarYearNotCovered) as raised:
        acceptance_deadline(date(2030, 6, 3), CALENDAR)
    assert raised.value.year == 2030


def test_a_deadline_in_a_year_the_calendar_lacks_waits_and_the_acts_go_on() -> None:
    # Mon 2026-12-28: 12-29, 12-30, 12-31, then 2027, which the calendar lacks.
    waiting = case(today=date(2026, 12, 28), calendar=CALENDAR)
    assert (waiting.acceptance_deadline, waiting.acceptance_notice_on) == (None, None)
    assert (waiting.acceptance_deadline_pending, waiting.calendar_year_missing) == (2027, 2027)
    assert waiting.open_deadline() is None
    assert waiting.next_alert(date(2027, 3, 1)) is None  # nothing owed on an unknown day
    waiting.answer(Side.LICENSOR, True, date(2026, 12, 29))
    # Accepted Wed 12-30: + 30 = Fri 2027-01-29, provisional (it can only move later).
    waiting.accept(date(2026, 12, 30), CALENDAR)
    assert waiting.closing_deadline == date(2027, 1, 29)
    assert waiting.closing_deadline_provisional
    assert waiting.closing_notice_on is None
    waiting.extend(5, "补充证据", date(2026, 12, 31), CALENDAR)
    assert waiting.closing_deadline == date(2027, 2, 3)
    assert waiting.extensions[0].closing_deadline == date(2027, 2, 3)
    assert waiting.extensions[0].provisional
    assert waiting.next_alert(date(2027, 3, 1)) is None

    # Once the calendar covers 2027, every deadline is counted: the acceptance's 12-29
    # 1, 12-30 2, 12-31 3, (01-01 off, weekend) Mon 01-04 4, Tue 01-05 5; the closing's
    # Wed 02-03 stands, its reminder Fri 01-29.
    waiting.count_deadlines(WITH_2027)
    assert (waiting.acceptance_deadline, waiting.acceptance_notice_on) == (
        date(2027, 1, 5),
        date(2026, 12, 30),
    )
    assert (waiting.closing_deadline, waiting.closing_notice_on) == (
        date(2027, 2, 3),
        date(2027, 1, 29),
    )
    assert not waiting.closing_deadline_provisional
    assert (waiting.calendar_year_missing, waiting.acceptance_deadline_pending) == (None, None)
    assert waiting.next_alert(date(2027, 1, 29)) == (Deadline.CLOSING, DeadlineAlert.DUE)


def test_a_provisional_closing_deadline_only_moves_later() -> None:
    requested = case(today=date(2026, 12, 1), calendar=CALENDAR)
    assert requested.acceptance_deadline == date(2026, 12, 8)  # 2026 is covered
    requested.answer(Side.LICENSOR, True, date(2026, 12, 1))
    # Accepted Sat 2026-12-05 (a mediator may act on a day off): + 30 = Mon 2027-01-04.
    requested.accept(date(2026, 12, 5), CALENDAR)
    assert requested.acceptance_deadline_pending is None
    assert (requested.closing_deadline, requested.calendar_year_missing) == (
        date(2027, 1, 4),
        2027,
    )
    # A 2027 where 4 January is a day off too moves it later, never earlier.
    with_bridge = WorkingDayCalendar(
        CALENDAR.years | {2027},
        CALENDAR.holidays | {date(2027, 1, 1), date(2027, 1, 4)},
        CALENDAR.adjusted_working_days,
    )
    requested.count_deadlines(with_bridge)
    assert requested.closing_deadline == date(2027, 1, 5)
    # Its reminder: 12-31, 12-30, 12-29 (01-04, 01-01 and the weekend are off).
    assert requested.closing_notice_on == date(2026, 12, 29)


def test_a_count_that_needs_a_further_year_keeps_waiting_for_it() -> None:
    # Accepted 2027-12-20: + 30 = 2028-01-19, a year even WITH_2027 lacks.
    late = case(today=date(2026, 12, 28), calendar=CALENDAR)
    late.answer(Side.LICENSOR, True, date(2026, 12, 28))
    late.accept(date(2027, 12, 20), CALENDAR)
    assert late.calendar_year_missing == 2027
    late.count_deadlines(WITH_2027)
    assert late.acceptance_deadline == date(2027, 1, 5)
    assert (late.closing_deadline, late.closing_deadline_provisional) == (date(2028, 1, 19), True)
    assert late.calendar_year_missing == 2028


def test_alerts_are_owed_once_each_and_move_forward_only() -> None:
    requested = case()
    assert requested.next_alert(date(2025, 1, 26)) is None
    assert requested.next_alert(date(2025, 1, 27)) == (Deadline.ACCEPTANCE, DeadlineAlert.DUE)
    requested.mark_alert_sent(Deadline.ACCEPTANCE, DeadlineAlert.DUE)
    assert requested.next_alert(date(2025, 2, 7)) is None  # the deadline day is in time
    assert requested.next_alert(date(2025, 2, 8)) == (Deadline.ACCEPTANCE, DeadlineAlert.OVERDUE)
    requested.mark_alert_sent(Deadline.ACCEPTANCE, DeadlineAlert.OVERDUE)
    assert requested.next_alert(date(2025, 2, 9)) is None
    # A watch that first looks after the deadline owes only the alarm.
    late = case()
    assert late.next_alert(date(2025, 2, 10)) == (Deadline.ACCEPTANCE, DeadlineAlert.OVERDUE)


def test_the_dispute_must_arise_during_the_licence_term() -> None:
    with pytest.raises(DisputeOutsideLicenseTerm, match="2023-12-31"):
        case(dispute_arose_on=date(2023, 12, 31))
    ended = LicenseTerm(date(2022, 1, 1), date(2024, 6, 30))
    assert case(term=ended, dispute_arose_on=date(2024, 6, 30)).status is MediationStatus.REQUESTED
    with pytest.raises(DisputeOutsideLicenseTerm):
        case(term=ended, dispute_arose_on=date(2024, 7, 1))
    with pytest.raises(DisputeDateInFuture):
        case(dispute_arose_on=date(2025, 1, 25))
    with pytest.raises(LicenseNotInEffect):
        case(term=LicenseTerm(None, None))


def test_acceptance_needs_the_other_party_and_no_other_proceedings() -> None:
    requested = case()
    with pytest.raises(RespondentNotAgreed, match="not answered"):
        requested.accept(FRIDAY, CALENDAR)
    with pytest.raises(NotRespondent):
        requested.answer(Side.LICENSEE, True, FRIDAY)
    requested.answer(Side.LICENSOR, True, FRIDAY)
    with pytest.raises(AlreadyAnswered):
        requested.answer(Side.LICENSOR, False, FRIDAY)
    requested.record_proceeding(Side.LICENSOR, ProceedingKind.ARBITRATION, None, FRIDAY)
    with pytest.raises(ProceedingsRecorded, match="arbitration"):
        requested.accept(FRIDAY, CALENDAR)
    with pytest.raises(RefusalReasonUnfounded):
        requested.refuse(RefusalReason.LAWSUIT_FILED, FRIDAY)
    requested.refuse(RefusalReason.ARBITRATION_APPLIED, FRIDAY)
    assert requested.status is MediationStatus.REFUSED
    assert requested.next_alert(date(2025, 3, 1)) is None

    declined = case(known_proceedings=())
    declined.answer(Side.LICENSOR, False, FRIDAY)
    with pytest.raises(RespondentNotAgreed, match="declined"):
        declined.accept(FRIDAY, CALENDAR)
    declined.refuse(RefusalReason.OTHER_PARTY_DECLINED, FRIDAY)

    known = case(known_proceedings=(ProceedingKind.LAWSUIT,))
    known.answer(Side.LICENSOR, True, FRIDAY)
    with pytest.raises(ProceedingsRecorded, match="lawsuit"):
        known.accept(FRIDAY, CALENDAR)


def _signature(side: Side) -> Signature:
    return Signature(f"org-{side.value}", side.value, datetime(2025, 2, 20, tzinfo=UTC))


def accepted() -> MediationCase:
    running = case()
    running.answer(Side.LICENSOR, True, FRIDAY)
    running.accept(date(2025, 2, 7), CALENDAR)
    return running


def test_sessions_extensions_and_the_closing_deadline() -> None:
    running = accepted()
    assert (running.closing_deadline, running.closing_notice_on) == (
        date(2025, 3, 10),
        date(2025, 3, 5),
    )
    with pytest.raises(MediationStateConflict):
        running.accept(date(2025, 2, 7), CALENDAR)
    with pytest.raises(MediationStateConflict):
        running.record_proceeding(Side.LICENSOR, ProceedingKind.LAWSUIT, None, FRIDAY)
    with pytest.raises(SessionDateInvalid):
        running.hold_session(date(2025, 2, 6), "首次调解", date(2025, 2, 10))
    running.hold_session(date(2025, 2, 10), "首次调解", date(2025, 2, 10))
    running.mark_alert_sent(Deadline.CLOSING, DeadlineAlert.DUE)
    # 02-07 + 30 + 10 = Wed 03-19, a working day.
    running.extend(10, "双方同意补充技术鉴定", date(2025, 3, 6), CALENDAR)
    assert running.closing_deadline == date(2025, 3, 19)
    assert running.extensions[0].closing_deadline == date(2025, 3, 19)
    assert running.closing_alert is DeadlineAlert.NONE  # the new deadline's reminder is owed
    assert running.next_alert(date(2025, 3, 14)) == (Deadline.CLOSING, DeadlineAlert.DUE)


def test_the_settlement_takes_effect_only_signed_by_both_sides() -> None:
    running = accepted()
    with pytest.raises(SettlementMissing):
        running.sign_settlement(Side.LICENSEE, _signature(Side.LICENSEE))
    with pytest.raises(SettlementDateOutsideTerm):
        running.propose_settlement(Decimal("2.0"), date(2029, 1, 1), "", TERM, date(2025, 2, 20))
    running.propose_settlement(
        Decimal("2.0"), date(2025, 1, 1), "许可人补交技术资料", TERM, date(2025, 2, 20)
    )
    running.sign_settlement(Side.LICENSEE, _signature(Side.LICENSEE))
    with pytest.raises(SettlementAlreadySigned):
        running.sign_settlement(Side.LICENSEE, _signature(Side.LICENSEE))
    with pytest.raises(SettlementNotSigned, match="licensor"):
        running.close_as_settled(date(2025, 2, 21))
    assert running.status is MediationStatus.ACCEPTED
    running.sign_settlement(Side.LICENSOR, _signature(Side.LICENSOR))
    settlement = running.close_as_settled(date(2025, 2, 21))
    assert settlement.royalty_rate == Decimal("2.0")
    assert running.status is MediationStatus.SETTLED
    assert running.next_alert(date(2025, 4, 1)) is None


def test_termination_and_withdrawal() -> None:
    running = accepted()
    with pytest.raises(TerminationReasonReserved):
        running.terminate(TerminationReason.WITHDRAWN, None, date(2025, 2, 20))
    with pytest.raises(NotRequester):
        running.withdraw(Side.LICENSOR, date(2025, 2, 20))
    running.terminate(TerminationReason.NO_AGREEMENT, "双方分歧较大", date(2025, 2, 20))
    assert running.status is MediationStatus.TERMINATED
    with pytest.raises(MediationStateConflict):
        running.withdraw(Side.LICENSEE, date(2025, 2, 21))
    withdrawn = case()
    withdrawn.withdraw(Side.LICENSEE, FRIDAY)
    assert (withdrawn.status, withdrawn.termination_reason) == (
        MediationStatus.WITHDRAWN,
        TerminationReason.WITHDRAWN,
    )
