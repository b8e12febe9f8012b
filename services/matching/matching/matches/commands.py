"""What the matches area is asked to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MatchWaiting:
    """Match what waits in the queue: at most ``limit`` patents, enterprises or needs,
    keeping each patent's and each seeker's best ``top_k``."""

    limit: int
    top_k: int


@dataclass(frozen=True)
class RequestRematch:
    """The operator asks for every matchable patent to be matched again."""

    requested_by_org_id: str


@dataclass(frozen=True)
class ContinueRematch:
    """One batch of the running re-match."""

    batch: int
    top_k: int
