"""Response models several of matching's areas share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field


class IndustryLinkOut(BaseModel):
    """The patent's industry code met one of the enterprise's codes at ``level``; when
    known, the IPC code and concordance key that gave the patent that code, and whether
    that concordance row is official or compiled here."""

    industry_code: str = Field(examples=["C3841"])
    enterprise_code: str = Field(examples=["C384"])
    level: str = Field(examples=["group"], description="class, group or division")
    ipc_code: str | None = Field(default=None, examples=["H01M 10/052"])
    ipc_key: str | None = Field(default=None, examples=["H01M 10"])
    source: str | None = Field(default=None, examples=["official"])

    @classmethod
    def of(cls, link: Mapping[str, Any]) -> IndustryLinkOut:
        return cls(
            industry_code=str(link.get("industry_code", "")),
            enterprise_code=str(link.get("seeker_code", link.get("enterprise_code", ""))),
            level=str(link.get("level", "")),
            ipc_code=link.get("ipc_code"),
            ipc_key=link.get("ipc_key"),
            source=link.get("source"),
        )
