"""Risk-compensation programmes through the API: split validation, eligibility, budget."""

from __future__ import annotations

from typing import Any

import httpx

from pledge.config import PledgeSettings
from shared.auth import OrgType
from tests.pledge.factories import assert_refused, bank_action, registered_pledge
from tests.support.stack import OPERATOR_SCOPES, Org, org


def programme(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "珠海市知识产权质押融资风险补偿基金",
        "region_code": "440400",
        "budget": {"amount": "100000.00"},
        "shares": {"fund": "40", "bank": "60"},
    }
    body.update(overrides)
    return body


async def defaulted(
    client: httpx.AsyncClient, settings: PledgeSettings, owner: Org, bank: Org
) -> str:
    pledge_id = await registered_pledge(client, settings, owner, bank)
    for action, body in (
        ("disbursement", {"amount": {"amount": "1000000.00"}, "disbursed_on": "2026-11-25"}),
        ("default", {"defaulted_on": "2027-11-26"}),
    ):
        await bank_action(client, settings, bank, pledge_id, action, body)
    return pledge_id


async def test_programme_split_eligibility_and_budget(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    s = pledge_settings
    operator = org(OrgType.OPERATOR, "平台运营方").headers(s, scopes=OPERATOR_SCOPES)
    owner = org(OrgType.UNIVERSITY, "北京理工大学珠海学院")
    bank = org(OrgType.BANK, "珠海华润银行")
    outsider = org(OrgType.BANK, "横琴某村镇银行")

    bad = await pledge_client.post(
        "/v1/risk-programmes",
        json=programme(shares={"fund": "54", "bank": "26", "insurer": "16", "appraiser": "3"}),
        headers=operator,
    )
    assert_refused(bad, 422, "risk-programme-shares-invalid", "99")
    assert_refused(
        await pledge_client.post("/v1/risk-programmes", json=programme(), headers=bank.headers(s)),
        403,
        "forbidden",
    )
    created = await pledge_client.post(
        "/v1/risk-programmes",
        json=programme(bank_org_ids=[bank.org_id], max_secured_amount={"amount": "5000000.00"}),
        headers=operator,
    )
    assert created.status_code == 201, created.text
    programme_id = created.json()["id"]

    first = await defaulted(pledge_client, s, owner, bank)
    outsiders = await defaulted(pledge_client, s, owner, outsider)
    claim = {"programme_id": programme_id, "claimed_on": "2027-12-01"}
    assert_refused(
        await pledge_client.post(
            f"/v1/pledges/{outsiders}/compensation-claim", json=claim, headers=outsider.headers(s)
        ),
        422,
        "risk-programme-not-eligible",
        outsider.org_id,
    )
    capped = await bank_action(
        pledge_client, s, bank, first, "compensation-claim", claim, expect=201
    )
    assert {x["party"]: x["amount"]["amount"] for x in capped["shares"]}["fund"] == "100000.00"
    assert {x["party"]: x["amount"]["amount"] for x in capped["shares"]}["bank"] == "900000.00"
    assert capped["fund_shortfall"]["amount"] == "300000.00"
    again = await pledge_client.post(
        f"/v1/pledges/{first}/compensation-claim", json=claim, headers=bank.headers(s)
    )
    assert_refused(again, 409, "invalid-state-transition", "compensation_claimed")
    seen = await pledge_client.get(
        f"/v1/pledges/{first}/compensation-claim", headers=owner.headers(s)
    )
    assert seen.json()["id"] == capped["id"]

    second = await defaulted(pledge_client, s, owner, bank)
    assert_refused(
        await pledge_client.post(
            f"/v1/pledges/{second}/compensation-claim", json=claim, headers=bank.headers(s)
        ),
        422,
        "risk-programme-budget-exhausted",
    )
    # Without a programme, a defaulted pledge goes straight to disposal.
    disposal = await bank_action(
        pledge_client,
        s,
        bank,
        second,
        "disposal",
        {"method": "sale", "started_on": "2028-01-05"},
    )
    assert disposal["status"] == "disposal"
    unknown = await pledge_client.post(
        f"/v1/pledges/{outsiders}/compensation-claim",
        json={**claim, "programme_id": "nope"},
        headers=outsider.headers(s),
    )
    assert_refused(unknown, 404, "not-found", "nope")
