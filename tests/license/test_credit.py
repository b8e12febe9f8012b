"""Credit supervision through the HTTP API: the regulator records dishonest conduct with
evidence and a period, the party sees its record and objects, an upheld objection
revokes it; each record in force is imposed and each end lifted by events."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from license.config import LicenseSettings
from shared.auth import OrgType
from shared.domain.calendar import add_months
from shared.events import topics
from shared.events.schemas import CreditRestrictionImposed, CreditRestrictionLifted
from tests.license.client import assert_problem
from tests.support.stack import Org, org, read_topic, real_today

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


async def upload(
    client: httpx.AsyncClient, settings: LicenseSettings, who: Org, kind: str = "decision"
) -> str:
    response = await client.post(
        f"/v1/documents?kind={kind}&filename=认定文书.pdf",
        content=PDF,
        headers={**who.headers(settings), "content-type": "application/pdf"},
    )
    assert response.status_code == 201, response.text
    document_id: str = response.json()["id"]
    return document_id


def record_body(party: Org, evidence: list[str], **overrides: Any) -> dict[str, Any]:
    today = real_today()
    body: dict[str, Any] = {
        "party": {"uscc": party.uscc, "name": party.name},
        "kind": "royalty_unpaid_after_notice",
        "evidence": evidence,
        "facts": "经书面催告后逾期仍未支付提成费。",
        "period": {"from": str(today), "until": str(add_months(today, 12))},
    }
    return body | overrides


async def record(
    client: httpx.AsyncClient, settings: LicenseSettings, regulator: Org, party: Org
) -> dict[str, Any]:
    evidence = await upload(client, settings, regulator)
    response = await client.post(
        "/v1/credit-records",
        json=record_body(party, [evidence]),
        headers=regulator.headers(settings),
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_record_in_force_is_imposed_and_an_upheld_objection_lifts_it(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings
) -> None:
    regulator = org(OrgType.REGULATOR, "国家知识产权局")
    party = org(OrgType.ENTERPRISE, "深圳市新能储能科技有限公司")
    created = await record(license_client, license_settings, regulator, party)
    assert created["state"] == "in_force"
    assert created["history"][0]["action"] == "recorded"

    # The party sees its record and the evidence it cites; a stranger sees neither.
    seen = await license_client.get(
        f"/v1/credit-records/{created['id']}", headers=party.headers(license_settings)
    )
    assert seen.status_code == 200, seen.text
    document = await license_client.get(
        f"/v1/documents/{created['evidence'][0]}/content", headers=party.headers(license_settings)
    )
    assert document.status_code == 200
    assert document.content == PDF
    assert "sha-256=:" in document.headers["repr-digest"]
    stranger = org(OrgType.ENTERPRISE, "无关企业")
    for url in (f"/v1/credit-records/{created['id']}", f"/v1/documents/{created['evidence'][0]}"):
        hidden = await license_client.get(url, headers=stranger.headers(license_settings))
        assert_problem(hidden, 404, "not-found")
    listed = await license_client.get("/v1/credit-records", headers=party.headers(license_settings))
    assert [r["id"] for r in listed.json()["items"]] == [created["id"]]
    assert (
        await license_client.get("/v1/credit-records", headers=stranger.headers(license_settings))
    ).json()["items"] == []

    # The party objects; a second objection waits for the first's decision.
    statement = await upload(license_client, license_settings, party, "statement")
    objected = await license_client.post(
        f"/v1/credit-records/{created['id']}/objections",
        json={"grounds": "已按期足额支付，附银行回单。", "evidence": [statement]},
        headers=party.headers(license_settings),
    )
    assert objected.status_code == 201, objected.text
    again = await license_client.post(
        f"/v1/credit-records/{created['id']}/objections",
        json={"grounds": "再次异议"},
        headers=party.headers(license_settings),
    )
    assert_problem(again, 409, "credit-objection-pending")
    by_stranger = await license_client.post(
        f"/v1/credit-records/{created['id']}/objections",
        json={"grounds": "与我无关"},
        headers=stranger.headers(license_settings),
    )
    assert_problem(by_stranger, 404, "not-found")

    # Only the regulator decides; upheld revokes the record.
    decision_url = f"/v1/credit-records/{created['id']}/objections/{objected.json()['id']}/decision"
    by_party = await license_client.post(
        decision_url,
        json={"upheld": True, "reason": "我说成立"},
        headers=party.headers(license_settings),
    )
    assert_problem(by_party, 403, "regulator-only")
    decided = await license_client.post(
        decision_url,
        json={"upheld": True, "reason": "经核实已按期支付。"},
        headers=regulator.headers(license_settings),
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["state"] == "revoked"
    assert [c["action"] for c in decided.json()["history"]] == [
        "recorded",
        "objected",
        "objection upheld",
    ]
    assert decided.json()["objections"][0]["upheld"] is True

    def both(events: list[Any]) -> bool:
        return {e.type for e in events if e.data.get("record_id") == created["id"]} == {
            CreditRestrictionImposed.event_type,
            CreditRestrictionLifted.event_type,
        }

    events = await read_topic(license_settings.kafka_bootstrap_servers, topics.LICENSE, until=both)
    ours = [e for e in events if e.data.get("record_id") == created["id"]]
    imposed = next(e for e in ours if e.type == CreditRestrictionImposed.event_type)
    lifted = next(e for e in ours if e.type == CreditRestrictionLifted.event_type)
    assert imposed.data["party"]["uscc"] == party.uscc
    assert "facts" not in imposed.data
    assert "open_license_declaration" in imposed.data["restrictions"]
    assert lifted.data["reason"] == "objection_upheld"


async def test_bad_records_name_the_rule(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings
) -> None:
    regulator = org(OrgType.REGULATOR, "广东省知识产权局")
    party = org(OrgType.ENTERPRISE, "广州某某科技有限公司")
    headers = regulator.headers(license_settings)
    evidence = await upload(license_client, license_settings, regulator)
    today = real_today()
    cases = [
        (record_body(party, []), 422, "credit-evidence-required", "evidence"),
        (
            record_body(party, [evidence], period={"from": str(today), "until": str(today)}),
            422,
            "credit-period-out-of-bounds",
            "period.until",
        ),
        (
            record_body(
                party,
                [evidence],
                period={"from": str(today), "until": str(add_months(today, 37))},
            ),
            422,
            "credit-period-out-of-bounds",
            "36 months",
        ),
        (
            record_body(
                party,
                [evidence],
                period={
                    "from": str(today + timedelta(days=3)),
                    "until": str(add_months(today, 6)),
                },
            ),
            422,
            "credit-period-out-of-bounds",
            "period.from",
        ),
        (
            record_body(party, [evidence], kind="other", facts=None),
            422,
            "credit-facts-required",
            "",
        ),
        (record_body(party, ["not-a-document"]), 422, "document-unknown", "not-a-document"),
    ]
    for body, status, slug, word in cases:
        response = await license_client.post("/v1/credit-records", json=body, headers=headers)
        assert_problem(response, status, slug, word)
    bad_uscc = record_body(party, [evidence])
    bad_uscc["party"]["uscc"] = "91440300MA5F00000X"
    assert (
        await license_client.post("/v1/credit-records", json=bad_uscc, headers=headers)
    ).status_code == 422
    # Anyone but the regulator is refused, the operator included.
    for who in (org(OrgType.OPERATOR, "平台运营方"), party):
        refused = await license_client.post(
            "/v1/credit-records",
            json=record_body(party, [evidence]),
            headers=who.headers(license_settings),
        )
        assert_problem(refused, 403, "regulator-only")


async def test_documents_are_refused_by_type_and_emptiness(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings
) -> None:
    party = org(OrgType.ENTERPRISE, "上传方")
    headers = party.headers(license_settings)
    for content, content_type in ((b"hello", "text/plain"), (b"", "application/pdf")):
        response = await license_client.post(
            "/v1/documents?kind=statement",
            content=content,
            headers={**headers, "content-type": content_type},
        )
        assert_problem(response, 422, "document-refused")


async def test_the_regulator_revokes_and_a_revoked_record_takes_no_objection(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings
) -> None:
    regulator = org(OrgType.REGULATOR, "国家知识产权局")
    party = org(OrgType.UNIVERSITY, "某某大学")
    created = await record(license_client, license_settings, regulator, party)
    url = f"/v1/credit-records/{created['id']}"
    revoked = await license_client.post(
        f"{url}/revocation",
        json={"reason": "认定有误"},
        headers=regulator.headers(license_settings),
    )
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["state"] == "revoked"
    objected = await license_client.post(
        f"{url}/objections", json={"grounds": "异议"}, headers=party.headers(license_settings)
    )
    assert_problem(objected, 409, "credit-record-state")
    again = await license_client.post(
        f"{url}/revocation", json={"reason": "再撤"}, headers=regulator.headers(license_settings)
    )
    assert_problem(again, 409, "credit-record-state")
