"""Query parameters and hits of the supply-listing and need searches."""

from __future__ import annotations

from pydantic import BaseModel, Field

from listing.api.market.schemas import DemandPublic, SupplyListingPublic
from listing.api.search.schemas import PatentFactsParams, SearchParams
from listing.domain.market import SupplyKind
from listing.domain.market_search import ListingSort
from listing.domain.search import MAX_REACHABLE
from shared.http.pagination import Position


class ListingSearchParams(SearchParams):
    sort: ListingSort | None = Field(
        default=None, description="`relevance` with keywords, `newest` without (the defaults)."
    )


class SupplySearchParams(ListingSearchParams, PatentFactsParams):
    kind: list[SupplyKind] = Field(default_factory=list, max_length=2)


class DemandSearchParams(ListingSearchParams):
    """`price_min`/`price_max` filter by the top of the need's budget (its floor when only
    a floor is given)."""


class OffsetPosition(Position):
    """The next page starts at offset ``o`` of the query with fingerprint ``f``."""

    f: str = Field(pattern=r"^[0-9a-f]{16}$")
    o: int = Field(ge=1, le=MAX_REACHABLE)


class _Hit(BaseModel):
    score: float = Field(description="Relevance, higher is better; 0 sorted by date.")
    matched_terms: list[str] = Field(
        description="The keywords and their segmented words found in the text, to highlight."
    )


class SupplyHit(SupplyListingPublic, _Hit):
    """A published supply listing as `GET /v1/supply-listings/{id}` shows it, with its
    relevance."""


class DemandHit(DemandPublic, _Hit):
    """A published need as `GET /v1/demands/{id}` shows it, with its relevance."""
