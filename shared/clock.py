"""The time as the services' rules see it.

Every use case, sweep and watch reads "now" and "today" through one :class:`Clock`
(``runtime.clock``, and ``uow.clock`` inside a unit of work), never from ``datetime``
directly, so that a test can move time inside real service processes.

Two clocks exist:

- :class:`SystemClock`, the real time: what every deployment runs.
- :class:`ControllableClock`, the real time shifted (and optionally sped up) by what a
  file says. A service uses it only when its settings name the file
  (``<PREFIX>CLOCK_FILE``) *and* its environment is ``test``; any other environment
  refuses to start with it (:class:`shared.settings.ServiceSettings`). Every process
  of a test stack reads the same file, so one :func:`move_clock` call moves them all.

How a test moves time (``tests/shared/test_clock.py`` does it end to end)::

    clock_file = tmp_path / "clock.json"
    # start the services with LISTING_ENVIRONMENT=test, LISTING_CLOCK_FILE=<clock_file>, ...
    move_clock(clock_file, by=timedelta(days=91))   # every process is 91 days later
    move_clock(clock_file, rate=86_400)             # from now on, a second is a day

What stays on the real time on purpose: the machinery that is not a business rule
(token expiry, idempotency-key and outbox retention, retry back-off, rate limits), so
moving the clock never expires a test's token or its broker connections.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Protocol

from shared.domain.calendar import SHANGHAI


class Clock(Protocol):
    """What time it is for the rules."""

    def now(self) -> datetime:
        """The current instant, timezone-aware in UTC."""
        ...

    def today(self) -> date:
        """Today's date in Asia/Shanghai, the date legal deadlines count from."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return datetime.now(SHANGHAI).date()


@dataclass(frozen=True)
class _Shift:
    """Since real instant ``anchor`` (epoch seconds), the clock reads ``anchor + offset +
    (real - anchor) * rate``: shifted by ``offset`` and running ``rate`` times as fast."""

    anchor: float = 0.0
    offset: float = 0.0
    rate: float = 1.0

    def at(self, real: float) -> float:
        return self.anchor + self.offset + (real - self.anchor) * self.rate


class ControllableClock:
    """The real time, shifted as the file at ``path`` says (test settings only).

    The file is read again whenever it changes (its modification time and size are
    checked on each reading); a missing file means no shift.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._seen: tuple[int, int] | None = None
        self._shift = _Shift()

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._current().at(time.time()), UTC)

    def today(self) -> date:
        return self.now().astimezone(SHANGHAI).date()

    def _current(self) -> _Shift:
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            self._seen, self._shift = None, _Shift()
            return self._shift
        seen = (stat.st_mtime_ns, stat.st_size)
        if seen != self._seen:
            self._shift = _read_shift(self.path)
            self._seen = seen
        return self._shift


def _read_shift(path: Path) -> _Shift:
    raw = json.loads(path.read_text(encoding="utf-8") or "{}")
    return _Shift(
        anchor=float(raw.get("anchor", 0.0)),
        offset=float(raw.get("offset_s", 0.0)),
        rate=float(raw.get("rate", 1.0)),
    )


def move_clock(
    path: str | Path, *, by: timedelta = timedelta(0), rate: float | None = None
) -> datetime:
    """Move every :class:`ControllableClock` reading ``path`` forward by ``by`` and, when
    ``rate`` is given, make it run ``rate`` times as fast from now on; returns the
    clock's new reading. The file is replaced atomically, so a reader never sees half."""
    path = Path(path)
    real = time.time()
    current = _read_shift(path) if path.exists() else _Shift()
    reading = current.at(real) + by.total_seconds()
    new_rate = current.rate if rate is None else rate
    # Re-anchored at the real now, so the new rate applies only from here on.
    shift = _Shift(anchor=real, offset=reading - real, rate=new_rate)
    staged = path.with_name(f".{path.name}.{os.getpid()}")
    staged.write_text(
        json.dumps({"anchor": shift.anchor, "offset_s": shift.offset, "rate": shift.rate}),
        encoding="utf-8",
    )
    os.replace(staged, path)
    return datetime.fromtimestamp(reading, UTC)


def clock_for(clock_file: str | None) -> Clock:
    """The clock a service's settings ask for (their validation has already refused a
    clock file outside the test environment)."""
    return ControllableClock(clock_file) if clock_file else SystemClock()
