"""Evidence documents through listing's API on the real stack."""

from __future__ import annotations

import base64
import hashlib

import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from tests.listing.factories import declaration_body
from tests.listing.test_declarations import declare, register
from tests.support.stack import org

PDF = "%PDF-1.7\n专利权评价报告 结论：全部权利要求未发现存在不符合授予专利权条件的缺陷".encode()


async def test_documents_are_kept_with_their_sha256_and_checked_when_referenced(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "四川大学")
    headers = owner.headers(listing_settings)
    number = await register(listing_client, listing_settings, owner)
    other = await register(listing_client, listing_settings, owner)
    uploaded = await listing_client.post(
        "/v1/documents",
        params={
            "application_number": number,
            "kind": "evaluation_report",
            "conclusion": "favourable",
            "filename": "评价报告.pdf",
        },
        content=PDF,
        headers={**headers, "content-type": "application/pdf"},
    )
    assert uploaded.status_code == 201, uploaded.text
    document = uploaded.json()
    assert document["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert document["size"] == len(PDF)
    assert document["filename"] == "评价报告.pdf"
    content = await listing_client.get(f"/v1/documents/{document['id']}/content", headers=headers)
    assert content.content == PDF
    digest = base64.b64encode(hashlib.sha256(PDF).digest()).decode()
    assert content.headers["repr-digest"] == f"sha-256=:{digest}:"

    # Evidence of another patent, or a document never uploaded, is refused by name.
    body = declaration_body(other)
    body["evidence"] = [document["id"]]
    draft = await listing_client.post("/v1/declarations", json=body, headers=headers)
    submitted = await listing_client.post(
        f"/v1/declarations/{draft.json()['id']}/submit", headers=headers
    )
    assert submitted.status_code == 422
    assert submitted.json()["type"].endswith("/declaration-evidence-for-another-patent")
    assert document["id"] in submitted.json()["detail"]
    body["evidence"] = ["00000000-0000-0000-0000-000000000000"]
    unknown = await declare(listing_client, listing_settings, owner, body)
    assert unknown.status_code == 422
    assert unknown.json()["type"].endswith("/document-unknown")


async def test_uploads_are_refused_with_what_is_wrong(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "重庆大学")
    number = await register(listing_client, listing_settings, owner)
    headers = owner.headers(listing_settings)
    cases = [
        ({"kind": "evaluation_report"}, PDF, "application/pdf", 422, "states its conclusion"),
        (
            {"kind": "co_owner_consent", "party_uscc": "91110000802100433B"},
            PDF,
            "application/pdf",
            422,
            "party_uscc",
        ),
        ({"kind": "other"}, PDF, "application/x-msdownload", 422, "content type"),
        ({"kind": "other"}, b"", "application/pdf", 422, "empty"),
        ({"kind": "invoice"}, PDF, "application/pdf", 422, "kind"),
    ]
    for params, content, media, status, says in cases:
        response = await listing_client.post(
            "/v1/documents",
            params={"application_number": number, **params},
            content=content,
            headers={**headers, "content-type": media},
        )
        assert response.status_code == status, (params, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert says in response.text, response.text
    stranger = org(OrgType.UNIVERSITY, "某大学")
    forbidden = await listing_client.post(
        "/v1/documents",
        params={"application_number": number, "kind": "other"},
        content=PDF,
        headers={**stranger.headers(listing_settings), "content-type": "application/pdf"},
    )
    assert forbidden.status_code == 403
