"""Response bodies of the breach register."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from shared.http.types import MoneyModel


class BreachPublic(BaseModel):
    """A missed obligation recorded against a party (credit supervision)."""

    id: str
    license_id: str
    application_number: str
    kind: str = Field(examples=["royalty_report_overdue"])
    party_org_id: str | None
    party_name: str = Field(examples=["深圳市新能储能科技有限公司"])
    party_uscc: str | None
    period_id: str | None
    due_date: date
    amount_outstanding: MoneyModel | None
    recorded_at: datetime
