"""What a catalogue search is asked for."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from listing.domain.inventory import IntendedMode, Willingness
from listing.domain.patent import LegalStatus, PartyType
from listing.domain.search import SortOrder
from listing.domain.tiers import Tier
from shared.domain import PatentType
from shared.domain.terms import PaymentMode


@dataclass(frozen=True)
class SearchPatents:
    """A search of the catalogue: filters combine with AND, several values of one filter
    with OR. ``sort``: None for the default (relevance with keywords, else newest).
    From the cursor: ``fingerprint`` of the query that issued it, and where its page
    ended: ``after`` (the sort key as text and application number) or ``offset``
    (relevance)."""

    q: str | None
    ipc: tuple[str, ...]
    industry: tuple[str, ...]
    region: tuple[str, ...]
    patent_type: tuple[PatentType, ...]
    patentee_type: tuple[PartyType, ...]
    status: tuple[LegalStatus, ...]
    payment_mode: tuple[PaymentMode, ...]
    tier: tuple[Tier, ...]
    willingness: tuple[Willingness, ...]
    intended_mode: tuple[IntendedMode, ...]
    unexploited: bool | None
    price_min: Decimal | None
    price_max: Decimal | None
    sort: SortOrder | None
    limit: int
    after: tuple[str, str] | None = None
    offset: int = 0
    fingerprint: str | None = None
