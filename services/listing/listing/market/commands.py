"""What the supply-and-demand use cases are asked to do."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from listing.domain.market import SupplyKind


@dataclass(frozen=True)
class PublishSupply:
    """Offer a patent for transfer or licence. Empty IPC and industry codes and no region:
    the catalogue's, if the patent is in it."""

    application_number: str
    kind: SupplyKind
    title: str
    description: str | None
    asking_price: Decimal | None
    ipc_codes: tuple[str, ...]
    industry_codes: tuple[str, ...]
    region_code: str | None
    contact: str
    external_reference: str | None
    valid_until: date | None = None


@dataclass(frozen=True)
class PublishDemand:
    """Post a technical need."""

    title: str
    description: str
    technical_field: str | None
    ipc_codes: tuple[str, ...]
    industry_codes: tuple[str, ...]
    budget_min: Decimal | None
    budget_max: Decimal | None
    region_code: str | None
    deadline: date
    contact: str
    external_reference: str | None


@dataclass(frozen=True)
class ReviewSupply:
    """The operator's decision on a supply listing held for review; a rejection gives
    its reason."""

    listing_id: str
    approved: bool
    reason: str | None = None


@dataclass(frozen=True)
class UpdateListing:
    """The publisher replaces some descriptive fields of its supply listing or demand:
    ``changes`` maps each field named in the request to its new value (None clears an
    optional one)."""

    listing_id: str
    changes: Mapping[str, object]


@dataclass(frozen=True)
class CloseListing:
    """The publisher withdraws its supply listing or demand, saying why if it likes."""

    listing_id: str
    note: str | None = None
