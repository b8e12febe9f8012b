"""The patent catalogue through the HTTP API on the real stack."""

from __future__ import annotations

import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.errors import problem_type
from shared.events import topics
from tests.listing.factories import patent_body
from tests.support.stack import OPERATOR_SCOPES, application_number, org, read_topic

PROBLEM = "application/problem+json"


async def test_register_patent_normalises_number_and_publishes_event(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    tsinghua = org(OrgType.UNIVERSITY, "清华大学")
    number = application_number(2017, 1)
    raw = "CN " + number.replace(".", "")
    response = await listing_client.post(
        "/v1/patents",
        json=patent_body(tsinghua, application_number=raw, filing_date="2017-07-21"),
        headers=tsinghua.headers(listing_settings),
    )
    assert response.status_code == 201, response.text
    patent = response.json()
    assert patent["application_number"] == number
    assert patent["patent_number"] == "ZL" + number
    assert patent["patent_type"] == "invention"
    assert patent["expiry_date"] == "2037-07-20"
    assert patent["title"] == "一种锂离子电池健康状态在线检测方法"

    fetched = await listing_client.get(
        f"/v1/patents/ZL{number}", headers=tsinghua.headers(listing_settings)
    )
    assert fetched.status_code == 200
    assert fetched.json() == patent  # the read path shows what registering returned

    events = await read_topic(
        listing_settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda evs: any(e.subject == number for e in evs),
    )
    event = next(e for e in events if e.subject == number)
    assert event.type == "cn.ipmarket.listing.patent.registered.v1"
    assert event.partitionkey == number
    assert event.actor == tsinghua.org_id
    assert event.data["patentees"][0]["uscc"] == tsinghua.uscc


async def test_bad_check_digit_is_a_problem_naming_the_digit(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "浙江大学")
    good = application_number()
    wrong_digit = str((int(good[-1]) + 1) % 10) if good[-1] != "X" else "0"
    response = await listing_client.post(
        "/v1/patents",
        json=patent_body(owner, application_number=good[:-1] + wrong_digit),
        headers=owner.headers(listing_settings),
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    # The rule is named by the type, whether the number came in the body, path or query.
    assert problem["type"].endswith("/application-number-check-digit")
    assert "check digit" in problem["title"]
    assert "check digit" in problem["detail"]
    assert problem["errors"][0]["field"] == "body.application_number"
    assert problem["errors"][0]["type"] == problem["type"]
    headers = owner.headers(listing_settings)
    bad = good[:-1] + wrong_digit
    for url, field in [
        (f"/v1/patents/{bad}", "path.application_number"),
        (f"/v1/declarations?application_number={bad}", "query.application_number"),
    ]:
        response = await listing_client.get(url, headers=headers)
        assert response.status_code == 422, response.text
        assert response.json()["type"] == problem["type"], response.text
        assert [e["field"] for e in response.json()["errors"]] == [field]
    # With another error beside it the problem is the generic one; each error names its rule.
    response = await listing_client.post(
        "/v1/patents",
        json=patent_body(owner, application_number=bad, title=" "),
        headers=headers,
    )
    problem = response.json()
    assert problem["type"].endswith("/validation-error")
    assert [(e["field"], e.get("type")) for e in problem["errors"]] == [
        ("body.application_number", problem_type("application-number-check-digit")),
        ("body.title", None),
    ]


async def test_invalid_inputs_are_problems_never_500(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "复旦大学")
    headers = owner.headers(listing_settings)
    cases = [
        patent_body(owner, ipc_codes=["H04L-9/32"]),
        patent_body(owner, patentees=[]),
        patent_body(owner, state_funded="yes"),
        patent_body(owner, unknown_field=1),
        patent_body(owner, filing_date="2019-02-30"),
        patent_body(owner, application_number=application_number(2019, 2), term_adjustment_days=30),
        {**patent_body(owner), "patentees": [{"name": "甲", "uscc": "91350100M000100Y44"}]},
    ]
    for body in cases:
        response = await listing_client.post("/v1/patents", json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"] == PROBLEM
    broken = await listing_client.post(
        "/v1/patents", content=b"{not json", headers={**headers, "content-type": "application/json"}
    )
    assert broken.status_code == 422
    assert broken.headers["content-type"] == PROBLEM
    missing = await listing_client.get("/v1/patents/201710601862.3", headers=headers)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM
    unknown_route = await listing_client.get("/v1/nothing-here", headers=headers)
    assert unknown_route.status_code == 404
    assert unknown_route.headers["content-type"] == PROBLEM


async def test_authentication_and_roles(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "南京大学")
    body = patent_body(owner)
    anonymous = await listing_client.post("/v1/patents", json=body)
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    forged = await listing_client.post(
        "/v1/patents", json=body, headers={"Authorization": "Bearer not-a-token"}
    )
    assert forged.status_code == 401
    bank = org(OrgType.BANK, "中国工商银行北京分行")
    wrong_role = await listing_client.post(
        "/v1/patents", json=body, headers=bank.headers(listing_settings)
    )
    assert wrong_role.status_code == 403
    assert wrong_role.headers["content-type"] == PROBLEM
    stranger = org(OrgType.UNIVERSITY, "武汉大学")
    not_owner = await listing_client.post(
        "/v1/patents", json=body, headers=stranger.headers(listing_settings)
    )
    assert not_owner.status_code == 403
    assert not_owner.json()["type"].endswith("/not-patentee")


async def test_duplicate_registration_is_a_conflict(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.RESEARCH_INSTITUTE, "中国科学院物理研究所")
    body = patent_body(owner)
    headers = owner.headers(listing_settings)
    assert (await listing_client.post("/v1/patents", json=body, headers=headers)).status_code == 201
    again = await listing_client.post("/v1/patents", json=body, headers=headers)
    assert again.status_code == 409
    assert again.json()["type"].endswith("/patent-already-registered")


async def test_idempotency_key_replays_the_first_response(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "四川大学")
    headers = {**owner.headers(listing_settings), "Idempotency-Key": "reg-0001"}
    body = patent_body(owner)
    first = await listing_client.post("/v1/patents", json=body, headers=headers)
    assert first.status_code == 201
    second = await listing_client.post("/v1/patents", json=body, headers=headers)
    assert second.status_code == 201
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json() == first.json()
    other = await listing_client.post("/v1/patents", json=patent_body(owner), headers=headers)
    assert other.status_code == 422
    assert other.json()["type"].endswith("/idempotency-key-reused")


async def test_operator_records_status_and_it_is_published(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "中山大学")
    operator = org(OrgType.OPERATOR, "平台运营方")
    created = await listing_client.post(
        "/v1/patents", json=patent_body(owner), headers=owner.headers(listing_settings)
    )
    number = created.json()["application_number"]
    denied = await listing_client.patch(
        f"/v1/patents/{number}/status",
        json={"annual_fee_status": "unpaid"},
        headers=owner.headers(listing_settings),
    )
    assert denied.status_code == 403
    changed = await listing_client.patch(
        f"/v1/patents/{number}/status",
        json={"annual_fee_status": "unpaid", "reason": "年费滞纳"},
        headers=operator.headers(listing_settings, scopes=OPERATOR_SCOPES),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["annual_fee_status"] == "unpaid"
    events = await read_topic(
        listing_settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda evs: any(
            e.subject == number and e.type.endswith("status_changed.v1") for e in evs
        ),
    )
    change = next(e for e in events if e.type.endswith("status_changed.v1") and e.subject == number)
    assert change.data["reason"] == "年费滞纳"
