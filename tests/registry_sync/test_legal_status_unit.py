"""The feed's order and repeats, and a recordal's life, without infrastructure."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from registry_sync.domain.legal_status import entries_to_apply
from registry_sync.domain.patent_office import (
    LegalStatusEntry,
    LegalStatusEvent,
    OfficeDecision,
    OfficeOutcome,
)
from registry_sync.domain.recordal import Recordal, RecordalKind, RecordalStatus, RetryPolicy

pytestmark = pytest.mark.unit

DAY = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 2, tzinfo=UTC)


def entry(sequence: int, event: LegalStatusEvent = LegalStatusEvent.TERMINATED) -> LegalStatusEntry:
    return LegalStatusEntry(sequence, "201710601862.3", event, DAY, DAY)


def test_entries_after_the_position_come_in_sequence_order_once() -> None:
    answered = [entry(5), entry(3), entry(4), entry(3), entry(2), entry(5)]
    assert [e.sequence for e in entries_to_apply(2, answered)] == [3, 4, 5]


def test_a_repeat_keeps_the_first_answer_for_its_sequence() -> None:
    first, again = entry(7), entry(7, LegalStatusEvent.RESTORED)
    assert entries_to_apply(0, [first, again]) == [first]


def test_nothing_after_the_position_is_nothing_to_apply() -> None:
    assert entries_to_apply(9, [entry(8), entry(9)]) == []


def recordal() -> Recordal:
    return Recordal(
        id="r-1",
        kind=RecordalKind.LICENSE_FILING,
        source_reference="licence-1",
        application_number="201710601862.3",
        request={},
        parties_uscc=("12110000400000000X",),
        created_at=NOW,
    )


POLICY = RetryPolicy(first=timedelta(seconds=10), cap=timedelta(minutes=5))


def test_backoff_doubles_with_jitter_up_to_the_cap() -> None:
    rng = random.Random(1)
    waits = [POLICY.backoff(n, rng) for n in range(1, 8)]
    assert timedelta(seconds=10) <= waits[0] <= timedelta(seconds=12.5)
    assert timedelta(seconds=20) <= waits[1] <= timedelta(seconds=25)
    assert all(timedelta(minutes=5) <= w <= timedelta(minutes=6.25) for w in waits[5:])


def test_an_unavailable_office_leaves_the_recordal_pending_for_later() -> None:
    r = recordal()
    r.unavailable("the office answered 503", NOW, POLICY)
    assert r.status is RecordalStatus.PENDING
    assert r.attempts == 1
    assert r.next_attempt_at is not None
    assert r.next_attempt_at > NOW


def test_a_decision_stands_when_the_office_goes_back_to_processing() -> None:
    r = recordal()
    assert r.submitted("BA0000000001", NOW, POLICY)
    assert not r.submitted("BA0000000002", NOW, POLICY)  # a second receipt changes nothing
    filed = OfficeOutcome(OfficeDecision.FILED, "2026990000123", DAY)
    assert r.decided(filed)
    assert not r.decided(OfficeOutcome(OfficeDecision.PROCESSING))
    assert not r.decided(OfficeOutcome(OfficeDecision.REFUSED, reasons=("x",)))
    assert r.status is RecordalStatus.REGISTERED
    assert r.number == "2026990000123"


def test_a_refusal_keeps_the_offices_reasons() -> None:
    r = recordal()
    r.submitted("BA0000000001", NOW, POLICY)
    assert r.decided(OfficeOutcome(OfficeDecision.REFUSED, reasons=("合同期限届满日早于生效日",)))
    assert r.status is RecordalStatus.REFUSED
    assert r.reasons == ("合同期限届满日早于生效日",)
    assert r.next_attempt_at is None
