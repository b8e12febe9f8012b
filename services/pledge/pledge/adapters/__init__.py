"""Pledge's outbound clients to other systems, passed to the runtime as its extras."""

from __future__ import annotations

from dataclasses import dataclass

from pledge.adapters.bank_topics import BankTopics


@dataclass(frozen=True)
class Adapters:
    """``ServiceRuntime(extras=Adapters(...))``; endpoints read it with
    ``runtime.extras_of(Adapters)``."""

    bank_topics: BankTopics
