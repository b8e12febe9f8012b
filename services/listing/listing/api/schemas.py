"""Request and response bodies of the listing API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from listing.domain.declaration import (
    MAX_DUE_DAYS,
    MIN_DUE_DAYS,
    DeclarationStatus,
    RoyaltyBase,
)
from listing.domain.evidence import Conclusion, DocumentKind
from listing.domain.market import SupplyKind
from listing.domain.patent import AnnualFeeStatus, LegalStatus, PartyType
from listing.domain.search import SortOrder
from shared.domain import ApplicationNumber, PatentType
from shared.events.schemas import PaymentMode, ReportingPeriod
from shared.http.pagination import Position
from shared.http.types import (
    ApplicationNumberStr,
    IpcCodeStr,
    MoneyAmount,
    RatePercent,
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


class PatentCreate(_Input):
    """A granted patent entered into the catalogue by a patentee or the operator."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "application_number": "CN201710601862.3",
                    "title": "一种锂离子电池健康状态在线检测方法",
                    "abstract": "本发明公开了一种基于电化学阻抗谱的锂离子电池健康状态检测方法……",
                    "ipc_codes": ["H01M 10/48", "G01R 31/392"],
                    "region_code": "110108",
                    "filing_date": "2017-07-21",
                    "grant_date": "2020-03-10",
                    "patentees": [
                        {
                            "name": "清华大学",
                            "uscc": "12100000400000624D",
                            "share": "100",
                            "party_type": "university",
                        }
                    ],
                }
            ]
        },
    )

    application_number: ApplicationNumberStr
    title: VisibleStr = Field(max_length=500)
    abstract: str | None = Field(default=None, max_length=5000)
    ipc_codes: list[IpcCodeStr] = Field(default_factory=list, max_length=50)
    region_code: RegionCodeStr | None = None
    filing_date: date
    grant_date: date | None = None
    patentees: list[PatenteeIn] = Field(min_length=1, max_length=20)
    legal_status: LegalStatus = LegalStatus.VALID
    annual_fee_status: AnnualFeeStatus = AnnualFeeStatus.PAID
    state_funded: StrictBool = False
    term_adjustment_days: StrictInt = Field(default=0, ge=0, le=5 * 366)
    evaluation_report_favourable: StrictBool | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        total = sum((p.share for p in self.patentees), Decimal(0))
        if total != Decimal(100):
            raise ValueError(f"patentee shares must add up to 100, not {total}")
        if self.grant_date is not None and self.grant_date < self.filing_date:
            raise ValueError("grant_date cannot be before filing_date")
        if self.term_adjustment_days and (
            ApplicationNumber.parse(self.application_number).patent_type is not PatentType.INVENTION
        ):
            raise ValueError("term_adjustment_days applies to inventions only (Patent Law Art. 42)")
        return self


class PatentPublic(BaseModel):
    application_number: str = Field(examples=["201710601862.3"])
    patent_number: str = Field(examples=["ZL201710601862.3"])
    patent_type: PatentType
    title: str
    abstract: str | None
    ipc_codes: list[str]
    industry_codes: list[str]
    region_code: str | None
    filing_date: date
    grant_date: date | None
    expiry_date: date
    patentees: list[PatenteeOut]
    legal_status: LegalStatus
    annual_fee_status: AnnualFeeStatus
    suspended: bool
    under_preservation: bool
    state_funded: bool
    evaluation_report_favourable: bool | None


class EncumbrancePublic(BaseModel):
    """A pledge or exclusive/sole licence in force, as listing learned it from events."""

    kind: str = Field(examples=["pledge"])
    reference_id: str
    holder: str = Field(examples=["中国工商银行深圳分行"])
    open_license_consented: bool
    effective_from: date


class EncumbranceList(BaseModel):
    items: list[EncumbrancePublic]


