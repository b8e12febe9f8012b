"""Pledge registrations through the HTTP API on the real stack."""

from __future__ import annotations

import asyncio
import re
import uuid

import httpx

from pledge.config import PledgeSettings
from shared.auth import OrgType
from shared.events import topics
from shared.events.schemas import PatentStatusChanged
from tests.pledge.factories import (
    about,
    application,
    assert_refused,
    known_patent,
    publish,
    registered,
)
from tests.support.stack import (
    OPERATOR_SCOPES,
    application_number,
    eventually,
    org,
    read_topic,
)


async def test_every_refusal_rule(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "深圳大学")
    partner = org(OrgType.ENTERPRISE, "深圳某材料科技有限公司")
    stranger = org(OrgType.UNIVERSITY, "无关大学")
    bank = org(OrgType.BANK, "中国工商银行深圳分行")
    headers = owner.headers(pledge_settings)

    unknown = await pledge_client.post(
        "/v1/pledges", json=application(application_number(), bank), headers=headers
    )
    assert_refused(unknown, 422, "pledge-patent-unknown", "unknown", "retry shortly")

    good = await known_patent(pledge_client, pledge_settings, registered([owner]))
    assert_refused(
        await pledge_client.post(
            "/v1/pledges", json=application(good, bank), headers=stranger.headers(pledge_settings)
        ),
        422,
        "pledge-pledgor-not-patentee",
        good,
    )
    assert_refused(
        await pledge_client.post(
            "/v1/pledges", json=application(good, bank, has_forfeiture_clause=True), headers=headers
        ),
        422,
        "pledge-forfeiture-clause",
        "流质条款",
    )
    assert_refused(
        await pledge_client.post(
            "/v1/pledges", json=application(good, bank, debt_term_end="2039-01-01"), headers=headers
        ),
        422,
        "pledge-debt-term-past-expiry",
        "2038-06-14",
    )
    for overrides, slug, word in (
        ({"legal_status": "lapsed"}, "pledge-patent-not-valid", "lapsed"),
        ({"legal_status": "pending"}, "pledge-patent-not-valid", "pending"),
        ({"annual_fee_status": "unpaid"}, "pledge-annual-fees-unpaid", "unpaid"),
        ({"suspended": True}, "pledge-patent-suspended", "suspended"),
        ({"under_preservation": True}, "pledge-patent-suspended", "preservation"),
    ):
        number = await known_patent(
            pledge_client, pledge_settings, registered([owner], **overrides)
        )
        assert_refused(
            await pledge_client.post(
                "/v1/pledges", json=application(number, bank), headers=headers
            ),
            422,
            slug,
            word,
        )
    shared_patent = await known_patent(pledge_client, pledge_settings, registered([owner, partner]))
    assert_refused(
        await pledge_client.post(
            "/v1/pledges", json=application(shared_patent, bank), headers=headers
        ),
        422,
        "pledge-co-owner-consent-missing",
        str(partner.uscc),
    )
    consented = await pledge_client.post(
        "/v1/pledges",
        json=application(shared_patent, bank, co_owner_consents=[partner.uscc]),
        headers=headers,
    )
    assert consented.status_code == 201, consented.text


async def test_status_changes_reach_the_view(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "华南理工大学")
    bank = org(OrgType.BANK, "招商银行广州分行")
    number = await known_patent(pledge_client, pledge_settings, registered([owner]))
    await publish(
        pledge_settings,
        PatentStatusChanged(
            application_number=number,
            legal_status="invalidated",
            annual_fee_status="paid",
            suspended=False,
            under_preservation=False,
            reason="无效宣告",
        ),
    )

    async def refused() -> bool:
        response = await pledge_client.post(
            "/v1/pledges", json=application(number, bank), headers=owner.headers(pledge_settings)
        )
        return response.json().get("type", "").endswith("/pledge-patent-not-valid")

    await eventually(refused)


