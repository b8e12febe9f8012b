"""Request bodies of the filing (备案) endpoints."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field

from license.api.schemas import InputModel


class FilingCreate(InputModel):
    """The filing (备案) CNIPA granted, as its notice (备案通知书) states it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"filing_number": "2026990000123", "filed_on": "2026-12-15"}]
        },
    )

    filing_number: str = Field(
        min_length=1,
        max_length=64,
        pattern=r"^[0-9A-Za-z\-]+$",
        description="备案号 from CNIPA's filing notice.",
    )
    filed_on: date = Field(description="Date of the filing notice; between effect and today.")
