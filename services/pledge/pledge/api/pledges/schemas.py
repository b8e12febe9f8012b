"""Request and response bodies of pledge applications and registrations."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
)

from pledge.api.schemas import (
    Input,
    OrgId,
    PositiveMoney,
)
from pledge.domain.pledge import CancellationReason, PledgeStatus
from shared.http.types import (
    ApplicationNumberStr,
    MoneyModel,
    UsccStr,
    VisibleStr,
)


class PledgeeIn(Input):
    org_id: OrgId
    name: VisibleStr = Field(max_length=255, examples=["中国工商银行深圳分行"])
    uscc: UsccStr | None = None


class PledgeCreate(Input):
    """A pledgor's application to register a pledge of its patents for a bank loan."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "application_numbers": ["202010345672.1"],
                    "pledgee": {
                        "org_id": "bank-icbc-sz",
                        "name": "中国工商银行深圳分行",
                        "uscc": "91440300892234001X",
                    },
                    "secured_amount": {"amount": "3000000.00", "currency": "CNY"},
                    "debt_term_end": "2029-06-30",
                    "has_forfeiture_clause": False,
                }
            ]
        },
    )

    application_numbers: list[ApplicationNumberStr] = Field(min_length=1, max_length=20)
    pledgee: PledgeeIn
    secured_amount: PositiveMoney
    debt_term_end: date
    has_forfeiture_clause: StrictBool
    co_owner_consents: list[UsccStr] = Field(
        default_factory=list, description="USCCs of co-owners whose written consent is on file."
    )
    submit: StrictBool = Field(
        default=True,
        description=(
            "false keeps the application as a draft that only the pledgor sees; no rule is "
            "checked until it is submitted (`POST /pledges/{id}/submission`)."
        ),
    )


class RegistrationIn(Input):
    registration_number: str = Field(min_length=1, max_length=40, examples=["Y2026980000123"])
    registered_on: date


class CancellationIn(Input):
    reason: CancellationReason
    cancelled_on: date


class ResubmissionIn(Input):
    """The corrected application; fields left out keep their value."""

    secured_amount: PositiveMoney | None = None
    debt_term_end: date | None = None
    co_owner_consents: list[UsccStr] | None = None


class OrgOut(BaseModel):
    org_id: str
    name: str
    uscc: str | None


class PledgePublic(BaseModel):
    id: str
    status: PledgeStatus
    application_numbers: list[str]
    pledgor: OrgOut
    pledgee: OrgOut
    secured_amount: MoneyModel
    debt_term_end: date
    registration_number: str | None
    registered_on: date | None
    cancelled_on: date | None
    cancellation_reason: CancellationReason | None
    approved_on: date | None = None
    refusal_reason: str | None = None
    correction_reason: str | None = None
    disbursed: MoneyModel | None = None
    disbursed_on: date | None = None
    outstanding: MoneyModel | None = None
    overdue_since: date | None = None
    defaulted_on: date | None = None
    disposal_method: str | None = None
    realised_on: date | None = None
    realisation_proceeds: MoneyModel | None = None
    created_at: datetime
