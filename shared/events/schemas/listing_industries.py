"""Listing's events about what industries a patent serves and what came of it, on
``ipmarket.listing.v1``: industry codes re-derived from a new concordance, and the facts
that count as implementation (matching computes industrialisation rates from them)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import Field

from shared.events import topics
from shared.events.schemas.base import EventData, OrgRef


class PatentIndustriesChanged(EventData):
    """The operator re-derived catalogued patents' industry codes from the concordance in
    force (``POST /v1/patents/industry-codes/rederive``) and this patent's changed. Search
    filters and subscriptions see the new codes from now on."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.patent.industries_changed.v1"
    topic: ClassVar[str] = topics.LISTING

    application_number: str = Field(examples=["201710601862.3"])
    industry_codes: list[str] = Field(
        description="GB/T 4754-2017 codes now derived from the patent's IPC symbols.",
        examples=[["C3841"]],
    )
    previous_industry_codes: list[str] = Field(examples=[["C384"]])
    concordance_version: str = Field(
        description="The IPC -> industry concordance that derived them.",
        examples=["ipmarket-compiled-2026-12-06"],
    )


class ImplementationRecorded(EventData):
    """A fact that counts as implementation (实施) of a patent was recorded: the owner
    declared it implemented or a justified reason (正当理由) for not implementing it, a
    licence of any kind took effect, or the office registered a transfer."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.implementation.recorded.v1"
    topic: ClassVar[str] = topics.LISTING

    implementation_id: str
    application_number: str = Field(examples=["201710601862.3"])
    kind: str = Field(
        examples=["licensed"],
        description="implemented | licensed | transferred | justified_reason",
    )
    recorded_on: date = Field(description="The date it took place (Asia/Shanghai).")
    institutions: list[OrgRef] = Field(
        description="The patent's institutional patentees (all patentees if none is one; "
        "empty while the patent is not catalogued)."
    )
