"""Breaches: missed obligations recorded against a party of a licence (信用监管), each
once per licence, period and kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from license.domain.license import PatentLicense
from license.domain.royalty import BreachKind, RoyaltyPeriodState
from shared.domain import Money


@dataclass(frozen=True)
class Breach:
    id: str
    license_id: str
    application_number: str
    kind: BreachKind
    party_org_id: str | None
    party_name: str
    party_uscc: str | None
    period_id: str | None
    due_date: date
    amount_outstanding: Money | None
    recorded_at: datetime

    @classmethod
    def of_royalty_period(
        cls,
        *,
        breach_id: str,
        licence: PatentLicense,
        period: RoyaltyPeriodState,
        kind: BreachKind,
        recorded_at: datetime,
    ) -> Breach:
        """The licensee's breach of ``period``: no report by its due date, or a report
        not fully paid (then the amount still outstanding)."""
        outstanding = period.outstanding if kind is BreachKind.ROYALTY_PAYMENT_OVERDUE else None
        return cls(
            id=breach_id,
            license_id=licence.id,
            application_number=licence.application_number,
            kind=kind,
            party_org_id=licence.licensee.org_id,
            party_name=licence.licensee.name,
            party_uscc=licence.licensee.uscc,
            period_id=period.id,
            due_date=period.due_date,
            amount_outstanding=outstanding,
            recorded_at=recorded_at,
        )
