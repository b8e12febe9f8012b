"""Who may learn that a pledge, a policy, a claim or a valuation exists: a caller that may
not see one gets the 404 a missing id gets, word for word; 403 is kept for a caller that
sees it but may not do this, and for what is public anyway (products, programmes)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from pledge.config import PledgeSettings
from shared.auth import OrgType
from tests.pledge.factories import application, known_patent, registered, registered_pledge
from tests.support.stack import Org, org, uscc

# Every action on a pledge, with a body it accepts: each answers a caller that may not see
# the pledge before it looks at the pledge's state.
BANK_ACTIONS: dict[str, dict[str, Any]] = {
    "approval": {"approved_on": "2026-11-21"},
    "refusal": {"reason": "资料不全"},
    "correction-request": {"reason": "请补充共有人书面同意书"},
    "registration": {"registration_number": "Y2026980000999", "registered_on": "2026-11-20"},
    "cancellation": {"reason": "repaid", "cancelled_on": "2026-12-01"},
    "changes": {"secured_amount": {"amount": "2000000.00"}, "changed_on": "2026-12-01"},
    "disbursement": {"amount": {"amount": "1000000.00"}, "disbursed_on": "2026-12-01"},
    "repayments": {"amount": {"amount": "1000.00"}, "repaid_on": "2026-12-01"},
    "overdue": {"overdue_since": "2026-12-01"},
    "default": {"defaulted_on": "2026-12-01"},
    "compensation-claim": {"programme_id": "programme-1", "claimed_on": "2026-12-01"},
    "disposal": {"method": "auction", "started_on": "2026-12-01"},
    "disposal/transfer": {
        "buyer": {"name": "北京某科技有限公司", "uscc": uscc("91110108")},
        "price": {"amount": "800000.00"},
        "transferred_on": "2026-12-01",
    },
    "consents": {"consent_to": "license", "recorded_on": "2026-12-01"},
    "valuation": {},
}
READS = ("", "/consents", "/compensation-claim")
PLEDGOR_ACTIONS: dict[str, dict[str, Any]] = {"submission": {}, "resubmission": {}}


def assert_same_not_found(
    hidden: httpx.Response, missing: httpx.Response, ids: tuple[str, str]
) -> None:
    """``hidden`` (an existing resource the caller may not see) answers exactly like
    ``missing`` (an id that does not exist), up to the id itself."""
    assert hidden.status_code == 404, hidden.text
    assert missing.status_code == 404, missing.text
    assert hidden.headers["content-type"] == missing.headers["content-type"]
    existing, absent = ids
    assert hidden.text.replace(existing, "ID") == missing.text.replace(absent, "ID")


async def test_another_banks_pledge_is_not_found_exactly_like_a_missing_one(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    s = pledge_settings
    owner = org(OrgType.UNIVERSITY, "四川大学")
    bank = org(OrgType.BANK, "成都银行")
    other_bank = org(OrgType.BANK, "重庆农村商业银行")
    stranger = org(OrgType.UNIVERSITY, "西南交通大学")
    number = await known_patent(pledge_client, s, registered([owner]))
    created = await pledge_client.post(
        "/v1/pledges", json=application(number, bank), headers=owner.headers(s)
    )
    assert created.status_code == 201, created.text
    pledge_id = created.json()["id"]
    missing = str(uuid.uuid4())
    ids = (pledge_id, missing)

    for who in (other_bank, stranger):
        for read in READS:
            hidden = await pledge_client.get(
                f"/v1/pledges/{pledge_id}{read}", headers=who.headers(s)
            )
            absent = await pledge_client.get(f"/v1/pledges/{missing}{read}", headers=who.headers(s))
            assert_same_not_found(hidden, absent, ids)
    for action, body in BANK_ACTIONS.items():
        hidden = await pledge_client.post(
            f"/v1/pledges/{pledge_id}/{action}", json=body, headers=other_bank.headers(s)
        )
        absent = await pledge_client.post(
            f"/v1/pledges/{missing}/{action}", json=body, headers=other_bank.headers(s)
        )
        assert_same_not_found(hidden, absent, ids)
    for action, body in PLEDGOR_ACTIONS.items():
        hidden = await pledge_client.post(
            f"/v1/pledges/{pledge_id}/{action}", json=body, headers=stranger.headers(s)
        )
        absent = await pledge_client.post(
            f"/v1/pledges/{missing}/{action}", json=body, headers=stranger.headers(s)
        )
        assert_same_not_found(hidden, absent, ids)

    # The pledge's own parties still see it.
    for who in (owner, bank):
        seen = await pledge_client.get(f"/v1/pledges/{pledge_id}", headers=who.headers(s))
        assert seen.status_code == 200, seen.text


async def test_a_policy_its_claims_and_a_valuation_are_not_found_by_outsiders(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    s = pledge_settings
    insurer = org(OrgType.INSURER, "中国太平洋财产保险股份有限公司")
    other_insurer = org(OrgType.INSURER, "中华联合财产保险股份有限公司")
    owner = org(OrgType.UNIVERSITY, "重庆邮电大学")
    bank = org(OrgType.BANK, "重庆银行")
    outsider = org(OrgType.ENTERPRISE, "重庆某物流有限公司")
    pledge_id = await registered_pledge(pledge_client, s, owner, bank)
    product = await pledge_client.post(
        "/v1/insurance-products",
        json={
            "kind": "pledge_financing_guarantee",
            "name": "专利权质押融资保证保险",
            "premium_rate_percent": "1.2",
            "max_coverage": {"amount": "5000000.00"},
        },
        headers=insurer.headers(s),
    )
    policy = await pledge_client.post(
        "/v1/insurance-policies",
        json={
            "product_id": product.json()["id"],
            "insured": {"org_id": bank.org_id, "name": bank.name},
            "pledge_id": pledge_id,
            "coverage": {"amount": "3000000.00"},
            "starts_on": "2026-11-25",
            "ends_on": "2029-06-30",
        },
        headers=insurer.headers(s),
    )
    assert policy.status_code == 201, policy.text
    policy_id = policy.json()["id"]
    claim_body = {
        "amount": {"amount": "100000.00"},
        "incurred_on": "2027-12-01",
        "description": "借款人违约",
    }
    claim = await pledge_client.post(
        f"/v1/insurance-policies/{policy_id}/claims", json=claim_body, headers=bank.headers(s)
    )
    assert claim.status_code == 201, claim.text
    claim_id = claim.json()["id"]
    missing = str(uuid.uuid4())

    async def compare(who: Org, method: str, path: str, existing: str, **kw: Any) -> None:
        hidden = await pledge_client.request(
            method, path.format(existing), headers=who.headers(s), **kw
        )
        absent = await pledge_client.request(
            method, path.format(missing), headers=who.headers(s), **kw
        )
        assert_same_not_found(hidden, absent, (existing, missing))

    # The pledgor is not party to the bank's policy; an outsider to anything.
    for who in (outsider, owner, other_insurer):
        await compare(who, "GET", "/v1/insurance-policies/{}", policy_id)
        await compare(who, "GET", "/v1/insurance-claims/{}", claim_id)
    for who in (outsider, owner):
        await compare(who, "POST", "/v1/insurance-policies/{}/claims", policy_id, json=claim_body)
    for action, body in (
        ("approval", {"approved_amount": {"amount": "1.00"}}),
        ("rejection", {"reason": "超出保险责任范围"}),
        ("payment", {"paid_on": "2028-01-10"}),
    ):
        await compare(
            other_insurer, "POST", f"/v1/insurance-claims/{{}}/{action}", claim_id, json=body
        )

    valuation = await pledge_client.post(
        f"/v1/pledges/{pledge_id}/valuation", json={}, headers=bank.headers(s)
    )
    assert valuation.status_code == 201, valuation.text
    await compare(outsider, "GET", "/v1/valuations/{}", valuation.json()["id"])