class PatentStatusUpdate(_Input):
    """Facts from the official register, set by the operator (one writer)."""

    legal_status: LegalStatus | None = None
    annual_fee_status: AnnualFeeStatus | None = None
    suspended: StrictBool | None = None
    under_preservation: StrictBool | None = None
    reason: str | None = Field(default=None, max_length=500, examples=["年费滞纳期满未缴"])


_PERIOD_DESCRIPTION = (
    "Calendar reporting period: annual 每年 (1 January – 31 December), semiannual 每半年 "
    "(1 January – 30 June, 1 July – 31 December), quarterly 每季度, monthly 每月. A "
    "licence's first period starts on the day it takes effect, its last ends with its term."
)


class RoyaltyScheduleIn(_Input):
    """提成费的报告期和付款截止日（结构化）：被许可人和专利权人据此看到完全相同的报告期和截止日。

    When a running royalty is reported and paid. Give exactly one due rule:
    `due_days_after_period`, or for annual periods `annual_due`."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"period": "annual", "annual_due": "03-31"},
                {"period": "quarterly", "due_days_after_period": 30},
            ]
        },
    )

    period: ReportingPeriod = Field(description=_PERIOD_DESCRIPTION)
    due_days_after_period: StrictInt | None = Field(
        default=None,
        ge=MIN_DUE_DAYS,
        le=MAX_DUE_DAYS,
        description="Report and payment of a period are due this many days after its last "
        "day (30: the quarter ending 31 March is due by 30 April, 季度结束后30日内).",
        examples=[30],
    )
    annual_due: str | None = Field(
        default=None,
        pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        description="Annual periods only, instead of `due_days_after_period`: the day (MM-DD) "
        "of the following year by which the year's report and payment are due (03-31: "
        "每年3月31日前支付上一年度提成费). 02-29 is refused: it is not a day of every year.",
        examples=["03-31"],
    )


class RoyaltyScheduleOut(BaseModel):
    period: ReportingPeriod = Field(description=_PERIOD_DESCRIPTION)
    due_days_after_period: int | None = None
    annual_due: str | None = Field(default=None, examples=["03-31"])


class TermsIn(_Input):
    payment_mode: PaymentMode
    lump_sum_fee: MoneyAmount | None = None
    entry_fee: MoneyAmount | None = None
    royalty_base: RoyaltyBase | None = None
    royalty_rate: RatePercent | None = None
    payment_schedule: str | None = Field(
        default=None,
        max_length=500,
        description="How payment works, in the patentee's words (shown to licensees; no "
        "promotional wording). Periods and due dates come from `royalty_schedule`.",
        examples=["每年3月31日前按上一年度净销售额支付"],
    )
    royalty_schedule: RoyaltyScheduleIn | None = Field(
        default=None,
        description="Running royalty (running_royalty, entry_fee_plus_royalty) only: the "
        "reporting periods and due dates every licensee gets. Refused for lump_sum and free.",
    )
    term_start: date
    term_end: date
    territory: VisibleStr = Field(default="中国大陆", max_length=100)


class TermsOut(BaseModel):
    payment_mode: PaymentMode
    lump_sum_fee: Decimal | None
    entry_fee: Decimal | None
    royalty_base: RoyaltyBase | None
    royalty_rate: Decimal | None
    payment_schedule: str | None
    # Absent from terms versions stored before schedules were declared.
    royalty_schedule: RoyaltyScheduleOut | None = None
    term_start: date
    term_end: date
    territory: str
    currency: str = "CNY"


class DeclarationCreate(_Input):
    """A draft open-licence declaration; submit it to have it checked and announced."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "application_number": "201710601862.3",
                    "terms": {
                        "payment_mode": "running_royalty",
                        "royalty_base": "net_sales",
                        "royalty_rate": "3.5",
                        "payment_schedule": "每年3月31日前按上一年度净销售额支付",
                        "royalty_schedule": {"period": "annual", "annual_due": "03-31"},
                        "term_start": "2026-01-01",
                        "term_end": "2030-12-31",
                        "territory": "中国大陆",
                    },
                    "description": "可用于储能电站电池簇在线监测，许可后提供技术资料一套。",
                    "contact": "技术转移中心 张老师 010-62780000",
                },
                {
                    "application_number": "201710601862.3",
                    "terms": {
                        "payment_mode": "entry_fee_plus_royalty",
                        "entry_fee": "100000.00",
                        "royalty_base": "net_sales",
                        "royalty_rate": "2",
                        "payment_schedule": "入门费于许可生效时支付；提成费每季度结束后30日内"
                        "按该季度净销售额报告并支付",
                        "royalty_schedule": {"period": "quarterly", "due_days_after_period": 30},
                        "term_start": "2026-01-01",
                        "term_end": "2030-12-31",
                        "territory": "中国大陆",
                    },
                    "description": "适用于新能源汽车动力电池管理系统。",
                    "contact": "技术转移中心 张老师 010-62780000",
                },
            ]
        },
    )

    application_number: ApplicationNumberStr
    terms: TermsIn
    description: str | None = Field(default=None, max_length=2000)
    contact: str | None = Field(default=None, max_length=200)
    co_owner_consents: list[UsccStr] = Field(
        default_factory=list,
        description="USCCs of co-owners who consented; each one's consent letter must be "
        "among the `evidence`.",
    )
    evidence: list[Annotated[str, Field(max_length=36)]] = Field(
        default_factory=list,
        max_length=20,
        description="Ids of uploaded documents the declaration relies on (POST /v1/documents): "
        "co-owners' consent letters; for a utility model or design, a favourable patent "
        "evaluation report.",
    )


