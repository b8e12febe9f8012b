"""Query parameters and hits of catalogue search."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from listing.api.schemas import FlaggedSince, PatenteeOut, TierInForce, WillingnessShown
from listing.domain.inventory import IntendedMode, Willingness
from listing.domain.patent import LegalStatus, PartyType
from listing.domain.search import MAX_REACHABLE, SortOrder
from listing.domain.tiers import Tier
from shared.domain import PatentType
from shared.events.schemas import PaymentMode
from shared.http.pagination import Position
from shared.http.types import ApplicationNumberStr, MoneyAmount


class SearchParams(BaseModel):
    """What every search takes (patents, supply listings, needs). Filters combine with
    AND; several values of one filter with OR."""

    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(
        default=None,
        max_length=100,
        description=(
            "Keywords in the title or text (abstract, description), separated by spaces or "
            "punctuation, each at least two characters; all must occur (exact substring "
            "match, Chinese or not). Sorted by relevance unless sort says otherwise."
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
    price_min: MoneyAmount | None = Field(
        default=None,
        description="CNY: the open licence's up-front price (patents), the asking price "
        "(supply listings), the top of the budget (needs).",
    )
    price_max: MoneyAmount | None = None
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=512)


class PatentFactsParams(BaseModel):
    """The catalogue's facts of a patent (of the listed patent, for supply listings)."""

    model_config = ConfigDict(extra="forbid")

    patent_type: list[PatentType] = Field(default_factory=list, max_length=3)
    patentee_type: list[PartyType] = Field(default_factory=list, max_length=4)
    status: list[LegalStatus] = Field(default_factory=list, max_length=5)
    payment_mode: list[PaymentMode] = Field(
        default_factory=list, max_length=4, description="Of the open licence in force."
    )
    tier: list[Tier] = Field(
        default_factory=list, max_length=4, description="Tier in force (分层): A, B, C or D."
    )
    willingness: list[Willingness] = Field(
        default_factory=list,
        max_length=3,
        description="The institution's willingness to transform.",
    )
    intended_mode: list[IntendedMode] = Field(
        default_factory=list, max_length=5, description="An intended mode of transformation."
    )
    unexploited: bool | None = Field(
        default=None,
        description="true: only state-funded patents flagged as unexploited five years after "
        "grant; false: only patents not flagged.",
    )


class PatentSearchParams(SearchParams, PatentFactsParams):
    sort: SortOrder | None = Field(
        default=None,
        description="Default: relevance when q has keywords, else newest. relevance needs q.",
    )


class SearchPosition(Position):
    """Where a page ended, for the query with fingerprint ``f``: after the hit with sort
    key ``k`` (filing date, or price sorted by price) and application number ``n``, or,
    sorted by relevance, at offset ``o``."""

    f: str = Field(pattern=r"^[0-9a-f]{16}$")
    k: str | None = Field(default=None, max_length=40)
    n: ApplicationNumberStr | None = None
    o: int | None = Field(default=None, ge=0, le=MAX_REACHABLE)


class PatentHit(BaseModel):
    application_number: str = Field(examples=["201710601862.3"])
    patent_number: str
    patent_type: PatentType
    title: str = Field(examples=["一种锂离子电池健康状态在线检测方法"])
    ipc_codes: list[str]
    industry_codes: list[str]
    region_code: str | None
    filing_date: date
    grant_date: date | None
    patentees: list[PatenteeOut]
    legal_status: LegalStatus
    offer_payment_mode: PaymentMode | None = Field(
        description="Payment mode of the open licence in force, if any."
    )
    offer_price: MoneyAmount | None = Field(description="Up-front price of that licence.")
    tier: TierInForce
    willingness: WillingnessShown
    intended_modes: list[IntendedMode]
    unexploited_flagged_on: FlaggedSince
    score: float | None = Field(
        default=None, description="Relevance (sorted by relevance only): higher is better."
    )
    matched_terms: list[str] | None = Field(
        default=None,
        description="The query's keywords and words found in the title or abstract, for "
        "highlighting (sorted by relevance only).",
    )


class RebuildStarted(BaseModel):
    indexes: list[str] = Field(
        description="The indexes being rebuilt; each is swapped in when caught up.",
        examples=[["patents"]],
    )
