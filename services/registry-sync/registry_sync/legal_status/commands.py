"""What the legal-status feed's use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass

from registry_sync.domain.patent_office import LegalStatusEntry


@dataclass(frozen=True)
class ApplyLegalStatus:
    """Entries the feed answered after ``read_after``: publish those not yet applied."""

    feed: str
    read_after: int
    entries: tuple[LegalStatusEntry, ...]
