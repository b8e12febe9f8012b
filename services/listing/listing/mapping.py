"""Rows <-> domain objects of the listing service, written once."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from listing.domain.evidence import Conclusion, Document, DocumentKind, Evidence
from listing.domain.market import Demand, ListingStatus, SupplyKind, SupplyListing
from listing.models import DemandRecord, DocumentRecord, SupplyListingRecord

# -- supply and demand, documents (the market and evidence areas) -------------------------
# The domain objects carry exactly their tables' columns (but a document's content, which
# only the download reads): a row maps field by field, enums from and to their values.


def _columns(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {n: getattr(obj, n) for n in names}


def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


_SUPPLY = _names(SupplyListing)
_DEMAND = _names(Demand)
_DOCUMENT = tuple(n for n in _names(Document) if n != "content")


def supply_listing(record: SupplyListingRecord) -> SupplyListing:
    values = _columns(record, _SUPPLY)
    return SupplyListing(
        **values | {"kind": SupplyKind(record.kind), "status": ListingStatus(record.status)}
    )


def supply_listing_record(listing: SupplyListing) -> SupplyListingRecord:
    return SupplyListingRecord(**_columns(listing, _SUPPLY))


def demand(record: DemandRecord) -> Demand:
    return Demand(**_columns(record, _DEMAND) | {"status": ListingStatus(record.status)})


def demand_record(need: Demand) -> DemandRecord:
    return DemandRecord(**_columns(need, _DEMAND))


def document(record: DocumentRecord, *, with_content: bool = True) -> Document:
    return Document(
        **_columns(record, _DOCUMENT)
        | {
            "kind": DocumentKind(record.kind),
            "conclusion": Conclusion(record.conclusion) if record.conclusion else None,
            "content": record.content if with_content else None,
        }
    )


def document_record(doc: Document) -> DocumentRecord:
    if doc.content is None:
        raise ValueError(f"document {doc.id} is saved with its content")
    return DocumentRecord(**_columns(doc, _DOCUMENT), content=doc.content)


def evidence(record: DocumentRecord) -> Evidence:
    """What a declaration relies on, of a document whose content was not loaded."""
    return Evidence(
        id=record.id,
        kind=DocumentKind(record.kind),
        application_number=record.application_number,
        sha256=record.sha256,
        party_uscc=record.party_uscc,
        conclusion=Conclusion(record.conclusion) if record.conclusion else None,
    )
