"""Request and response models of the industries area."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from listing.domain.rederive import RederiveJob, RederiveState


class RederiveJobOut(BaseModel):
    """A re-derivation of catalogued patents' industry codes."""

    job_id: str
    state: RederiveState = Field(description="queued | running | done")
    concordance_version: str = Field(
        description="The IPC -> industry concordance the job derives with.",
        examples=["ipmarket-compiled-2026-12-06"],
    )
    examined: int = Field(description="Patents examined so far.")
    changed: int = Field(description="Patents whose industry codes changed so far.")
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, job: RederiveJob) -> RederiveJobOut:
        return cls(**{name: getattr(job, name) for name in cls.model_fields})
