"""Registry-sync's catalogue view: one row per patent listing registered."""

from __future__ import annotations

from sqlalchemy import Column
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from registry_sync.models import RegistrySyncTable


class CataloguedPatentRecord(RegistrySyncTable, table=True):
    __tablename__ = "catalogued_patents"

    application_number: str = Field(primary_key=True, max_length=20)
    patent_number: str = Field(max_length=24)
    title: str = Field(max_length=500)
    patent_kind: str = Field(max_length=20)
    ipc_codes: list[str] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False, server_default="[]")
    )
    industry_codes: list[str] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False, server_default="[]")
    )
