"""The clock the rules read: the real one, and the controllable one only tests may use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from shared.clock import ControllableClock, SystemClock, clock_for, move_clock
from shared.domain.calendar import SHANGHAI
from shared.settings import ServiceSettings


def test_the_system_clock_is_aware_utc_and_counts_days_in_shanghai() -> None:
    clock = SystemClock()
    now = clock.now()
    assert now.tzinfo is UTC
    assert abs((now - datetime.now(UTC)).total_seconds()) < 5
    assert clock.today() in {
        datetime.now(SHANGHAI).date(),
        (datetime.now(SHANGHAI) - timedelta(seconds=5)).date(),
    }


def test_without_its_file_the_controllable_clock_is_the_real_time(tmp_path: Path) -> None:
    clock = ControllableClock(tmp_path / "clock.json")
    assert abs((clock.now() - datetime.now(UTC)).total_seconds()) < 5


def test_moving_the_clock_moves_every_reader_of_its_file(tmp_path: Path) -> None:
    path = tmp_path / "clock.json"
    first, second = ControllableClock(path), ControllableClock(path)
    before = first.now()
    moved = move_clock(path, by=timedelta(days=91))
    for clock in (first, second):
        assert clock.now() - before >= timedelta(days=91)
        assert clock.now() - before < timedelta(days=91, seconds=5)
    assert abs((first.now() - moved).total_seconds()) < 5
    assert first.today() == moved.astimezone(SHANGHAI).date()
    # Moves add up.
    move_clock(path, by=timedelta(days=1))
    assert first.now() - before >= timedelta(days=92)


def test_a_faster_clock_runs_from_where_it_stood(tmp_path: Path) -> None:
    path = tmp_path / "clock.json"
    clock = ControllableClock(path)
    start = move_clock(path, by=timedelta(days=3), rate=86_400.0)  # a second is a day
    assert clock.now() - start >= timedelta(0)
    later = clock.now()
    assert later >= start
    # Slowed back down, it stays where it got to.
    stood = move_clock(path, rate=1.0)
    assert stood >= later
    assert abs((clock.now() - stood).total_seconds()) < 5


def test_the_settings_pick_the_clock(tmp_path: Path) -> None:
    assert isinstance(clock_for(None), SystemClock)
    assert isinstance(clock_for(str(tmp_path / "clock.json")), ControllableClock)


@pytest.mark.parametrize("environment", ["production", "local"])
def test_a_controllable_clock_is_refused_outside_tests(environment: str, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="only the `test` environment"):
        ServiceSettings(environment=environment, clock_file=str(tmp_path / "clock.json"))
    assert ServiceSettings(environment="test", clock_file="x").clock_file == "x"
