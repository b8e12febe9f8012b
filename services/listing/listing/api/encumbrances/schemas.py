"""Response bodies of the encumbrance view."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class EncumbrancePublic(BaseModel):
    """A pledge or exclusive/sole licence (in force unless `released_at` is set), as
    listing learned it from events."""

    kind: str = Field(examples=["pledge"])
    reference_id: str
    holder: str = Field(examples=["中国工商银行深圳分行"])
    open_license_consented: bool
    effective_from: date
    released_at: datetime | None = Field(
        default=None,
        description="When the pledge was cancelled or the licence ended; listed only with "
        "`include_released=true`.",
    )


class EncumbranceList(BaseModel):
    items: list[EncumbrancePublic]
