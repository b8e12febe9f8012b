"""What the inbox's use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PushPending:
    """Push the pending matches of up to ``enterprises`` enterprises, each at most
    ``cap`` in any rolling 7 days."""

    cap: int
    enterprises: int


@dataclass(frozen=True)
class InboxPosition:
    """Where a page of the inbox ended: score, push time, push id (all descending)."""

    score: float
    pushed_at: datetime
    push_id: str


@dataclass(frozen=True)
class ReadInbox:
    enterprise_uscc: str
    unopened: bool
    limit: int
    after: InboxPosition | None = None


@dataclass(frozen=True)
class OpenPush:
    """The enterprise reads one of its pushes: the first read opens it."""

    enterprise_uscc: str
    enterprise_org_id: str
    enterprise_name: str
    push_id: str
