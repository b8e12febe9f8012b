"""Test doubles for the matching tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConcordanceRow:
    """A derivation as shared.domain.industry gives it: which IPC code and key led to
    which industry code, from an official or a compiled row."""

    ipc_code: str
    key: str
    industry_code: str
    source: str
