"""Listing's stock-patent inventory events (存量专利盘点) on ``ipmarket.listing.v1``.

Public like every event on that topic: the patent, the institution, its willingness,
intended modes and tier. Inventors, evaluators' persons, scores, market estimates and
the reasons of a tier never appear here (PIPL; commercial data).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import Field

from shared.events import topics
from shared.events.schemas.base import EventData, OrgRef


class InventoryRecorded(EventData):
    """A patent's inventory record was recorded or updated by its institution."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.inventory.recorded.v1"
    topic: ClassVar[str] = topics.LISTING

    application_number: str = Field(examples=["201710601862.3"])
    institution: OrgRef
    willingness: str = Field(description="willing | not_willing | undecided")
    intended_modes: list[str] = Field(
        description="transfer | license | open_license | equity_investment | joint_development"
    )
    portfolios: list[str] = Field(description="Named groups of patents offered together.")
    state_funded: bool


class EvaluationRecorded(EventData):
    """A new version of an evaluation was recorded (its content stays private)."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.inventory.evaluation_recorded.v1"
    topic: ClassVar[str] = topics.LISTING

    application_number: str
    kind: str = Field(description="self_assessment (发明人自评) | institution (单位集中评价)")
    version: int
    evaluator: OrgRef = Field(description="The evaluating organisation (never the person).")
    evaluated_at: datetime


class TierChanged(EventData):
    """The tier in force (分层) changed: A ready for fast transformation, B promote, C
    needs further development, D no realistic market. ``tier`` is null when no tier is in
    force any more."""

    event_type: ClassVar[str] = "cn.ipmarket.listing.inventory.tier_changed.v1"
    topic: ClassVar[str] = topics.LISTING

    application_number: str
    tier: str | None = Field(examples=["A"])
    previous_tier: str | None
    source: str = Field(description="rule | override | override_cleared")
    rule_version: str | None = Field(examples=["2026-12-v1"])
