"""Who may take and see licences, and how bad input is answered."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from license.config import LicenseSettings
from shared.auth import OrgType
from tests.license.client import PROBLEM, accept, assert_problem, learned
from tests.license.factories import EventFeed, declaration_published, payment_body
from tests.support.stack import OPERATOR_SCOPES, org


async def test_only_a_licensee_with_a_uscc_takes_an_announced_licence(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "哈尔滨工业大学")
    published = declaration_published(university)
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)
    body = {"declaration_id": published.declaration_id}

    anonymous = await license_client.post("/v1/licenses", json=body)
    assert_problem(anonymous, 401, "unauthorized")
    bank = org(OrgType.BANK, "中国工商银行深圳分行")
    assert_problem(
        await license_client.post(
            "/v1/licenses", json=body, headers=bank.headers(license_settings)
        ),
        403,
        "forbidden",
        "bank",
    )
    no_code = org(OrgType.ENTERPRISE, "无信用代码的公司", with_uscc=False)
    assert_problem(
        await accept(license_client, license_settings, no_code, published.declaration_id),
        422,
        "license-licensee-uscc-missing",
        "无信用代码的公司",
    )
    assert_problem(
        await accept(license_client, license_settings, university, published.declaration_id),
        422,
        "license-licensee-is-patentee",
        published.application_number,
    )
    enterprise = org(OrgType.ENTERPRISE, "哈尔滨某装备制造有限公司")
    unknown = await accept(license_client, license_settings, enterprise, "no-such-declaration")
    assert_problem(unknown, 404, "declaration-unknown", "no-such-declaration")


async def test_a_licence_is_seen_by_its_parties_and_the_operator_only(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "西安交通大学")
    licensee = org(OrgType.ENTERPRISE, "西安隆基绿能科技股份有限公司")
    neighbour = org(OrgType.ENTERPRISE, "西安某光伏有限公司")
    operator = org(OrgType.OPERATOR, "平台运营方")
    ops = operator.headers(license_settings, scopes=OPERATOR_SCOPES)
    first = declaration_published(university)
    second = declaration_published(university)
    for published in (first, second):
        await feed.publish(published)
        await learned(license_client, license_settings, published.declaration_id)
    mine = (await accept(license_client, license_settings, licensee, first.declaration_id)).json()
    theirs = (
        await accept(license_client, license_settings, neighbour, second.declaration_id)
    ).json()

    url = f"/v1/licenses/{mine['id']}"
    for viewer, headers in (
        ("licensee", licensee.headers(license_settings)),
        ("patentee", university.headers(license_settings)),
        ("operator", ops),
    ):
        response = await license_client.get(url, headers=headers)
        assert response.status_code == 200, (viewer, response.text)
        assert response.json()["id"] == mine["id"]
    assert_problem(
        await license_client.get(url, headers=neighbour.headers(license_settings)),
        404,
        "not-found",
        mine["id"],
    )
    assert_problem(
        await license_client.get("/v1/licenses/nope", headers=ops), 404, "not-found", "nope"
    )

    async def listed(headers: dict[str, str], **params: Any) -> dict[str, Any]:
        response = await license_client.get("/v1/licenses", params=params, headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    own = await listed(licensee.headers(license_settings))
    assert [item["id"] for item in own["items"]] == [mine["id"]]
    granted = await listed(university.headers(license_settings))
    assert {item["id"] for item in granted["items"]} == {mine["id"], theirs["id"]}
    by_patent = await listed(ops, application_number="ZL" + first.application_number)
    assert [item["id"] for item in by_patent["items"]] == [mine["id"]]

    # Newest first, one page at a time.
    page = await listed(university.headers(license_settings), limit=1)
    assert [item["id"] for item in page["items"]] == [theirs["id"]]
    rest = await listed(university.headers(license_settings), limit=1, cursor=page["next_cursor"])
    assert [item["id"] for item in rest["items"]] == [mine["id"]]


async def test_a_licence_of_others_is_not_found_exactly_like_a_missing_one(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    # Whether a licence exists is its parties' business: an outsider gets, on reading and on
    # every action, the very answer an id that does not exist gets.
    university = org(OrgType.UNIVERSITY, "兰州大学")
    licensee = org(OrgType.ENTERPRISE, "兰州某新能源有限公司")
    outsider = org(OrgType.ENTERPRISE, "甘肃某化工有限公司")
    published = declaration_published(university)
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)
    licence = (
        await accept(license_client, license_settings, licensee, published.declaration_id)
    ).json()
    existing, missing = licence["id"], str(uuid.uuid4())
    headers = outsider.headers(license_settings)
    report = {"base_amount": {"amount": "1.00", "currency": "CNY"}}
    filing = {"filing_number": "2026620000001", "filed_on": "2026-12-01"}
    calls: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", "/v1/licenses/{}", None),
        ("GET", "/v1/licenses/{}/royalties", None),
        ("POST", "/v1/licenses/{}/payments", payment_body()),
        ("POST", "/v1/licenses/{}/filing", filing),
        ("POST", "/v1/licenses/{}/royalties/any-period/report", report),
    ]
    for method, path, body in calls:
        hidden = await license_client.request(
            method, path.format(existing), json=body, headers=headers
        )
        absent = await license_client.request(
            method, path.format(missing), json=body, headers=headers
        )
        assert hidden.status_code == absent.status_code == 404, (path, hidden.text)
        assert hidden.headers["content-type"] == absent.headers["content-type"] == PROBLEM
        assert hidden.text.replace(existing, "ID") == absent.text.replace(missing, "ID"), path
    # A party that may see the licence but not do this still learns why: 403.
    assert_problem(
        await license_client.post(
            f"/v1/licenses/{existing}/royalties/any-period/report",
            json=report,
            headers=university.headers(license_settings),
        ),
        403,
        "not-licensee",
    )


async def test_bad_input_is_a_problem_naming_the_field(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "四川大学")
    enterprise = org(OrgType.ENTERPRISE, "成都某医疗器械有限公司")
    headers = enterprise.headers(license_settings)
    published = declaration_published(university)
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)

    bodies: list[tuple[dict[str, Any], str]] = [
        ({"field_of_use": "医疗器械"}, "body.declaration_id"),
        ({"declaration_id": published.declaration_id, "exclusive": True}, "body.exclusive"),
        ({"declaration_id": published.declaration_id, "field_of_use": "医" * 201}, "field_of_use"),
        ({"declaration_id": 12345}, "body.declaration_id"),
    ]
    for body, field in bodies:
        response = await license_client.post("/v1/licenses", json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"] == PROBLEM
        problem = response.json()
        assert problem["type"].endswith("/validation-error")
        assert any(field in error["field"] for error in problem["errors"]), problem

    licence = (
        await accept(license_client, license_settings, enterprise, published.declaration_id)
    ).json()
    url = f"/v1/licenses/{licence['id']}/payments"
    good = payment_body()
    payments: list[tuple[dict[str, Any], str, str]] = [
        ({**good, "amount": {"amount": 50000.5, "currency": "CNY"}}, "amount.amount", "string"),
        ({**good, "amount": {"amount": "50000.00", "currency": "USD"}}, "currency", "CNY"),
        ({**good, "amount": {"amount": "-1", "currency": "CNY"}}, "amount.amount", "negative"),
        ({**good, "voucher_reference": "  "}, "voucher_reference", ""),
        ({**good, "voucher_reference": "V" * 101}, "voucher_reference", ""),
        ({**good, "paid_on": "23/11/2026"}, "paid_on", ""),
        ({**good, "note": "预付款"}, "body.note", ""),
        ({k: v for k, v in good.items() if k != "amount"}, "body.amount", ""),
    ]
    for body, field, word in payments:
        response = await license_client.post(url, json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"] == PROBLEM
        errors = response.json()["errors"]
        assert any(field in e["field"] and word in e["message"] for e in errors), errors
    still = await license_client.get(f"/v1/licenses/{licence['id']}", headers=headers)
    assert still.json()["status"] == "awaiting_payment"
    assert still.json()["payments"] == []
