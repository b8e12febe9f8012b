"""Request and response bodies of credit records (信用记录)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from license.domain.credit import CreditKind, CreditState
from shared.http.types import UsccStr, VisibleStr


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PartyIn(_Input):
    uscc: UsccStr
    name: VisibleStr = Field(max_length=255, examples=["深圳市新能储能科技有限公司"])


class PeriodIn(_Input):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: date = Field(alias="from", description="First day restricted; no later than today.")
    end: date = Field(alias="until", description="Last day restricted; 1 to 36 months on.")


Evidence = list[str]


class CreditRecordCreate(_Input):
    party: PartyIn
    kind: CreditKind
    evidence: Evidence = Field(
        max_length=20, description="Ids of documents (POST /v1/documents); at least one."
    )
    facts: str | None = Field(default=None, max_length=4000)
    period: PeriodIn
    license_id: str | None = Field(default=None, max_length=36)


class CandidateConfirm(_Input):
    evidence: Evidence = Field(max_length=20, description="At least one document id.")
    facts: str | None = Field(default=None, max_length=4000)
    period: PeriodIn


class ReasonIn(_Input):
    reason: VisibleStr = Field(max_length=2000)


class ObjectionCreate(_Input):
    grounds: VisibleStr = Field(max_length=4000)
    evidence: Evidence = Field(default_factory=list, max_length=20)


class DecisionIn(_Input):
    upheld: bool
    reason: VisibleStr = Field(max_length=2000)


class PartyPublic(BaseModel):
    uscc: str
    name: str


class PeriodPublic(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    start: date = Field(serialization_alias="from")
    end: date = Field(serialization_alias="until")


class ChangePublic(BaseModel):
    at: datetime
    by_org_id: str | None = Field(description="None: the platform's sweep.")
    action: str = Field(examples=["recorded", "objected", "objection upheld", "expired"])
    state: CreditState
    note: str | None


class ObjectionPublic(BaseModel):
    id: str
    grounds: str
    evidence: list[str]
    filed_by_org_id: str
    filed_at: datetime
    decide_by: date | None = Field(
        description="The regulator decides by this day (10 working days from filing); "
        "null while pending: the days reach a year the working-day calendar does not "
        "cover yet (`decide_by_awaits_year`)."
    )
    decide_by_awaits_year: int | None = Field(
        default=None,
        description="While `decide_by` is pending: the year whose official holidays "
        "(State Council notice, each November) the platform waits for to count it.",
        examples=[2027],
    )
    upheld: bool | None = Field(description="None while pending.")
    reason: str | None
    decided_at: datetime | None


class CreditRecordPublic(BaseModel):
    id: str
    party: PartyPublic
    kind: CreditKind
    state: CreditState
    facts: str | None
    evidence: list[str]
    period: PeriodPublic | None
    license_id: str | None
    breach_id: str | None
    effective_on: date | None
    objection_window_closes: date | None = Field(
        description="Last day the party may object (15 working days from effect); null "
        "for a candidate, or while pending: the days reach a year the working-day "
        "calendar does not cover yet (`objection_window_awaits_year`), and the window "
        "stays open until it is counted."
    )
    objection_window_awaits_year: int | None = Field(
        default=None,
        description="While the window's last day is pending: the year whose official "
        "holidays (State Council notice, each November) the platform waits for.",
        examples=[2027],
    )
    created_at: datetime
    ended_at: datetime | None
    history: list[ChangePublic]
    objections: list[ObjectionPublic] = Field(default_factory=list)
