"""Events published by the license service on ``ipmarket.license.v1``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from shared.events import topics
from shared.events.schemas.base import EventData, OrgRef


class LicenseKind(StrEnum):
    """普通许可 / 排他许可 / 独占许可."""

    ORDINARY = "ordinary"
    SOLE = "sole"
    EXCLUSIVE = "exclusive"


class LicenseGranted(EventData):
    """A licence is in force (for an open licence: notice given and paid)."""

    event_type: ClassVar[str] = "cn.ipmarket.license.license.granted.v1"
    topic: ClassVar[str] = topics.LICENSE

    license_id: str
    application_number: str
    patent_number: str
    kind: LicenseKind
    declaration_id: str | None = Field(default=None, description="Set for open licences.")
    terms_version: int | None = None
    licensors: list[OrgRef]
    licensee: OrgRef
    field_of_use: str | None = None
    effective_date: date
    term_end: date
    filing_deadline: date = Field(description="备案 due date: 3 months after effect.")
    contract_value: Decimal | None = Field(default=None, description="CNY, when fixed.")
    currency: str = "CNY"
