"""Request and response bodies of the catalogue (patents, their status and transfers)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from listing import mapping
from listing.api.schemas import FlaggedSince, PatenteeOut, TierInForce, WillingnessShown, _Input

# POST /v1/patents takes what a bulk-import row is: one input model, kept with the import
# (which must not depend on the API).
from listing.bulk.schemas import PatentCreate as PatentCreate
from listing.bulk.schemas import PatenteeIn, to_patentees
from listing.catalogue.commands import RecordTransfer, UpdatePatentStatus
from listing.domain.inventory import IntendedMode
from listing.domain.patent import (
    AnnualFeeStatus,
    LegalStatus,
    Patent,
    check_shares,
)
from shared.domain import PatentType


class PatentPublic(BaseModel):
    application_number: str = Field(examples=["201710601862.3"])
    patent_number: str = Field(examples=["ZL201710601862.3"])
    patent_type: PatentType
    title: str
    abstract: str | None
    ipc_codes: list[str]
    industry_codes: list[str]
    region_code: str | None
    filing_date: date
    grant_date: date | None
    expiry_date: date
    patentees: list[PatenteeOut]
    legal_status: LegalStatus
    annual_fee_status: AnnualFeeStatus
    suspended: bool
    under_preservation: bool
    state_funded: bool
    evaluation_report_favourable: bool | None
    tier: TierInForce
    willingness: WillingnessShown
    intended_modes: list[IntendedMode]
    unexploited_flagged_on: FlaggedSince

    @classmethod
    def of(cls, patent: Patent) -> PatentPublic:
        return cls.model_validate(mapping.patent_facts(patent))


class PatentStatusUpdate(_Input):
    """Facts from the official register, set by the operator (one writer)."""

    legal_status: LegalStatus | None = None
    annual_fee_status: AnnualFeeStatus | None = None
    suspended: StrictBool | None = None
    under_preservation: StrictBool | None = None
    reason: str | None = Field(default=None, max_length=500, examples=["年费滞纳期满未缴"])

    def to_command(self, application_number: str) -> UpdatePatentStatus:
        return UpdatePatentStatus(application_number, **self.model_dump())


class TransferIn(_Input):
    """A transfer of the patent right as registered by the office (著录项目变更)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "patentees": [
                        {
                            "name": "深圳市新能储能科技有限公司",
                            "uscc": "91440300MA5F00001A",
                            "share": "100",
                            "party_type": "enterprise",
                        }
                    ],
                    "transfer_reference": "2026110800012345",
                    "effective_date": "2026-11-08",
                }
            ]
        },
    )

    patentees: list[PatenteeIn] = Field(min_length=1, max_length=20)
    transfer_reference: str = Field(
        min_length=1, max_length=64, description="The office's registration of the change."
    )
    effective_date: date
    evidence: list[Annotated[str, Field(max_length=36)]] = Field(
        default_factory=list, max_length=5, description="E.g. the transfer contract (documents)."
    )

    @model_validator(mode="after")
    def _shares(self) -> Self:
        check_shares(p.share for p in self.patentees)
        return self

    def to_command(self, application_number: str) -> RecordTransfer:
        return RecordTransfer(
            application_number=application_number,
            patentees=to_patentees(self.patentees),
            transfer_reference=self.transfer_reference,
            effective_date=self.effective_date,
            evidence=tuple(self.evidence),
        )
