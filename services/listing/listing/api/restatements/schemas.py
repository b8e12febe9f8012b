"""Request and response models of the restatements area."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from listing.domain.restatement import RestatementJob, RestatementState


class RestatementJobOut(BaseModel):
    """A restatement of the catalogue."""

    job_id: str
    state: RestatementState = Field(description="queued | running | done")
    restated: int = Field(description="Patents restated (events published) so far.")
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, job: RestatementJob) -> RestatementJobOut:
        return cls(**{name: getattr(job, name) for name in cls.model_fields})
