"""What the catalogue view is asked to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CataloguePatent:
    """Listing registered (or restated) a patent."""

    application_number: str
    patent_number: str
    title: str
    patent_kind: str
    ipc_codes: tuple[str, ...]
    industry_codes: tuple[str, ...]


@dataclass(frozen=True)
class ChangePatentIndustries:
    application_number: str
    industry_codes: tuple[str, ...]
