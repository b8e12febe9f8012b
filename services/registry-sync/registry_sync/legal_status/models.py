"""Where registry-sync stands in the office's legal-status feed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, DateTime
from sqlmodel import Field

from registry_sync.models import RegistrySyncTable, _now


class LegalStatusFeedPositionRecord(RegistrySyncTable, table=True):
    """One row per feed: the last sequence whose event is staged. It moves in the same
    transaction as the events it covers, so a crash neither skips nor repeats an entry."""

    __tablename__ = "legal_status_feed_position"

    feed: str = Field(primary_key=True, max_length=40)
    last_sequence: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    updated_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
