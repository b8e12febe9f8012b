"""Implementations of patents and the flagged state-funded patents, as the API shows them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from listing.domain.funding import Implementation, ImplementationKind
from listing.funding.commands import RecordImplementation
from listing.funding.queries import FlaggedPatent
from shared.http.types import VisibleStr


class ImplementationIn(BaseModel):
    """The owner declares the patent implemented, or a justified reason (正当理由) why it
    is not; a justified reason needs evidence documents (uploaded with
    `POST /v1/documents` for this patent)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["implemented", "justified_reason"] = Field(examples=["justified_reason"])
    date: dt.date = Field(description="When it was implemented, or the reason arose.")
    description: Annotated[VisibleStr, Field(max_length=4000)] = Field(
        examples=["受国际制裁影响，关键设备无法进口，产业化暂缓。"]
    )
    evidence_document_ids: list[Annotated[str, Field(min_length=1, max_length=36)]] = Field(
        default_factory=list, max_length=20
    )

    @model_validator(mode="after")
    def _justified_by_evidence(self) -> ImplementationIn:
        if self.kind == "justified_reason" and not self.evidence_document_ids:
            raise ValueError("evidence_document_ids: a justified reason needs evidence")
        return self

    def to_command(self, application_number: str) -> RecordImplementation:
        return RecordImplementation(
            application_number=application_number,
            kind=ImplementationKind(self.kind),
            occurred_on=self.date,
            description=self.description,
            evidence_document_ids=tuple(self.evidence_document_ids),
        )


class ImplementationOut(BaseModel):
    id: str
    application_number: str
    kind: str = Field(description="implemented | justified_reason | licensed | transferred")
    date: dt.date
    description: str | None
    evidence_document_ids: list[str]
    recorded_at: dt.datetime

    @classmethod
    def of(cls, i: Implementation) -> ImplementationOut:
        return cls(
            id=i.id,
            application_number=i.application_number,
            kind=i.kind.value,
            date=i.occurred_on,
            description=i.description,
            evidence_document_ids=list(i.evidence_document_ids),
            recorded_at=i.recorded_at,
        )


class InstitutionRef(BaseModel):
    name: str
    uscc: str


class FlaggedPatentOut(BaseModel):
    """A state-funded patent not exploited five years after its grant."""

    application_number: str = Field(examples=["201710601862.3"])
    patent_number: str
    title: str
    grant_date: dt.date
    flagged_on: dt.date
    region_code: str | None
    institutions: list[InstitutionRef]

    @classmethod
    def of(cls, f: FlaggedPatent) -> FlaggedPatentOut:
        return cls(
            application_number=f.application_number,
            patent_number=f.patent_number,
            title=f.title,
            grant_date=f.grant_date,
            flagged_on=f.flagged_on,
            region_code=f.region_code,
            institutions=[InstitutionRef(**i) for i in f.institutions],
        )


FLAGGED_HEADER = (
    "application_number",
    "patent_number",
    "title",
    "grant_date",
    "flagged_on",
    "region_code",
    "institutions",
)


def flagged_cells(f: FlaggedPatent) -> list[object]:
    names = ";".join(f"{i['name']}({i['uscc']})" for i in f.institutions)
    return [
        f.application_number,
        f.patent_number,
        f.title,
        f.grant_date,
        f.flagged_on,
        f.region_code,
        names,
    ]
