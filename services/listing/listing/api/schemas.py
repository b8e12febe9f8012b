"""Request and response bodies of the listing API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from listing.domain.evidence import Conclusion, DocumentKind
from listing.domain.market import SupplyKind
from listing.domain.patent import LegalStatus, PartyType
from listing.domain.search import SortOrder
from shared.domain import PatentType
from shared.events.schemas import PaymentMode
from shared.http.pagination import Position
from shared.http.types import (
    ApplicationNumberStr,
    IpcCodeStr,
    MoneyAmount,
    RegionCodeStr,
    UsccStr,
    VisibleStr,
)

Share = Annotated[Decimal, Field(gt=0, le=100, decimal_places=4, description="Percent.")]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PatenteeIn(_Input):
    name: VisibleStr = Field(max_length=200, examples=["清华大学"])
    uscc: UsccStr | None = None
    share: Share = Decimal("100")
    party_type: PartyType = PartyType.UNIVERSITY


class PatenteeOut(BaseModel):
    name: str
    uscc: str | None
    share: Decimal
    party_type: PartyType


# -- supply and demand --------------------------------------------------------------------

ExternalReference = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        pattern=r"^[\w.:/-]+$",
        description=(
            "The listing's id at its source. Publishing the same reference again returns "
            "the listing already published (200) and publishes nothing."
        ),
        examples=["SZTEX-2026-00042"],
    ),
]
IndustryCode = Annotated[
    str, Field(pattern=r"^[A-T]\d{0,4}$", description="GB/T 4754 code.", examples=["C384"])
]


class SupplyListingCreate(_Input):
    """A patent offered for transfer (转让) or a negotiated licence (许可)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "application_number": "201710601862.3",
                    "kind": "transfer",
                    "title": "锂离子电池健康状态在线检测方法专利转让",
                    "description": "已在两家储能企业完成中试，可提供技术指导。",
                    "asking_price": "800000",
                    "contact": "清华大学技术转移研究院 王老师 010-62780000",
                }
            ]
        },
    )

    application_number: ApplicationNumberStr
    kind: SupplyKind
    title: VisibleStr = Field(max_length=500)
    description: str | None = Field(default=None, max_length=5000)
    asking_price: MoneyAmount | None = Field(default=None, description="Absent: 面议.")
    ipc_codes: list[IpcCodeStr] = Field(default_factory=list, max_length=20)
    industry_codes: list[IndustryCode] = Field(default_factory=list, max_length=20)
    region_code: RegionCodeStr | None = None
    contact: VisibleStr = Field(max_length=200)
    external_reference: ExternalReference | None = None


class SupplyListingPublic(BaseModel):
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
    source_platform: str | None = Field(description="The connected platform it came from.")
    external_reference: str | None
    status: str
    created_at: datetime


class DemandCreate(_Input):
    """A technical need (技术需求) posted by an enterprise or for one by a platform."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "动力电池低温快充热管理技术需求",
                    "description": (
                        "寻求-20℃环境下30分钟充至80%的电池热管理方案，可合作开发或受让专利。"
                    ),
                    "technical_field": "新能源汽车动力电池",
                    "ipc_codes": ["H01M 10/615"],
                    "budget_min": "500000",
                    "budget_max": "2000000",
                    "region_code": "440300",
                    "deadline": "2027-06-30",
                    "contact": "新能储能 研发部 张工 0755-88888888",
                }
            ]
        },
    )

    title: VisibleStr = Field(max_length=200)
    description: VisibleStr = Field(max_length=5000)
    technical_field: str | None = Field(default=None, max_length=200)
    ipc_codes: list[IpcCodeStr] = Field(default_factory=list, max_length=20)
    industry_codes: list[IndustryCode] = Field(default_factory=list, max_length=20)
    budget_min: MoneyAmount | None = None
    budget_max: MoneyAmount | None = None
    region_code: RegionCodeStr | None = None
    deadline: date
    contact: VisibleStr = Field(max_length=200)
    external_reference: ExternalReference | None = None


class DemandPublic(BaseModel):
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


# -- search -------------------------------------------------------------------------------


class PatentSearchParams(BaseModel):
    """Filters combine with AND; several values of one filter with OR."""

    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(
        default=None,
        max_length=100,
        description=(
            "Keywords in the title or abstract, space separated, each at least two "
            "characters; all must occur (exact substring match, Chinese or not)."
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
    patent_type: list[PatentType] = Field(default_factory=list, max_length=3)
    patentee_type: list[PartyType] = Field(default_factory=list, max_length=4)
    status: list[LegalStatus] = Field(default_factory=list, max_length=5)
    payment_mode: list[PaymentMode] = Field(
        default_factory=list, max_length=4, description="Of the open licence in force."
    )
    price_min: MoneyAmount | None = Field(default=None, description="Up-front price, CNY.")
    price_max: MoneyAmount | None = None
    sort: SortOrder = SortOrder.NEWEST
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=512)


class SearchPosition(Position):
    """After the hit with sort key ``k`` (filing date, or price sorted by price) and
    application number ``n``."""

    k: str = Field(max_length=40)
    n: ApplicationNumberStr


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


class DocumentUpload(_Input):
    """Query parameters of an upload; the request body is the document itself."""

    application_number: ApplicationNumberStr
    kind: DocumentKind
    party_uscc: UsccStr | None = Field(
        default=None, description="Whose consent a consent letter carries."
    )
    conclusion: Conclusion | None = Field(
        default=None, description="An evaluation report's conclusion (required for one)."
    )
    filename: str | None = Field(default=None, max_length=255, examples=["评价报告.pdf"])


class DocumentPublic(BaseModel):
    id: str
    application_number: str
    kind: DocumentKind
    party_uscc: str | None
    conclusion: Conclusion | None
    filename: str | None
    content_type: str = Field(examples=["application/pdf"])
    size: int
    sha256: str = Field(description="Hex SHA-256 of the content, as stored.")
    uploaded_by_org_id: str
    created_at: datetime
