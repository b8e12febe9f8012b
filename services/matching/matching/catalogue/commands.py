"""What the catalogue is asked to do: keep matching's view of listing's patents and
needs, one command per fact listing published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from matching.domain.patent import Patentee


@dataclass(frozen=True)
class RecordPatent:
    application_number: str
    title: str
    abstract: str | None
    ipc_codes: tuple[str, ...]
    industry_codes: tuple[str, ...]
    region_code: str | None
    patentees: tuple[Patentee, ...]
    valid: bool


@dataclass(frozen=True)
class ChangePatentStatus:
    application_number: str
    valid: bool


@dataclass(frozen=True)
class ChangePatentOwners:
    application_number: str
    patentees: tuple[Patentee, ...]


@dataclass(frozen=True)
class ChangePatentIndustries:
    application_number: str
    industry_codes: tuple[str, ...]


@dataclass(frozen=True)
class RecordInventory:
    application_number: str
    willingness: str
    intended_modes: tuple[str, ...]


@dataclass(frozen=True)
class ChangeTier:
    application_number: str
    tier: str | None


@dataclass(frozen=True)
class DeclareOpenLicense:
    application_number: str


@dataclass(frozen=True)
class EndOpenLicense:
    application_number: str


@dataclass(frozen=True)
class ListForSale:
    application_number: str
    listing_id: str


@dataclass(frozen=True)
class Delist:
    """A supply listing of the patent closed (withdrawn or expired)."""

    application_number: str
    listing_id: str


@dataclass(frozen=True)
class RecordNeed:
    need_id: str
    requester_name: str
    requester_uscc: str | None
    requester_org_id: str | None
    title: str
    description: str
    technical_field: str | None
    ipc_codes: tuple[str, ...]
    industry_codes: tuple[str, ...]
    region_code: str | None
    deadline: date


@dataclass(frozen=True)
class CloseNeed:
    """Its requester withdrew the need, or its deadline passed: no longer matched."""

    need_id: str
