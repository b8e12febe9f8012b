"""A bank reads its own pledges' whole life, and nothing else, from its own topic.

The reader here is a plain aiokafka consumer, as a bank's system would be: no project
code decodes anything."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

from pledge.config import PledgeSettings
from shared.auth import OrgType
from shared.events import topics
from tests.pledge.factories import application, bank_action, known_patent, registered
from tests.support.stack import OPERATOR_SCOPES, org

Record = dict[str, Any]


async def read_bank_topic(
    bootstrap: str, topic: str, until: Callable[[list[Record]], bool], timeout: float = 20
) -> list[Record]:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", fetch_max_wait_ms=10
    )
    await consumer.start()
    records: list[Record] = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while not until(records):
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{topic}: got only {[r['type'] for r in records]}")
            for batch in (await consumer.getmany(timeout_ms=200)).values():
                for message in batch:
                    headers = {k: v.decode() for k, v in message.headers}
                    records.append(
                        {
                            "id": headers["ce_id"],
                            "type": headers["ce_type"],
                            "subject": headers.get("ce_subject"),
                            "key": message.key.decode() if message.key else None,
                            "data": json.loads(message.value),
                        }
                    )
        return records
    finally:
        await asyncio.wait_for(consumer.stop(), 10)


def first_copies(records: list[Record]) -> list[Record]:
    """Delivery is at least once: a bank keeps the first copy of each CloudEvents id (a
    partly acknowledged batch is sent again with the same ids)."""
    seen: set[str] = set()
    unique = []
    for record in records:
        if record["id"] not in seen:
            seen.add(record["id"])
            unique.append(record)
    return unique


async def test_a_bank_sees_the_whole_life_of_its_pledge_and_nothing_else(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "中山大学")
    bank = org(OrgType.BANK, "中山农商银行")
    other_bank = org(OrgType.BANK, "珠海华润银行")
    operator = org(OrgType.OPERATOR, "平台运营方")
    buyer = org(OrgType.ENTERPRISE, "中山某电子有限公司")
    s = pledge_settings
    number = await known_patent(pledge_client, s, registered([owner]))
    created = await pledge_client.post(
        "/v1/pledges", json=application(number, bank), headers=owner.headers(s)
    )
    pledge_id = created.json()["id"]

    programme = await pledge_client.post(
        "/v1/risk-programmes",
        json={
            "name": "中山市知识产权质押融资风险补偿资金池",
            "region_code": "442000",
            "budget": {"amount": "700000.00"},
            "shares": {"fund": "54", "bank": "26", "insurer": "16", "appraiser": "4"},
            "bank_org_ids": [bank.org_id],
        },
        headers=operator.headers(s, scopes=OPERATOR_SCOPES),
    )
    assert programme.status_code == 201, programme.text
    programme_id = programme.json()["id"]

    steps: list[tuple[str, dict[str, Any]]] = [
        ("approval", {"approved_on": "2026-11-21"}),
        ("consents", {"consent_to": "license", "recorded_on": "2026-11-21"}),
        ("registration", {"registration_number": "Y2026980000999", "registered_on": "2026-11-22"}),
        ("disbursement", {"amount": {"amount": "1500000.00"}, "disbursed_on": "2026-11-25"}),
        ("repayments", {"amount": {"amount": "265432.11"}, "repaid_on": "2027-05-25"}),
        ("overdue", {"overdue_since": "2027-08-26"}),
        ("default", {"defaulted_on": "2027-11-26"}),
        ("compensation-claim", {"programme_id": programme_id, "claimed_on": "2027-12-01"}),
        (
            "disposal",
            {"method": "auction", "valuation": {"amount": "900000.00"}, "started_on": "2028-01-05"},
        ),
        (
            "disposal/transfer",
            {
                "buyer": {"name": buyer.name, "uscc": buyer.uscc},
                "price": {"amount": "820000.00"},
                "transferred_on": "2028-03-01",
            },
        ),
        ("cancellation", {"reason": "realised", "cancelled_on": "2028-03-05"}),
    ]
    results = {}
    for action, body in steps:
        expect = 201 if action in ("consents", "compensation-claim") else 200
        results[action] = await bank_action(
            pledge_client, s, bank, pledge_id, action, body, expect=expect
        )

    # The claim split the outstanding 1,234,567.89 exactly 54 : 26 : 16 : 4.
    claim = results["compensation-claim"]
    assert claim["loss"]["amount"] == "1234567.89"
    assert {x["party"]: x["amount"]["amount"] for x in claim["shares"]} == {
        "fund": "666666.66",
        "bank": "320987.65",
        "insurer": "197530.86",
        "appraiser": "49382.72",
    }
    assert claim["fund_shortfall"]["amount"] == "0.00"
    left = await pledge_client.get(f"/v1/risk-programmes/{programme_id}", headers=bank.headers(s))
    assert left.json()["remaining_budget"]["amount"] == "33333.34"
    realised = results["disposal/transfer"]
    assert realised["status"] == "realised"
    assert realised["realisation_proceeds"]["amount"] == "820000.00"
    assert results["cancellation"]["status"] == "cancelled"

    life = [
        "pledge.submitted",
        "pledge.approved",
        "consent.recorded",
        "pledge.registered",
        "loan.disbursed",
        "loan.repayment_recorded",
        "loan.overdue",
        "pledge.defaulted",
        "compensation.claimed",
        "disposal.started",
        "disposal.transferred",
        "pledge.realised",
        "pledge.cancelled",
    ]
    expected = [f"cn.ipmarket.pledge.{t}.v1" for t in life]

    def whole_life(records: list[Record]) -> bool:
        return any(r["subject"] == pledge_id and r["type"] == expected[-1] for r in records)

    own = first_copies(
        await read_bank_topic(
            s.kafka_bootstrap_servers, topics.bank_pledge_topic(bank.org_id), whole_life
        )
    )
    assert [r["type"] for r in own] == expected
    assert {r["key"] for r in own} == {pledge_id}
    transferred = own[life.index("disposal.transferred")]["data"]
    assert transferred["buyer"]["uscc"] == buyer.uscc
    assert transferred["method"] == "auction"
    assert transferred["price"] == "820000.00"
    # The same events, with the same ids, on the internal topic.
    internal = await read_bank_topic(s.kafka_bootstrap_servers, topics.PLEDGE, whole_life)
    mine = first_copies([r for r in internal if r["subject"] == pledge_id])
    assert [r["id"] for r in mine] == [r["id"] for r in own]

    # A second bank's topic carries its own pledge and nothing of the first.
    other_number = await known_patent(pledge_client, s, registered([owner]))
    theirs = await pledge_client.post(
        "/v1/pledges", json=application(other_number, other_bank), headers=owner.headers(s)
    )
    other_id = theirs.json()["id"]
    seen = await read_bank_topic(
        s.kafka_bootstrap_servers,
        topics.bank_pledge_topic(other_bank.org_id),
        lambda records: any(r["subject"] == other_id for r in records),
    )
    assert {r["subject"] for r in seen} == {other_id}


async def broker_topics(bootstrap: str) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


async def test_onboarding_a_bank_creates_its_topic_before_any_pledge_names_it(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    s = pledge_settings
    bank = org(OrgType.BANK, "深圳农村商业银行")
    operator = org(OrgType.OPERATOR, "平台运营方")
    topic = topics.bank_pledge_topic(bank.org_id)
    assert topic not in await broker_topics(s.kafka_bootstrap_servers)

    onboarded = await pledge_client.put(f"/v1/banks/{bank.org_id}", headers=operator.headers(s))
    assert onboarded.status_code == 200, onboarded.text
    assert onboarded.json() == {"bank_org_id": bank.org_id, "topic": topic}
    assert topic in await broker_topics(s.kafka_bootstrap_servers)
    # Again, by the bank itself: the same answer, nothing else happens.
    again = await pledge_client.put(f"/v1/banks/{bank.org_id}", headers=bank.headers(s))
    assert again.status_code == 200, again.text
    assert again.json() == onboarded.json()
    # Another bank may not onboard it.
    other = org(OrgType.BANK, "珠海华润银行")
    refused = await pledge_client.put(f"/v1/banks/{bank.org_id}", headers=other.headers(s))
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/not-the-bank")

    # The bank's consumer subscribes right after onboarding, as a bank's system would, and
    # gets the first pledge naming the bank without waiting for a metadata refresh.
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=s.kafka_bootstrap_servers,
        group_id=f"ipmarket.bank.{bank.org_id}.onboarding",
        auto_offset_reset="earliest",
        fetch_max_wait_ms=10,
    )
    await consumer.start()
    try:
        owner = org(OrgType.UNIVERSITY, "深圳大学")
        number = await known_patent(pledge_client, s, registered([owner]))
        created = await pledge_client.post(
            "/v1/pledges", json=application(number, bank), headers=owner.headers(s)
        )
        assert created.status_code == 201, created.text
        message = await asyncio.wait_for(consumer.getone(), 20)
        assert dict(message.headers)["ce_type"] == b"cn.ipmarket.pledge.pledge.submitted.v1"
        assert message.key == created.json()["id"].encode()
    finally:
        await asyncio.wait_for(consumer.stop(), 10)
