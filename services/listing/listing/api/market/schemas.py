"""Request and response bodies of supply and demand."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from listing.domain.market import SupplyKind
from shared.http.types import (
    ApplicationNumberStr,
    IpcCodeStr,
    MoneyAmount,
    RegionCodeStr,
    VisibleStr,
)


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


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
    valid_until: date | None = Field(
        default=None,
        description="The last day it is open (Asia/Shanghai); then it closes as expired.",
    )


class _Update(_Input):
    """A partial update: the fields sent replace the listing's, the others stay. Sending
    null clears an optional field; a required one may not be null."""

    REQUIRED: ClassVar[tuple[str, ...]] = ()

    @field_validator("*", mode="before")
    @classmethod
    def _required_not_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name in cls.REQUIRED:
            raise ValueError(f"{info.field_name} may not be null")
        return value

    @model_validator(mode="after")
    def _something(self) -> _Update:
        if not self.model_fields_set:
            raise ValueError("nothing to change: send at least one field")
        return self

    def changes(self) -> dict[str, Any]:
        return self.model_dump(include=self.model_fields_set)


class SupplyListingUpdate(_Update):
    """What the publisher changes in its supply listing."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"asking_price": "650000", "valid_until": "2027-06-30"}]},
    )
    REQUIRED: ClassVar[tuple[str, ...]] = ("title", "contact", "ipc_codes", "industry_codes")

    title: VisibleStr | None = Field(default=None, max_length=500)
    description: str | None = Field(default=None, max_length=5000)
    asking_price: MoneyAmount | None = Field(default=None, description="null: 面议.")
    ipc_codes: list[IpcCodeStr] | None = Field(default=None, max_length=20)
    industry_codes: list[IndustryCode] | None = Field(default=None, max_length=20)
    region_code: RegionCodeStr | None = None
    contact: VisibleStr | None = Field(default=None, max_length=200)
    valid_until: date | None = Field(default=None, description="null: no end date.")


class DemandUpdate(_Update):
    """What the requester changes in its demand."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"budget_max": "3000000", "deadline": "2027-09-30"}]},
    )
    REQUIRED: ClassVar[tuple[str, ...]] = (
        "title",
        "description",
        "ipc_codes",
        "industry_codes",
        "deadline",
        "contact",
    )

    title: VisibleStr | None = Field(default=None, max_length=200)
    description: VisibleStr | None = Field(default=None, max_length=5000)
    technical_field: str | None = Field(default=None, max_length=200)
    ipc_codes: list[IpcCodeStr] | None = Field(default=None, max_length=20)
    industry_codes: list[IndustryCode] | None = Field(default=None, max_length=20)
    budget_min: MoneyAmount | None = None
    budget_max: MoneyAmount | None = None
    region_code: RegionCodeStr | None = None
    deadline: date | None = None
    contact: VisibleStr | None = Field(default=None, max_length=200)


class ListingClose(_Input):
    """Why the publisher withdraws its listing (optional)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"note": "已与受让方签订转让合同"}]}
    )

    note: VisibleStr | None = Field(default=None, max_length=500)


_STATUS = "`published` (open); `closed` once withdrawn or expired (see `closed_reason`); "
_VERSION = Field(description="Grows with every change: the events about it carry the same number.")
_CLOSED_REASON = Field(
    default=None, description="`withdrawn` by its publisher or `expired` past its end date."
)


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
    status: str = Field(
        description=(
            _STATUS + "`pending_review` while the operator reviews a listing by (or on a "
            "patent of) a party restricted by a credit record (信用监管) — only its publisher "
            "and the operator see it; `rejected` when the operator refused it."
        )
    )
    review_record_id: str | None = Field(
        default=None, description="The credit record that held it for review."
    )
    rejection_reason: str | None = None
    valid_until: date | None = None
    version: int = _VERSION
    closed_reason: str | None = _CLOSED_REASON
    closed_at: datetime | None = None
    closed_note: str | None = None
    created_at: datetime


class SupplyRejection(_Input):
    """The operator's reason for refusing a listing held for review."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"reason": "挂牌人信用记录所涉专利权属存疑，暂不予发布。"}]
        },
    )

    reason: VisibleStr = Field(max_length=1000)


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
    status: str = Field(description=_STATUS)
    version: int = _VERSION
    closed_reason: str | None = _CLOSED_REASON
    closed_at: datetime | None = None
    closed_note: str | None = None
    created_at: datetime
