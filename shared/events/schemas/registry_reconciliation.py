"""Events of registry-sync's daily reconciliation of filings with technology-contract
registrations, on ``ipmarket.registry.v1`` (the regulator subscribes through webhooks).

They carry references only (numbers, ids, USCCs, codes): nothing a party wrote.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field

from shared.events import topics
from shared.events.schemas.base import EventData

MismatchReasonCode = Literal[
    "missing_registration",
    "missing_filing",
    "value_differs",
    "party_differs",
    "kind_differs",
    "late",
]


class ReconciliationMismatchFound(EventData):
    """One row of a reconciliation run's mismatch report: a filing (licence filing or
    transfer recordal) and a registration that disagree, or one without the other."""

    event_type: ClassVar[str] = "cn.ipmarket.registry.reconciliation.mismatch_found.v1"
    topic: ClassVar[str] = topics.REGISTRY

    run_id: str
    run_on: date
    reason: MismatchReasonCode
    application_number: str = Field(examples=["201710601862.3"])
    filing_type: Literal["license", "transfer"]
    filing_reference: str | None = Field(
        default=None, description="The licence id or transfer deal id; None: no filing."
    )
    filing_number: str | None = Field(
        default=None, description="备案号 of a licence, or the transfer's recordal number."
    )
    registration_id: str | None = Field(default=None, description="None: no registration.")
    registration_number: str | None = Field(default=None, description="认定登记号.")


class ReconciliationCompleted(EventData):
    """A reconciliation run finished; ``counts`` has every reason code, zeros included."""

    event_type: ClassVar[str] = "cn.ipmarket.registry.reconciliation.completed.v1"
    topic: ClassVar[str] = topics.REGISTRY

    run_id: str
    run_on: date
    counts: dict[str, int] = Field(examples=[{"missing_registration": 3, "late": 1}])
    total: int

    def partition_key(self) -> str:
        return self.run_id

    def subject(self) -> str | None:
        return self.run_id
