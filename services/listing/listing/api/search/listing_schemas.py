"""Query parameters and hits of the supply-listing and need searches."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from listing.domain.inventory import IntendedMode, Willingness
from listing.domain.market import SupplyKind
from listing.domain.market_search import ListingSort
from listing.domain.patent import LegalStatus, PartyType
from listing.domain.search import MAX_REACHABLE
from listing.domain.tiers import Tier
from shared.domain import PatentType
from shared.events.schemas import PaymentMode
from shared.http.pagination import Position
from shared.http.types import MoneyAmount


class ListingSearchParams(BaseModel):
    """Filters combine with AND; several values of one filter with OR."""

    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(
        default=None,
        max_length=100,
        description=(
            "Keywords in the title or description, separated by spaces or punctuation, "
            "each at least two characters; all must occur (exact substring match, Chinese "
            "or not). Ranked by relevance unless `sort` says otherwise."
        ),
        examples=["锂电池 检测"],
    )
    ipc: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="IPC prefix: section, class, subclass, main group or symbol.",
        examples=[["H01M"]],
    )
    industry: list[Annotated[str, Field(pattern=r"^[A-T]\d{0,4}$")]] = Field(
        default_factory=list, max_length=10, description="GB/T 4754 code or prefix."
    )
    region: list[Annotated[str, Field(pattern=r"^\d{2}(\d{2}(\d{2})?)?$")]] = Field(
        default_factory=list, max_length=10, description="GB/T 2260 code or its 2/4-digit prefix."
    )
    price_min: MoneyAmount | None = None
    price_max: MoneyAmount | None = None
    sort: ListingSort | None = Field(
        default=None, description="`relevance` with keywords, `newest` without (the defaults)."
    )
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=512)


class SupplySearchParams(ListingSearchParams):
    kind: list[SupplyKind] = Field(default_factory=list, max_length=2)
    patent_type: list[PatentType] = Field(default_factory=list, max_length=3)
    patentee_type: list[PartyType] = Field(
        default_factory=list, max_length=4, description="Of the listed patent's patentees."
    )
    status: list[LegalStatus] = Field(
        default_factory=list, max_length=5, description="The listed patent's legal status."
    )
    payment_mode: list[PaymentMode] = Field(
        default_factory=list,
        max_length=4,
        description="Of the open licence in force on the listed patent.",
    )
    tier: list[Tier] = Field(default_factory=list, max_length=4)
    willingness: list[Willingness] = Field(default_factory=list, max_length=3)
    intended_mode: list[IntendedMode] = Field(default_factory=list, max_length=5)
    unexploited: bool | None = None


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


class SupplyHit(_Hit):
    id: str
    application_number: str
    kind: SupplyKind
    title: str
    description: str | None
    asking_price: MoneyAmount | None
    currency: str
    ipc_codes: list[str]
    industry_codes: list[str]
    region_code: str | None
    patent_type: str | None
    contact: str
    source_org_id: str
    source_org_name: str
    source_platform: str | None
    external_reference: str | None
    status: str
    valid_until: date | None
    version: int
    created_at: datetime


class DemandHit(_Hit):
    id: str
    title: str
    description: str
    technical_field: str | None
    ipc_codes: list[str]
    industry_codes: list[str]
    budget_min: MoneyAmount | None
    budget_max: MoneyAmount | None
    currency: str
    region_code: str | None
    deadline: date
    contact: str
    source_org_id: str
    source_org_name: str
    source_platform: str | None
    external_reference: str | None
    status: str
    version: int
    created_at: datetime
