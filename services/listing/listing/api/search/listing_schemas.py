"""Query parameters and hits of the supply-listing and need searches."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from listing.domain.inventory import IntendedMode, Willingness
from listing.domain.market import SupplyKind
from listing.domain.patent import LegalStatus, PartyType
from listing.domain.tiers import Tier
from shared.domain import PatentType
from shared.events.schemas import PaymentMode
from shared.http.pagination import Position
from shared.http.types import MoneyAmount

# How deep offset paging reaches: past it, a front end narrows the query instead.
MAX_REACH = 10_000


class ListingSort(StrEnum):
    RELEVANCE = "relevance"  # the default with keywords
    NEWEST = "newest"  # published most recently first; the default without keywords


class ListingSearchParams(BaseModel):
    """Filters combine with AND; several values of one filter with OR."""

    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(
        default=None,
        max_length=100,
        description=(
            "Keywords in the title or description, space separated, each at least two "
            "characters; all must occur (exact substring match, Chinese or not). Ranked by "
            "relevance unless `sort` says otherwise."
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

    @field_validator("q")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("q is empty: leave it out to browse without keywords")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ListingSearchParams:
        if self.sort is ListingSort.RELEVANCE and self.q is None:
            raise ValueError("sort=relevance needs keywords in q")
        if (
            self.price_min is not None
            and self.price_max is not None
            and self.price_min > self.price_max
        ):
            raise ValueError(f"price_min {self.price_min} is more than price_max {self.price_max}")
        return self

    @property
    def relevance(self) -> bool:
        return self.sort is ListingSort.RELEVANCE or (self.sort is None and self.q is not None)

    def fingerprint(self) -> str:
        """What decides the result, but where the page starts: a cursor carries it, so a
        cursor from another query is refused rather than misread."""
        shape: dict[str, Any] = self.model_dump(mode="json", exclude={"cursor", "limit"})
        shape["sort"] = "relevance" if self.relevance else "newest"
        text = json.dumps(shape, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


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

    f: str = Field(max_length=16)
    o: int = Field(ge=1, le=MAX_REACH)


class _Hit(BaseModel):
    score: float = Field(description="Relevance; 0 when sorted by date.")
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
    created_at: datetime