async def test_register_publish_cancel_and_visibility(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "中山大学")
    bank = org(OrgType.BANK, "中国银行广东省分行")
    other_bank = org(OrgType.BANK, "中国建设银行广东省分行")
    operator = org(OrgType.OPERATOR, "平台运营方")
    number = await known_patent(pledge_client, pledge_settings, registered([owner]))
    created = await pledge_client.post(
        "/v1/pledges", json=application(number, bank), headers=owner.headers(pledge_settings)
    )
    assert created.status_code == 201
    pledge = created.json()
    assert pledge["status"] == "submitted"
    assert pledge["secured_amount"] == {"amount": "3000000.00", "currency": "CNY"}
    path = f"/v1/pledges/{pledge['id']}"

    foreign = await pledge_client.post(
        f"{path}/registration",
        json={"registration_number": "Y1", "registered_on": "2026-11-20"},
        headers=other_bank.headers(pledge_settings),
    )
    assert_refused(foreign, 404, "not-found", pledge["id"])
    done = await pledge_client.post(
        f"{path}/registration",
        json={"registration_number": "Y2026980000123", "registered_on": "2026-11-20"},
        headers=bank.headers(pledge_settings),
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "registered"

    assert (
        await pledge_client.get(path, headers=other_bank.headers(pledge_settings))
    ).status_code == 404
    assert (
        await pledge_client.get(path, headers=owner.headers(pledge_settings))
    ).status_code == 200
    ops = operator.headers(pledge_settings, scopes=OPERATOR_SCOPES)
    assert (await pledge_client.get(path, headers=ops)).status_code == 200
    mine = await pledge_client.get("/v1/pledges", headers=bank.headers(pledge_settings))
    assert [p["id"] for p in mine.json()["items"]] == [pledge["id"]]
    theirs = await pledge_client.get("/v1/pledges", headers=other_bank.headers(pledge_settings))
    assert theirs.json()["items"] == []

    again = await pledge_client.post(
        "/v1/pledges", json=application(number, other_bank), headers=owner.headers(pledge_settings)
    )
    assert_refused(again, 409, "pledge-already-pledged", number)

    cancelled = await pledge_client.post(
        f"{path}/cancellation",
        json={"reason": "repaid", "cancelled_on": "2027-01-05"},
        headers=bank.headers(pledge_settings),
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    twice = await pledge_client.post(
        f"{path}/cancellation",
        json={"reason": "repaid", "cancelled_on": "2027-01-05"},
        headers=bank.headers(pledge_settings),
    )
    assert_refused(twice, 409, "invalid-state-transition", "cancelled")

    events = await read_topic(
        pledge_settings.kafka_bootstrap_servers,
        topics.PLEDGE,
        until=lambda evs: any(
            e.subject == pledge["id"] and e.type.endswith("cancelled.v1") for e in evs
        ),
    )
    mine_events = about(events, pledge["id"])
    assert [e.type for e in mine_events] == [
        "cn.ipmarket.pledge.pledge.submitted.v1",
        "cn.ipmarket.pledge.pledge.registered.v1",
        "cn.ipmarket.pledge.pledge.cancelled.v1",
    ]
    assert mine_events[1].data["registration_number"] == "Y2026980000123"
    assert mine_events[1].data["pledgee"]["org_id"] == bank.org_id
    assert mine_events[1].partitionkey == pledge["id"]


async def test_two_pledges_racing_for_one_patent_end_with_one_registered(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "华中科技大学")
    banks = [org(OrgType.BANK, "湖北银行"), org(OrgType.BANK, "汉口银行")]
    number = await known_patent(pledge_client, pledge_settings, registered([owner]))
    ids = []
    for bank in banks:
        response = await pledge_client.post(
            "/v1/pledges", json=application(number, bank), headers=owner.headers(pledge_settings)
        )
        assert response.status_code == 201
        ids.append(response.json()["id"])
    results = await asyncio.gather(
        *(
            pledge_client.post(
                f"/v1/pledges/{pledge_id}/registration",
                json={"registration_number": f"Y{i}", "registered_on": "2026-11-20"},
                headers=bank.headers(pledge_settings),
            )
            for i, (pledge_id, bank) in enumerate(zip(ids, banks, strict=True))
        )
    )
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200, 409], [r.text for r in results]
    loser = next(r for r in results if r.status_code == 409)
    assert loser.json()["type"].endswith("/pledge-already-pledged")


async def test_redelivery_and_bad_input(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "重庆大学")
    bank = org(OrgType.BANK, "重庆银行")
    event = registered([owner])
    event_id = str(uuid.uuid4())
    await publish(pledge_settings, event, event_id)
    await known_patent(pledge_client, pledge_settings, event)
    # The same event again, now claiming a lapse: a redelivery has no second effect. Wait
    # until the consumer has taken it (as a duplicate) before checking: a patent of its
    # own as a marker would have another key, so maybe another partition, read sooner.
    group = pledge_settings.kafka_consumer_group or ""
    before = _duplicates(await _metrics(pledge_client), group, event.event_type)
    await publish(pledge_settings, event.model_copy(update={"legal_status": "lapsed"}), event_id)

    async def redelivery_taken() -> bool:
        text = await _metrics(pledge_client)
        return _duplicates(text, group, event.event_type) >= before + 1

    await eventually(redelivery_taken)
    ok = await pledge_client.post(
        "/v1/pledges",
        json=application(event.application_number, bank),
        headers=owner.headers(pledge_settings),
    )
    assert ok.status_code == 201, ok.text

    headers = owner.headers(pledge_settings)
    for body in (
        application(
            event.application_number, bank, secured_amount={"amount": 3000000.5, "currency": "CNY"}
        ),
        application(event.application_number, bank, has_forfeiture_clause="no"),
        application(event.application_number, bank, application_numbers=[]),
        application(event.application_number, bank, extra=1),
        application("201710601862.7", bank),
    ):
        response = await pledge_client.post("/v1/pledges", json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    assert (
        await pledge_client.post("/v1/pledges", json=application(event.application_number, bank))
    ).status_code == 401
    assert (
        await pledge_client.post(
            "/v1/pledges",
            json=application(event.application_number, bank),
            headers=bank.headers(pledge_settings),
        )
    ).status_code == 403


async def _metrics(client: httpx.AsyncClient) -> str:
    return (await client.get("/metrics")).text


def _duplicates(metrics: str, group: str, event_type: str) -> float:
    """How many events of ``event_type`` the consumer group took as duplicates."""
    pattern = re.compile(
        r'^ipmarket_events_consumed_total\{(?=[^}]*group="' + re.escape(group) + r'")'
        r'(?=[^}]*event_type="' + re.escape(event_type) + r'")'
        r'(?=[^}]*outcome="duplicate")[^}]*\} ([0-9.e+]+)$',
        re.MULTILINE,
    )
    return sum(float(m) for m in pattern.findall(metrics))
