"""Credit records' rules without infrastructure: states, period bounds, the objection
window counted in working days across the 2026 Spring Festival."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from license.domain.credit import (
    CreditKind,
    CreditParty,
    CreditPeriod,
    CreditRecord,
    CreditState,
    LiftReason,
    Objection,
    Viewer,
    lift_reason,
)
from license.domain.errors_credit import (
    CreditEvidenceRequired,
    CreditFactsRequired,
    CreditPeriodOutOfBounds,
    CreditRecordState,
    NotCreditParty,
    ObjectionDecided,
    ObjectionPending,
    ObjectionWindowClosed,
)
from shared.domain.calendar import WorkingDayCalendar, load_default

pytestmark = pytest.mark.unit

PARTY = CreditParty(uscc="91440300MA5F00001A", name="深圳市示例科技有限公司")
PARTY_VIEW = Viewer(org_id="enterprise-1", uscc=PARTY.uscc, oversees=False)
REGULATOR = "regulator-1"
CALENDAR = load_default()
# Tuesday before the 2026 Spring Festival (15-23 February off; Saturdays 14 and 28
# February are working days).
EFFECTIVE = date(2026, 2, 10)


def at(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 2, tzinfo=UTC)


def recorded(
    *,
    today: date = EFFECTIVE,
    period: CreditPeriod | None = None,
    kind: CreditKind = CreditKind.FALSE_MATERIALS,
    facts: str | None = "伪造评价报告",
    evidence: tuple[str, ...] = ("doc-1",),
) -> CreditRecord:
    return CreditRecord.record(
        record_id="r-1",
        party=PARTY,
        kind=kind,
        facts=facts,
        evidence=evidence,
        period=period or CreditPeriod(today, date(today.year + 1, today.month, today.day)),
        license_id=None,
        by_org_id=REGULATOR,
        now=at(today),
        today=today,
    )


def candidate() -> CreditRecord:
    return CreditRecord.candidate(
        record_id="c-1",
        party=PARTY,
        facts="逾期未报告提成",
        license_id="l-1",
        breach_id="b-1",
        now=at(EFFECTIVE),
    )


def test_a_record_is_in_force_from_today_and_restricts() -> None:
    record = recorded()
    assert record.state is CreditState.IN_FORCE
    assert record.restricts
    assert record.effective_on == EFFECTIVE
    assert [c.action for c in record.history] == ["recorded"]


def test_a_record_needs_evidence_and_other_needs_facts() -> None:
    with pytest.raises(CreditEvidenceRequired):
        recorded(evidence=())
    with pytest.raises(CreditFactsRequired):
        recorded(kind=CreditKind.OTHER, facts="  ")
    assert recorded(kind=CreditKind.OTHER, facts="其他失信行为").kind is CreditKind.OTHER


@pytest.mark.parametrize(
    ("start", "end", "allowed"),
    [
        (EFFECTIVE, date(2026, 3, 10), True),  # exactly one month
        (EFFECTIVE, date(2026, 3, 9), False),  # a day short of a month
        (EFFECTIVE, date(2029, 2, 10), True),  # exactly 36 months
        (EFFECTIVE, date(2029, 2, 11), False),  # a day over 36 months
        (date(2026, 2, 11), date(2027, 2, 11), False),  # starts after today
        (date(2026, 1, 10), date(2026, 12, 31), True),  # started before today
    ],
)
def test_period_bounds(start: date, end: date, allowed: bool) -> None:
    period = CreditPeriod(start, end)
    if allowed:
        period.check(EFFECTIVE)
    else:
        with pytest.raises(CreditPeriodOutOfBounds):
            period.check(EFFECTIVE)


def test_a_candidate_restricts_nobody_until_confirmed_or_is_dismissed() -> None:
    proposed = candidate()
    assert proposed.state is CreditState.CANDIDATE
    assert not proposed.restricts
    assert not proposed.may_be_seen_by(PARTY_VIEW)  # the regulator's working material
    with pytest.raises(CreditEvidenceRequired):
        proposed.confirm(
            evidence=(),
            period=CreditPeriod(EFFECTIVE, date(2026, 8, 10)),
            facts=None,
            by_org_id=REGULATOR,
            now=at(EFFECTIVE),
            today=EFFECTIVE,
        )
    proposed.confirm(
        evidence=("doc-2",),
        period=CreditPeriod(EFFECTIVE, date(2026, 8, 10)),
        facts=None,
        by_org_id=REGULATOR,
        now=at(EFFECTIVE),
        today=EFFECTIVE,
    )
    assert proposed.state is CreditState.IN_FORCE
    assert proposed.facts == "逾期未报告提成"
    assert proposed.may_be_seen_by(PARTY_VIEW)

    other = candidate()
    other.dismiss(reason="已补缴", by_org_id=REGULATOR, now=at(EFFECTIVE))
    assert other.state is CreditState.DISMISSED
    with pytest.raises(CreditRecordState):
        other.revoke(reason="x", by_org_id=REGULATOR, now=at(EFFECTIVE))


def test_a_record_expires_the_day_after_its_period_and_only_once() -> None:
    record = recorded(period=CreditPeriod(EFFECTIVE, date(2026, 3, 10)))
    assert not record.expire_if_ended(date(2026, 3, 10), at(date(2026, 3, 10)))
    assert record.expire_if_ended(date(2026, 3, 11), at(date(2026, 3, 11)))
    assert record.state is CreditState.EXPIRED
    assert lift_reason(record) is LiftReason.PERIOD_ENDED
    assert not record.expire_if_ended(date(2026, 3, 12), at(date(2026, 3, 12)))
    with pytest.raises(CreditRecordState):
        record.revoke(reason="x", by_org_id=REGULATOR, now=at(date(2026, 3, 12)))


def test_the_objection_window_counts_15_working_days_across_the_spring_festival() -> None:
    record = recorded()
    # 11-14 Feb (the 14th a working Saturday), 24-28 Feb (the 28th too), 2-6 and 9 March.
    window = record.objection_window(CALENDAR)
    assert window is not None
    assert window.day == date(2026, 3, 9)
    assert window.awaits_year is None
    late = date(2026, 3, 10)
    with pytest.raises(ObjectionWindowClosed) as refused:
        record.object(
            objection_id="o-0",
            grounds="迟到的异议",
            evidence=(),
            viewer=PARTY_VIEW,
            pending=False,
            now=at(late),
            today=late,
            calendar=CALENDAR,
        )
    assert "2026-03-09" in str(refused.value)
    last = date(2026, 3, 9)
    objection = record.object(
        objection_id="o-1",
        grounds="评价报告真实",
        evidence=("doc-3",),
        viewer=PARTY_VIEW,
        pending=False,
        now=at(last),
        today=last,
        calendar=CALENDAR,
    )
    # The regulator decides within 10 working days: 10-13, 16-20 and 23 March.
    assert objection.decide_by == date(2026, 3, 23)


def _object(record: CreditRecord, objection_id: str, viewer: Viewer, *, pending: bool) -> Objection:
    return record.object(
        objection_id=objection_id,
        grounds="评价报告真实",
        evidence=(),
        viewer=viewer,
        pending=pending,
        now=at(EFFECTIVE),
        today=EFFECTIVE,
        calendar=CALENDAR,
    )


def test_only_the_party_objects_one_objection_at_a_time_and_upheld_revokes() -> None:
    record = recorded()
    stranger = Viewer(org_id="enterprise-2", uscc="91440300MA5F00002X", oversees=False)
    with pytest.raises(NotCreditParty):
        _object(record, "o-1", stranger, pending=False)
    with pytest.raises(ObjectionPending):
        _object(record, "o-1", PARTY_VIEW, pending=True)
    objection = _object(record, "o-1", PARTY_VIEW, pending=False)
    record.decide(objection, upheld=False, reason="不成立", by_org_id=REGULATOR, now=at(EFFECTIVE))
    assert record.state is CreditState.IN_FORCE
    with pytest.raises(ObjectionDecided):
        record.decide(objection, upheld=True, reason="x", by_org_id=REGULATOR, now=at(EFFECTIVE))
    second = _object(record, "o-2", PARTY_VIEW, pending=False)
    record.decide(second, upheld=True, reason="成立", by_org_id=REGULATOR, now=at(EFFECTIVE))
    assert record.state is CreditState.REVOKED
    assert not record.restricts
    assert lift_reason(record) is LiftReason.OBJECTION_UPHELD
    assert [c.action for c in record.history] == [
        "recorded",
        "objected",
        "objection rejected",
        "objected",
        "objection upheld",
    ]


def _calendar_2026_only() -> WorkingDayCalendar:
    """The packaged calendar cut at 2026: a year the operator has not added yet, whatever
    the packaged file holds when this runs."""
    years = {y for y in CALENDAR.years if y <= 2026}
    return WorkingDayCalendar(
        years,
        (d for d in CALENDAR.holidays if d.year in years),
        (d for d in CALENDAR.adjusted_working_days if d.year in years),
    )


def _calendar_with_2027() -> WorkingDayCalendar:
    """The cut calendar plus a 2027 whose only holiday is New Year's Day."""
    cut = _calendar_2026_only()
    return WorkingDayCalendar(
        cut.years | {2027}, cut.holidays | {date(2027, 1, 1)}, cut.adjusted_working_days
    )


