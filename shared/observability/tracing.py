"""W3C trace context carried through HTTP requests and inside events.

The trace id is the correlation id of a log line: one user action keeps the same
trace id from the HTTP request that caused it through every event and consumer it
touches in other services (the ``traceparent`` CloudEvents extension carries it).
"""

from __future__ import annotations

import random
import re
from contextvars import ContextVar, Token

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")

_current: ContextVar[str | None] = ContextVar("ipmarket_traceparent", default=None)


def new_traceparent(trace_id: str | None = None) -> str:
    """Return a traceparent with a fresh span id, continuing ``trace_id`` if given.

    Ids are random, not secret (W3C Trace Context asks for uniqueness, as OpenTelemetry's
    generator does it): one draw from the process's PRNG, not two reads of os.urandom on
    every request."""
    ids = f"{random.getrandbits(192):048x}"
    return f"00-{trace_id or ids[:32]}-{ids[32:]}-01"


def parse_trace_id(traceparent: str | None) -> str | None:
    """The trace id of a well-formed traceparent, else None."""
    if not traceparent:
        return None
    match = _TRACEPARENT.match(traceparent.strip().lower())
    return match.group(1) if match else None


def continue_trace(incoming: str | None) -> Token[str | None]:
    """Enter a new span of the incoming trace (or a new trace) for the current task."""
    return _current.set(new_traceparent(parse_trace_id(incoming)))


def reset_trace(token: Token[str | None]) -> None:
    _current.reset(token)


def current_traceparent() -> str:
    """The traceparent of the current task, starting a trace if there is none."""
    value = _current.get()
    if value is None:
        value = new_traceparent()
        _current.set(value)
    return value


def current_trace_id() -> str | None:
    return parse_trace_id(_current.get())
