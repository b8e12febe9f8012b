"""Request and response bodies of the catalogue (patents, their status and transfers)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from listing import mapping
from listing.api.schemas import PatenteeIn, PatenteeOut, _Input
from listing.catalogue.commands import RecordTransfer, RegisterPatent, UpdatePatentStatus
from listing.domain.patent import (
    AnnualFeeStatus,
    LegalStatus,
    Patent,
    Patentee,
    check_dates,
    check_shares,
    check_term_adjustment,
)
from shared.domain import ApplicationNumber, PatentType
from shared.http.types import ApplicationNumberStr, IpcCodeStr, RegionCodeStr, VisibleStr


def patentees(given: list[PatenteeIn]) -> tuple[Patentee, ...]:
    return tuple(Patentee(p.name, p.uscc, p.share, p.party_type) for p in given)


class PatentCreate(_Input):
    """A granted patent entered into the catalogue by a patentee or the operator."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "application_number": "CN201710601862.3",
                    "title": "一种锂离子电池健康状态在线检测方法",
                    "abstract": "本发明公开了一种基于电化学阻抗谱的锂离子电池健康状态检测方法……",
                    "ipc_codes": ["H01M 10/48", "G01R 31/392"],
                    "region_code": "110108",
                    "filing_date": "2017-07-21",
                    "grant_date": "2020-03-10",
                    "patentees": [
                        {
                            "name": "清华大学",
                            "uscc": "12100000400000624D",
                            "share": "100",
                            "party_type": "university",
                        }
                    ],
                }
            ]
        },
    )

    application_number: ApplicationNumberStr
    title: VisibleStr = Field(max_length=500)
    abstract: str | None = Field(default=None, max_length=5000)
    ipc_codes: list[IpcCodeStr] = Field(default_factory=list, max_length=50)
    region_code: RegionCodeStr | None = None
    filing_date: date
    grant_date: date | None = None
    patentees: list[PatenteeIn] = Field(min_length=1, max_length=20)
    legal_status: LegalStatus = LegalStatus.VALID
    annual_fee_status: AnnualFeeStatus = AnnualFeeStatus.PAID
    state_funded: StrictBool = False
    term_adjustment_days: StrictInt = Field(default=0, ge=0, le=5 * 366)
    evaluation_report_favourable: StrictBool | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        check_shares(p.share for p in self.patentees)
        check_dates(self.filing_date, self.grant_date)
        if self.term_adjustment_days:
            patent_type = ApplicationNumber.parse(self.application_number).patent_type
            check_term_adjustment(patent_type, self.term_adjustment_days)
        return self

    def to_command(self) -> RegisterPatent:
        given = self.model_dump(exclude={"patentees", "ipc_codes"})
        return RegisterPatent(
            **given, ipc_codes=tuple(self.ipc_codes), patentees=patentees(self.patentees)
        )


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
            patentees=patentees(self.patentees),
            transfer_reference=self.transfer_reference,
            effective_date=self.effective_date,
            evidence=tuple(self.evidence),
        )