def test_a_window_reaching_a_year_the_calendar_lacks_is_pending_and_stays_open() -> None:
    without_2027 = _calendar_2026_only()
    effective = date(2026, 12, 14)  # a Monday: 15 working days reach January 2027
    filed = date(2026, 12, 21)  # 10 working days from it reach January 2027 too
    record = recorded(today=effective, period=CreditPeriod(effective, date(2027, 6, 14)))
    window = record.objection_window(without_2027)
    assert window is not None
    assert (window.day, window.awaits_year) == (None, 2027)
    assert not window.passed(date(2027, 3, 1))
    objection = record.object(
        objection_id="o-1",
        grounds="评价报告真实",
        evidence=(),
        viewer=PARTY_VIEW,
        pending=False,
        now=at(filed),
        today=filed,
        calendar=without_2027,
    )
    assert objection.decide_by is None
    due = objection.count_decision_due(without_2027)
    assert (due.day, due.awaits_year, objection.decide_by) == (None, 2027, None)
    # Long past any 15 working days, the party may still object while the day is pending.
    record.decide(objection, upheld=False, reason="不成立", by_org_id=REGULATOR, now=at(filed))
    again = record.object(
        objection_id="o-2",
        grounds="补充证据",
        evidence=(),
        viewer=PARTY_VIEW,
        pending=False,
        now=at(date(2027, 3, 1)),
        today=date(2027, 3, 1),
        calendar=without_2027,
    )
    assert again.decide_by is None

    # The operator adds 2027: both are counted from the kept anchor days.
    with_2027 = _calendar_with_2027()
    # 15-18, 21-25, 28-31 December (13), 1 January off, 4 and 5 January.
    counted = record.objection_window(with_2027)
    assert counted is not None
    assert counted.day == date(2027, 1, 5)
    assert counted.passed(date(2027, 1, 6))
    # 22-25, 28-31 December (8), 4 and 5 January.
    assert objection.count_decision_due(with_2027).day == date(2027, 1, 5)
    assert objection.decide_by == date(2027, 1, 5)
    with pytest.raises(ObjectionWindowClosed):
        record.object(
            objection_id="o-3",
            grounds="再次异议",
            evidence=(),
            viewer=PARTY_VIEW,
            pending=False,
            now=at(date(2027, 3, 1)),
            today=date(2027, 3, 1),
            calendar=with_2027,
        )
