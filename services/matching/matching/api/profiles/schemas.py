"""Request and response bodies of enterprise profiles and consent.

The bodies check types and generous size caps; the rules (a valid USCC, a GB/T 2260
region, four-digit GB/T 4754-2017 classes, 战略性新兴产业 codes, consent) are the
domain's (``domain/profile.py``), which the operator's import runs too: each refusal is a
422 whose ``type`` names the rule and whose ``field`` names the field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from matching.domain.profile import CompanySize, EnterpriseProfile, ProfileSource, Qualification
from matching.profiles.commands import ConsentInput, ProfileInput
from shared.http.pagination import Position

Code = Annotated[str, Field(max_length=16)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


_CONSENT = (
    "True: the enterprise agrees to receive pushed patents. Only the enterprise itself "
    "sets it; an imported profile has it false until then."
)


class _Choices(_Input):
    """The industries an enterprise wants pushes for, or never."""

    industries_opted_in: list[Code] = Field(
        default_factory=list,
        max_length=100,
        description="GB/T 4754-2017 codes at any level (C38, C384, C3841): when any, "
        "pushes only for patents of these industries (by prefix).",
        examples=[["C38"]],
    )
    industries_opted_out: list[Code] = Field(
        default_factory=list,
        max_length=100,
        description="Never pushes for patents of these industries (by prefix). A code "
        "may not be both opted in and out.",
        examples=[["C3899"]],
    )

    def consent(self, push_consent: bool) -> ConsentInput:
        return ConsentInput(
            push_consent, tuple(self.industries_opted_in), tuple(self.industries_opted_out)
        )


class ConsentIn(_Choices):
    """The enterprise's own choice about pushes."""

    push_consent: StrictBool = Field(description=_CONSENT)


class ProfileIn(_Choices):
    """An enterprise's whole profile, consent included (its own act)."""

    uscc: str = Field(
        max_length=40,
        description="The enterprise's unified social credit code: the token's own.",
        examples=["91440300MA5FXXXX00"],
    )
    name: str = Field(max_length=1000, examples=["深圳市锂能新材料科技有限公司"])
    region_code: str = Field(
        max_length=20, description="GB/T 2260, six digits.", examples=["440300"]
    )
    industry_codes: list[Code] = Field(
        max_length=100,
        description="1 to 20 GB/T 4754-2017 classes (小类, four digits).",
        examples=[["C3841", "C3985"]],
    )
    strategic_codes: list[Code] = Field(
        default_factory=list,
        max_length=100,
        description="战略性新兴产业分类 2018 codes: 1-9, 1.1 or 1.1.1; at most 20.",
        examples=[["6.3.1"]],
    )
    size: CompanySize
    qualifications: list[Qualification] = Field(
        default_factory=list,
        description="specialized_sme (专精特新), high_tech (高新技术企业), ip_advantage "
        "(知识产权优势示范企业).",
    )
    products: str | None = Field(
        default=None, max_length=20_000, description="主营产品, at most 2,000 characters."
    )
    technical_needs: str | None = Field(
        default=None,
        max_length=20_000,
        description="技术需求, at most 2,000 characters; products or needs (or both) must "
        "be given.",
    )
    push_consent: StrictBool = Field(default=False, description=_CONSENT)

    def to_input(self) -> ProfileInput:
        return ProfileInput(
            name=self.name,
            region_code=self.region_code,
            industry_codes=tuple(self.industry_codes),
            strategic_codes=tuple(self.strategic_codes),
            size=self.size.value,
            qualifications=tuple(q.value for q in self.qualifications),
            products=self.products,
            technical_needs=self.technical_needs,
        )


class ProfileOut(BaseModel):
    uscc: str
    name: str
    region_code: str
    industry_codes: list[str]
    strategic_codes: list[str]
    size: CompanySize
    qualifications: list[Qualification]
    products: str
    technical_needs: str
    push_consent: bool
    industries_opted_in: list[str]
    industries_opted_out: list[str]
    source: ProfileSource = Field(
        description="self: kept by the enterprise; imported: by the operator's import "
        "(replaced by later imports until the enterprise saves its own)."
    )
    revision: int = Field(description="Bumped when what matching reads changes.")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, profile: EnterpriseProfile) -> ProfileOut:
        facts, consent = profile.facts, profile.consent
        return cls(
            uscc=profile.uscc,
            name=facts.name,
            region_code=facts.region_code,
            industry_codes=list(facts.industry_codes),
            strategic_codes=list(facts.strategic_codes),
            size=facts.size,
            qualifications=list(facts.qualifications),
            products=facts.products,
            technical_needs=facts.technical_needs,
            push_consent=consent.push_consent,
            industries_opted_in=list(consent.industries_opted_in),
            industries_opted_out=list(consent.industries_opted_out),
            source=profile.source,
            revision=profile.revision,
            created_at=profile.created_at,
            updated_at=profile.updated_at,
        )


class UsccPosition(Position):
    """After the profile of this USCC (lists are in USCC order)."""

    u: Annotated[str, Field(min_length=1, max_length=18)]
