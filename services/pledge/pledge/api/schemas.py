"""Request and response bodies of the pledge API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from pledge.domain.pledge import CancellationReason, PledgeStatus
from shared.http.types import ApplicationNumberStr, MoneyModel, UsccStr


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PledgeeIn(_Input):
    org_id: str = Field(min_length=1, max_length=64, examples=["bank-icbc-sz"])
    name: str = Field(min_length=1, max_length=255, examples=["中国工商银行深圳分行"])
    uscc: UsccStr | None = None


class PledgeCreate(_Input):
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
    secured_amount: MoneyModel
    debt_term_end: date
    has_forfeiture_clause: StrictBool
    co_owner_consents: list[UsccStr] = Field(
        default_factory=list, description="USCCs of co-owners whose written consent is on file."
    )


class RegistrationIn(_Input):
    registration_number: str = Field(min_length=1, max_length=40, examples=["Y2026980000123"])
    registered_on: date


class CancellationIn(_Input):
    reason: CancellationReason
    cancelled_on: date


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
    created_at: datetime


def money(amount: Decimal, currency: str) -> MoneyModel:
    return MoneyModel.model_validate({"amount": str(amount), "currency": currency})
