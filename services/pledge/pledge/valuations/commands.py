"""Valuations asked for: of any patents, or of a pledge's portfolio for its bank."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ValuePatents:
    application_numbers: tuple[str, ...]
    claims_counts: Mapping[str, int]  # where known, per application number
    bank_org_id: str | None  # whose loan-to-value applies, if any


@dataclass(frozen=True)
class ValuePledge:
    pledge_id: str
    claims_counts: Mapping[str, int]
