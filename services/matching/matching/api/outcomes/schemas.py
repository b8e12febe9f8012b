"""What the outcome endpoints answer: funnels, industrialisation rates, and the columns
of their CSV exports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from matching.domain.outcome import Funnel, Industrialisation
from matching.outcomes.queries import InstitutionOutcomes, PatentOutcomes


class ConversionOut(BaseModel):
    """Each stage over the one before it (null when the one before is 0)."""

    opened: float | None = Field(description="opened / pushed")
    positive_feedback: float | None = Field(description="positive feedback / opened")
    deal: float | None = Field(description="deals / positive feedback")
    royalties_paid: float | None = Field(description="pairs paying royalties / deals")
    pushed_to_deal: float | None = Field(description="deals / pushed")


class FunnelOut(BaseModel):
    """Counts of pairs (a patent and an enterprise it was pushed to) at each stage."""

    pushed: int
    opened: int
    positive_feedback: int = Field(
        description="Feedback saying the enterprise would implement the patent, or judging "
        "its market positive."
    )
    deals: int = Field(
        description="Licensed to, or transferred to, the enterprise on or after the day of "
        "the first push to it (Asia/Shanghai)."
    )
    licensed: int
    transferred: int
    royalties_paid: int = Field(description="Pairs whose attributed licences reported royalties.")
    royalties_cny: Decimal = Field(description="Royalties reported on attributed licences, CNY.")
    patents_pushed: int
    pledged_patents: int = Field(
        description="Pushed patents pledged by one of their owners on or after their first push."
    )
    conversion: ConversionOut

    @classmethod
    def of(cls, funnel: Funnel) -> FunnelOut:
        return cls(
            pushed=funnel.pushed,
            opened=funnel.opened,
            positive_feedback=funnel.positive_feedback,
            deals=funnel.deals,
            licensed=funnel.licensed,
            transferred=funnel.transferred,
            royalties_paid=funnel.royalties_paid,
            royalties_cny=funnel.royalties_cny,
            patents_pushed=funnel.patents_pushed,
            pledged_patents=funnel.pledged_patents,
            conversion=ConversionOut(**funnel.conversion()),
        )


class IndustrialisationOut(BaseModel):
    """Inventoried patents with any implementation (a licence of any kind, a transfer,
    an implementation recorded), over the inventoried patents."""

    inventoried: int
    implemented: int
    rate: float | None = Field(description="implemented / inventoried; null with none inventoried.")

    @classmethod
    def of(cls, figures: Industrialisation) -> IndustrialisationOut:
        return cls(
            inventoried=figures.inventoried, implemented=figures.implemented, rate=figures.rate
        )


class InstitutionOutcomesOut(BaseModel):
    uscc: str
    name: str | None
    industrialisation: IndustrialisationOut
    funnel: FunnelOut

    @classmethod
    def of(cls, found: InstitutionOutcomes) -> InstitutionOutcomesOut:
        return cls(
            uscc=found.uscc,
            name=found.name,
            industrialisation=IndustrialisationOut.of(found.industrialisation),
            funnel=FunnelOut.of(found.funnel),
        )


class PatentOutcomesOut(BaseModel):
    application_number: str
    title: str
    institution_uscc: str | None
    institution_name: str | None
    inventoried: bool
    implemented: bool = Field(description="Licensed, transferred or implemented, ever.")
    funnel: FunnelOut

    @classmethod
    def of(cls, found: PatentOutcomes) -> PatentOutcomesOut:
        return cls(
            application_number=found.application_number,
            title=found.title,
            institution_uscc=found.institution_uscc,
            institution_name=found.institution_name,
            inventoried=found.inventoried,
            implemented=found.implemented,
            funnel=FunnelOut.of(found.funnel),
        )


class CampaignOutcomesOut(BaseModel):
    campaign_id: str
    funnel: FunnelOut


FUNNEL_COLUMNS = (
    "pushed",
    "opened",
    "positive_feedback",
    "deals",
    "licensed",
    "transferred",
    "royalties_paid",
    "royalties_cny",
    "pledged_patents",
)


def funnel_cells(funnel: Funnel) -> list[Any]:
    return [getattr(funnel, c) for c in FUNNEL_COLUMNS]


INSTITUTION_COLUMNS = (
    "uscc",
    "name",
    "inventoried",
    "implemented",
    "industrialisation_rate",
    *FUNNEL_COLUMNS,
)


def institution_cells(found: InstitutionOutcomes) -> list[Any]:
    figures = found.industrialisation
    rate = None if figures.rate is None else round(figures.rate, 4)
    return [
        found.uscc,
        found.name,
        figures.inventoried,
        figures.implemented,
        rate,
        *funnel_cells(found.funnel),
    ]


PATENT_COLUMNS = (
    "application_number",
    "title",
    "institution_uscc",
    "institution_name",
    "inventoried",
    "implemented",
    *FUNNEL_COLUMNS,
)


def patent_cells(found: PatentOutcomes) -> list[Any]:
    return [
        found.application_number,
        found.title,
        found.institution_uscc,
        found.institution_name,
        "yes" if found.inventoried else "no",
        "yes" if found.implemented else "no",
        *funnel_cells(found.funnel),
    ]
