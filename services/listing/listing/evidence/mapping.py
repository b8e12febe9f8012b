"""Documents' rows <-> domain objects. Only the evidence area reads the documents table,
so its mapping lives here rather than in listing/mapping.py.

The domain object carries exactly its table's columns but the content, which only the
download reads: a row maps field by field, enums from and to their values."""

from __future__ import annotations

from dataclasses import fields

from listing.domain.evidence import Conclusion, Document, DocumentKind, Evidence
from listing.models import DocumentRecord

_DOCUMENT = tuple(f.name for f in fields(Document) if f.name != "content")


def document(record: DocumentRecord, *, with_content: bool = True) -> Document:
    return Document(
        **{n: getattr(record, n) for n in _DOCUMENT}
        | {
            "kind": DocumentKind(record.kind),
            "conclusion": Conclusion(record.conclusion) if record.conclusion else None,
            "content": record.content if with_content else None,
        }
    )


def document_record(doc: Document) -> DocumentRecord:
    if doc.content is None:
        raise ValueError(f"document {doc.id} is saved with its content")
    return DocumentRecord(**{n: getattr(doc, n) for n in _DOCUMENT}, content=doc.content)


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
