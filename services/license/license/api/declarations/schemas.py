"""Response bodies of the declaration view."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from license.api.schemas import PatenteeOut, TermsOut
from license.domain.declaration import DeclarationStatus


class PledgePublic(BaseModel):
    """A registered pledge on the patent, as the license service learned it."""

    pledge_id: str
    pledgee_name: str | None = Field(examples=["中国工商银行深圳分行"])
    pledgee_org_id: str | None
    open_license_consented: bool
    registered_on: date | None


class DeclarationViewPublic(BaseModel):
    """An open-licence declaration as the license service knows it (the terms a licensee
    accepting now would get)."""

    declaration_id: str
    application_number: str
    status: DeclarationStatus
    patent_number: str | None
    patent_type: str | None
    title: str | None
    patentees: list[PatenteeOut]
    terms_version: int | None
    terms: TermsOut | None
    announced_at: datetime | None
    withdrawn_at: datetime | None
    pledges: list[PledgePublic] = Field(description="Pledges registered on the patent.")
