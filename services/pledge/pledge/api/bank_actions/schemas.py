"""Request and response bodies of what the pledgee bank records."""

from __future__ import annotations

from datetime import date

from pydantic import (
    BaseModel,
    Field,
)

from pledge.api.schemas import (
    Input,
    PositiveMoney,
    Reason,
)
from shared.domain.terms import ConsentSubject
from shared.http.types import (
    UsccStr,
    VisibleStr,
)


class ApprovalIn(Input):
    approved_on: date


class CorrectionRequestIn(Input):
    reason: Reason = Field(examples=["请补充共有人书面同意书"])


class ChangeIn(Input):
    """质押登记变更: at least one of amount, term or a party's name or USCC."""

    secured_amount: PositiveMoney | None = None
    debt_term_end: date | None = None
    pledgor_name: VisibleStr | None = Field(default=None, max_length=255)
    pledgee_name: VisibleStr | None = Field(default=None, max_length=255)
    pledgee_uscc: UsccStr | None = None
    changed_on: date


class DisbursementIn(Input):
    amount: PositiveMoney
    disbursed_on: date


class RepaymentIn(Input):
    amount: PositiveMoney
    repaid_on: date


class OverdueIn(Input):
    overdue_since: date


class DefaultIn(Input):
    defaulted_on: date


class ConsentIn(Input):
    consent_to: ConsentSubject
    counterparty_uscc: UsccStr | None = Field(
        default=None, description="Narrows the consent to one transferee or licensee."
    )
    document_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    recorded_on: date


class ConsentPublic(BaseModel):
    id: str
    consent_to: ConsentSubject
    counterparty_uscc: str | None
    document_sha256: str | None
    recorded_on: date
