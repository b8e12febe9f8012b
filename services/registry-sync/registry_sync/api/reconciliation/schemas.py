"""Bodies of the reconciliation API, and the columns of its CSV export."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from registry_sync.domain.reconciliation import (
    REASON_LABELS,
    FilingType,
    Mismatch,
    MismatchReason,
    RunStatus,
    RunTrigger,
)
from shared.http.pagination import Position


class MismatchPosition(Position):
    """After the mismatch row with this id (the report's order)."""

    i: int = Field(ge=1)


class ReconciliationRunPublic(BaseModel):
    id: str
    run_on: date = Field(description="The day the run reconciles as of: what is due by then.")
    trigger: RunTrigger
    status: RunStatus
    requested_at: datetime
    completed_at: datetime | None
    counts: dict[MismatchReason, int] | None = Field(
        description="Mismatch rows per reason code, once completed.",
        examples=[{"missing_registration": 3, "missing_filing": 1, "value_differs": 0}],
    )
    total: int | None


class MismatchPublic(BaseModel):
    id: int
    reason: MismatchReason
    application_number: str = Field(examples=["201710601862.3"])
    filing_type: FilingType
    filing_reference: str | None = Field(description="Licence id or transfer deal id.")
    filing_number: str | None = Field(description="备案号, or the transfer's recordal number.")
    filed_on: date | None
    started_on: date | None = Field(description="The licence's effect or the transfer's signing.")
    filing_seller_uscc: str | None
    filing_buyer_uscc: str | None
    filing_license_kind: str | None
    filing_value: Decimal | None
    registration_id: str | None
    registration_number: str | None = Field(description="认定登记号.")
    registered_on: date | None
    registration_seller_uscc: str | None
    registration_buyer_uscc: str | None
    registration_license_kind: str | None
    registration_value: Decimal | None = Field(
        description="The certified contract value, or the declared one until certified."
    )


CSV_HEADER = [
    "原因代码 reason", "原因 reason_label", "申请号 application_number",
    "类型 filing_type", "许可或转让编号 filing_reference", "备案号/登记号 filing_number",
    "备案日 filed_on", "生效或签订日 started_on", "让与方 filing_seller_uscc",
    "受让方 filing_buyer_uscc", "许可类型 filing_license_kind", "合同金额 filing_value",
    "认定登记编号 registration_id", "认定登记号 registration_number",
    "登记日 registered_on", "卖方 registration_seller_uscc", "买方 registration_buyer_uscc",
    "许可类型 registration_license_kind", "认定金额 registration_value",
]  # fmt: skip


def csv_cells(m: Mismatch) -> list[Any]:
    return [
        m.reason.value, REASON_LABELS[m.reason], m.application_number, m.filing_type.value,
        m.filing_reference, m.filing_number, m.filed_on, m.started_on, m.filing_seller_uscc,
        m.filing_buyer_uscc, m.filing_license_kind, m.filing_value, m.registration_id,
        m.registration_number, m.registered_on, m.registration_seller_uscc,
        m.registration_buyer_uscc, m.registration_license_kind, m.registration_value,
    ]  # fmt: skip