class DeclarationPublic(BaseModel):
    id: str
    application_number: str
    status: DeclarationStatus
    declarant_org_id: str
    terms_version: int
    terms: TermsOut
    description: str | None
    contact: str | None
    created_at: datetime
    announced_at: datetime | None
    evidence: list[str] = Field(default_factory=list)
    withdrawal_requested_at: datetime | None = None
    withdrawn_at: datetime | None
    ended_at: datetime | None = Field(default=None, description="When it lapsed or expired.")
    status_reason: str | None = Field(
        default=None,
        description="Why it is withdrawn, lapsed, expired or suspended.",
        examples=["pledge 7c1e... to 中国工商银行深圳分行 was registered before the announcement"],
    )


class WithdrawalIn(_Input):
    reason: str | None = Field(
        default=None, max_length=500, examples=["该专利已与某企业达成独占许可意向"]
    )


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


class TimelineEntry(BaseModel):
    event_id: str
    event_type: str = Field(examples=["cn.ipmarket.listing.declaration.published.v1"])
    label: str = Field(examples=["开放许可声明公告"])
    source: str = Field(examples=["/ipmarket/listing"])
    occurred_at: datetime
    actor: str | None
    data: dict[str, Any] | None = Field(
        description="The event's data; pledge details only for patentees, banks and the operator."
    )


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


class TransferIn(_Input):
    """A transfer of the patent right as registered by the office (著录项目变更)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "patentees": [
                        {
                            "name": "深圳市新能储能科技有限公司",
                            "uscc": "91440300MA5F00001A",
                            "share": "100",
                            "party_type": "enterprise",
                        }
                    ],
                    "transfer_reference": "2026110800012345",
                    "effective_date": "2026-11-08",
                }
            ]
        },
    )

    patentees: list[PatenteeIn] = Field(min_length=1, max_length=20)
    transfer_reference: str = Field(
        min_length=1, max_length=64, description="The office's registration of the change."
    )
    effective_date: date
    evidence: list[Annotated[str, Field(max_length=36)]] = Field(
        default_factory=list, max_length=5, description="E.g. the transfer contract (documents)."
    )

    @model_validator(mode="after")
    def _shares(self) -> Self:
        total = sum((p.share for p in self.patentees), Decimal(0))
        if total != Decimal(100):
            raise ValueError(f"patentee shares must add up to 100, not {total}")
        return self
