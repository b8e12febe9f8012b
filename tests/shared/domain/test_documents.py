"""What any service accepts as an evidence document."""

from __future__ import annotations

import hashlib

import pytest

from shared.domain.documents import DocumentRefused, accepted_content, sha256
from shared.errors import Conflict

pytestmark = pytest.mark.unit


def test_a_pdf_ofd_or_scan_is_kept_under_its_plain_media_type() -> None:
    assert accepted_content("application/PDF; charset=binary", b"%PDF-1.7", 100) == (
        "application/pdf"
    )
    assert accepted_content("application/ofd", b"PK", 100) == "application/ofd"
    assert sha256(b"%PDF-1.7") == hashlib.sha256(b"%PDF-1.7").hexdigest()


@pytest.mark.parametrize(
    ("content_type", "content", "says"),
    [
        ("text/plain", b"x", "content type text/plain is not accepted for the document"),
        ("", b"x", "content type none is not accepted"),
        ("image/png", b"", "the document is empty"),
        ("image/png", b"x" * 11, "has 11 bytes; at most 10"),
    ],
)
def test_anything_else_is_refused_saying_why(content_type: str, content: bytes, says: str) -> None:
    with pytest.raises(DocumentRefused, match=says):
        accepted_content(content_type, content, 10)


def test_a_caller_names_its_document_and_its_own_problem_type() -> None:
    class ContractRefused(Conflict):
        slug = "contract-refused"

    with pytest.raises(ContractRefused, match="a signed contract is empty"):
        accepted_content("image/png", b"", 10, what="a signed contract", refused=ContractRefused)
