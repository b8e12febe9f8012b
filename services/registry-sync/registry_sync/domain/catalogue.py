"""A patent as listing told it: what a registration's technical field and IP type are
derived from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CataloguedPatent:
    application_number: str
    patent_number: str
    title: str
    patent_kind: str
    ipc_codes: tuple[str, ...] = ()
    industry_codes: tuple[str, ...] = ()
