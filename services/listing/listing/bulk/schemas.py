"""The catalogue's input model: a bulk-import row, and the body of ``POST /v1/patents``
(the API takes it from here). Validation is pydantic's, with the same messages either
way; refused rows of an import say exactly what the API would have said."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from listing.catalogue.commands import RegisterPatent
from listing.domain.patent import (
    AnnualFeeStatus,
    LegalStatus,
    PartyType,
    Patentee,
    check_dates,
    check_shares,
    check_term_adjustment,
)
from shared.domain import ApplicationNumber
from shared.domain.identifier import trusted
from shared.http.types import (
    ApplicationNumberStr,
    IpcCodeStr,
    RegionCodeStr,
    UsccStr,
    VisibleStr,
)

Share = Annotated[Decimal, Field(gt=0, le=100, decimal_places=4, description="Percent.")]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PatenteeIn(_Input):
    name: VisibleStr = Field(max_length=200, examples=["清华大学"])
    uscc: UsccStr | None = None
    share: Share = Decimal("100")
    party_type: PartyType = PartyType.UNIVERSITY


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
        # Read straight from the attributes (model_dump costs more, per bulk row).
        given = {name: getattr(self, name) for name in _PASSED_AS_THEY_ARE}
        return RegisterPatent(
            **given,
            # Validation has just normalised it (ApplicationNumberStr): not parsed twice.
            application_number=trusted(ApplicationNumber, self.application_number),
            ipc_codes=tuple(self.ipc_codes),
            patentees=to_patentees(self.patentees),
        )


_PASSED_AS_THEY_ARE = tuple(
    f.name
    for f in fields(RegisterPatent)
    if f.name not in ("application_number", "ipc_codes", "patentees")
)


def to_patentees(given: list[PatenteeIn]) -> tuple[Patentee, ...]:
    return tuple(Patentee(p.name, p.uscc, p.share, p.party_type) for p in given)
