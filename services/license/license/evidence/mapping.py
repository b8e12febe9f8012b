"""Documents' rows <-> domain objects. Only the evidence area reads the documents table.

The domain object carries exactly its table's columns but the content, which only the
download reads."""

from __future__ import annotations

from dataclasses import fields

from license.domain.evidence import Document, DocumentKind
from license.evidence.models import DocumentRecord

_DOCUMENT = tuple(f.name for f in fields(Document) if f.name != "content")


def document(record: DocumentRecord, *, with_content: bool = True) -> Document:
    return Document(
        **{n: getattr(record, n) for n in _DOCUMENT}
        | {
            "kind": DocumentKind(record.kind),
            "content": record.content if with_content else None,
        }
    )


def document_record(doc: Document) -> DocumentRecord:
    if doc.content is None:
        raise ValueError(f"document {doc.id} is saved with its content")
    return DocumentRecord(
        **{n: getattr(doc, n) for n in _DOCUMENT} | {"kind": doc.kind.value},
        content=doc.content,
    )
