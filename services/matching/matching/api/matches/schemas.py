"""Request and response models of the matches area: re-match jobs and a patent's
matches with their explanations."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from matching.api.schemas import IndustryLinkOut
from matching.matches.models import RematchJobRecord


class RematchJobOut(BaseModel):
    """A full re-match: every matchable patent scored again against every enterprise
    and need, with BM25 statistics built afresh, one batch per transaction."""

    id: str
    state: str = Field(examples=["running"], description="queued | running | succeeded")
    patents_total: int = Field(description="Matchable patents when it was requested.")
    patents_done: int
    matches_written: int
    weights_version: str = Field(examples=["2026-12-v1"])
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, job: RematchJobRecord) -> RematchJobOut:
        return cls(
            id=job.job_id,
            state=job.state,
            patents_total=job.patents_total,
            patents_done=job.patents_done,
            matches_written=job.matches_written,
            weights_version=job.weights_version,
            requested_at=job.requested_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
        )


class PatentMatchOut(BaseModel):
    """One enterprise matching found for the patent, and why."""

    enterprise_uscc: str
    enterprise_name: str | None
    score: float
    factors: dict[str, float] = Field(
        description="Each factor's contribution to the score (they sum to it).",
        examples=[{"industry": 0.2, "text": 0.45, "region": 0.05, "tier": 0.1}],
    )
    matched_terms: list[str] = Field(examples=[["锂离子电池", "健康状态"]])
    industry_links: list[IndustryLinkOut]
    weights_version: str
    via_need_id: str | None = Field(
        default=None, description="The enterprise's technical need the patent answers."
    )
    computed_at: datetime

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> PatentMatchOut:
        return cls(
            enterprise_uscc=row["enterprise_uscc"],
            enterprise_name=row["enterprise_name"],
            score=row["score"],
            factors=dict(row["factors"]),
            matched_terms=list(row["matched_terms"]),
            industry_links=[IndustryLinkOut.of(link) for link in row["industry_links"]],
            weights_version=row["weights_version"],
            via_need_id=row["via_need_id"],
            computed_at=row["computed_at"],
        )


class PatentMatchesOut(BaseModel):
    application_number: str
    matches: list[PatentMatchOut] = Field(description="Best first.")
