"""Insurance products, policies and claims through the API on the real stack."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import httpx

from pledge.config import PledgeSettings
from shared.auth import OrgType
from shared.events import topics
from shared.events.schemas import LicenseGranted, LicenseKind, OrgRef
from tests.pledge.factories import (
    about,
    application,
    assert_refused,
    bank_action,
    known_patent,
    publish,
    registered,
    registered_pledge,
)
from tests.support.stack import Org, application_number, eventually, org, read_topic


async def post(
    client: httpx.AsyncClient,
    settings: PledgeSettings,
    who: Org,
    path: str,
    body: dict[str, Any],
    expect: int,
) -> dict[str, Any]:
    response = await client.post(path, json=body, headers=who.headers(settings))
    assert response.status_code == expect, (path, response.text)
    result: dict[str, Any] = response.json()
    return result


async def test_guarantee_insurance_on_a_pledge_from_policy_to_paid_claim(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    s = pledge_settings
    insurer = org(OrgType.INSURER, "中国人民财产保险股份有限公司深圳分公司")
    other_insurer = org(OrgType.INSURER, "平安财产保险")
    owner = org(OrgType.UNIVERSITY, "南方科技大学")
    bank = org(OrgType.BANK, "深圳农村商业银行")
    pledge_id = await registered_pledge(pledge_client, s, owner, bank)

    assert_refused(
        await pledge_client.post(
            "/v1/insurance-products",
            json={
                "kind": "pledge_financing_guarantee",
                "name": "x",
                "premium_rate_percent": "1",
                "max_coverage": {"amount": "1.00"},
            },
            headers=bank.headers(s),
        ),
        403,
        "forbidden",
    )
    product = await post(
        pledge_client,
        s,
        insurer,
        "/v1/insurance-products",
        {
            "kind": "pledge_financing_guarantee",
            "name": "专利权质押融资保证保险",
            "premium_rate_percent": "1.5",
            "max_coverage": {"amount": "5000000.00"},
        },
        201,
    )
    policy_body = {
        "product_id": product["id"],
        "insured": {"org_id": bank.org_id, "name": bank.name},
        "pledge_id": pledge_id,
        "coverage": {"amount": "3000000.00"},
        "starts_on": "2026-11-25",
        "ends_on": "2029-06-30",
    }
    assert_refused(
        await pledge_client.post(
            "/v1/insurance-policies",
            json={**policy_body, "license_id": "lic-1"},
            headers=insurer.headers(s),
        ),
        422,
        "insurance-policy-subject-mismatch",
        "pledge_id",
    )
    assert_refused(
        await pledge_client.post(
            "/v1/insurance-policies",
            json={**policy_body, "coverage": {"amount": "5000000.01"}},
            headers=insurer.headers(s),
        ),
        422,
        "insurance-coverage-above-product-maximum",
        "5000000.00",
    )
    assert_refused(
        await pledge_client.post(
            "/v1/insurance-policies", json=policy_body, headers=other_insurer.headers(s)
        ),
        403,
        "not-the-insurer",
    )
    assert_refused(
        await pledge_client.post(
            "/v1/insurance-policies",
            json={**policy_body, "ends_on": "2026-11-25"},
            headers=insurer.headers(s),
        ),
        422,
        "validation-error",
    )
    policy = await post(pledge_client, s, insurer, "/v1/insurance-policies", policy_body, 201)
    assert policy["premium"]["amount"] == "45000.00"
    assert policy["application_numbers"]

    claims_path = f"/v1/insurance-policies/{policy['id']}/claims"
    assert_refused(
        await pledge_client.post(
            claims_path,
            json={"amount": {"amount": "1.00"}, "incurred_on": "2029-07-01", "description": "x"},
            headers=bank.headers(s),
        ),
        422,
        "insurance-claim-outside-policy-period",
        "2029-06-30",
    )
    assert_refused(
        await pledge_client.post(
            claims_path,
            json={"amount": {"amount": "1.00"}, "incurred_on": "2027-12-01", "description": "x"},
            headers=owner.headers(s),
        ),
        404,
        "not-found",
    )
    claim = await post(
        pledge_client,
        s,
        bank,
        claims_path,
        {
            "amount": {"amount": "2000000.00"},
            "incurred_on": "2027-12-01",
            "description": "借款人违约",
        },
        201,
    )
    assert claim["status"] == "filed"
    approval = f"/v1/insurance-claims/{claim['id']}/approval"
    assert_refused(
        await pledge_client.post(
            approval, json={"approved_amount": {"amount": "2000000.01"}}, headers=insurer.headers(s)
        ),
        422,
        "insurance-claim-exceeds-coverage",
    )
    approved = await post(
        pledge_client, s, insurer, approval, {"approved_amount": {"amount": "1800000.00"}}, 200
    )
    assert approved["status"] == "approved"
    paid = await post(
        pledge_client,
        s,
        insurer,
        f"/v1/insurance-claims/{claim['id']}/payment",
        {"paid_on": "2028-01-10"},
        200,
    )
    assert paid["status"] == "paid"
    assert_refused(
        await pledge_client.post(
            f"/v1/insurance-claims/{claim['id']}/payment",
            json={"paid_on": "2028-01-11"},
            headers=insurer.headers(s),
        ),
        409,
        "invalid-state-transition",
        "paid",
    )

    second = await post(
        pledge_client,
        s,
        bank,
        claims_path,
        {"amount": {"amount": "1500000.00"}, "incurred_on": "2028-02-01", "description": "追加"},
        201,
    )
    over = await pledge_client.post(
        f"/v1/insurance-claims/{second['id']}/approval",
        json={"approved_amount": {"amount": "1200000.01"}},
        headers=insurer.headers(s),
    )
    assert_refused(over, 422, "insurance-claim-exceeds-coverage", "1200000.00")
    rejected = await post(
        pledge_client,
        s,
        insurer,
        f"/v1/insurance-claims/{second['id']}/rejection",
        {"reason": "超出保险责任范围"},
        200,
    )
    assert rejected["rejection_reason"] == "超出保险责任范围"
    seen = await pledge_client.get(
        f"/v1/insurance-policies/{policy['id']}", headers=bank.headers(s)
    )
    assert seen.json()["committed"]["amount"] == "1800000.00"

    events = await read_topic(
        s.kafka_bootstrap_servers,
        topics.bank_pledge_topic(bank.org_id),
        until=lambda evs: any(e.type.endswith("insurance_claim.rejected.v1") for e in evs),
    )
    assert [e.type.removeprefix("cn.ipmarket.pledge.") for e in about(events, policy["id"])] == [
        "insurance_policy.issued.v1",
        "insurance_claim.filed.v1",
        "insurance_claim.approved.v1",
        "insurance_claim.paid.v1",
        "insurance_claim.filed.v1",
        "insurance_claim.rejected.v1",
    ]


async def test_overseas_enforcement_needs_a_known_patent(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    s = pledge_settings
    insurer = org(OrgType.INSURER, "中国出口信用保险公司")
    enterprise = org(OrgType.ENTERPRISE, "深圳某通信设备有限公司")
    product = await post(
        pledge_client,
        s,
        insurer,
        "/v1/insurance-products",
        {
            "kind": "overseas_enforcement",
            "name": "海外知识产权维权保险",
            "premium_rate_percent": "2",
            "max_coverage": {"amount": "1000000.00"},
        },
        201,
    )
    unknown = application_number()
    body = {
        "product_id": product["id"],
        "insured": {"org_id": enterprise.org_id, "name": enterprise.name},
        "application_number": unknown,
        "coverage": {"amount": "500000.00"},
        "starts_on": "2027-01-01",
        "ends_on": "2028-01-01",
    }
    assert_refused(
        await pledge_client.post("/v1/insurance-policies", json=body, headers=insurer.headers(s)),
        422,
        "pledge-patent-unknown",
        unknown,
    )
    assert_refused(
        await pledge_client.post(
            "/v1/insurance-policies",
            json={**body, "application_number": None, "pledge_id": "p-1"},
            headers=insurer.headers(s),
        ),
        422,
        "insurance-policy-subject-mismatch",
        "application_number",
    )


async def test_no_guarantee_insurance_on_a_refused_pledge(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    s = pledge_settings
    insurer = org(OrgType.INSURER, "太平财产保险")
    owner = org(OrgType.UNIVERSITY, "深圳大学")
    bank = org(OrgType.BANK, "深圳前海微众银行")
    number = await known_patent(pledge_client, s, registered([owner]))
    created = await pledge_client.post(
        "/v1/pledges", json=application(number, bank), headers=owner.headers(s)
    )
    pledge_id = created.json()["id"]
    await bank_action(pledge_client, s, bank, pledge_id, "refusal", {"reason": "不符合授信条件"})
    product = await post(
        pledge_client,
        s,
        insurer,
        "/v1/insurance-products",
        {
            "kind": "pledge_financing_guarantee",
            "name": "专利权质押融资保证保险",
            "premium_rate_percent": "1.2",
            "max_coverage": {"amount": "5000000.00"},
        },
        201,
    )
    refused = await pledge_client.post(
        "/v1/insurance-policies",
        json={
            "product_id": product["id"],
            "insured": {"org_id": bank.org_id, "name": bank.name},
            "pledge_id": pledge_id,
            "coverage": {"amount": "1000000.00"},
            "starts_on": "2026-12-01",
            "ends_on": "2027-12-01",
        },
        headers=insurer.headers(s),
    )
    assert_refused(refused, 409, "insurance-policy-subject-inactive", "refused")


async def test_open_license_transaction_insurance_is_bound_to_a_known_licence(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    s = pledge_settings
    insurer = org(OrgType.INSURER, "中国人寿财产保险")
    owner = org(OrgType.UNIVERSITY, "浙江大学")
    licensee = org(OrgType.ENTERPRISE, "杭州某新材料有限公司")
    number = await known_patent(pledge_client, s, registered([owner]))
    product = await post(
        pledge_client,
        s,
        insurer,
        "/v1/insurance-products",
        {
            "kind": "open_license_transaction",
            "name": "专利开放许可交易保险",
            "premium_rate_percent": "0.8",
            "max_coverage": {"amount": "200000.00"},
        },
        201,
    )
    license_id = str(uuid.uuid4())
    body = {
        "product_id": product["id"],
        "insured": {"org_id": licensee.org_id, "name": licensee.name},
        "license_id": license_id,
        "coverage": {"amount": "50000.00"},
        "starts_on": "2026-12-01",
        "ends_on": "2027-12-01",
    }
    unknown = await pledge_client.post(
        "/v1/insurance-policies", json=body, headers=insurer.headers(s)
    )
    assert_refused(unknown, 404, "not-found", license_id)
    await publish(
        s,
        LicenseGranted(
            license_id=license_id,
            application_number=number,
            patent_number="ZL" + number,
            kind=LicenseKind.ORDINARY,
            declaration_id=str(uuid.uuid4()),
            terms_version=1,
            licensors=[OrgRef(name=owner.name, uscc=owner.uscc)],
            licensee=OrgRef(org_id=licensee.org_id, name=licensee.name, uscc=licensee.uscc),
            effective_date=date(2026, 12, 1),
            term_end=date(2030, 11, 30),
            filing_deadline=date(2027, 3, 1),
            contract_value=Decimal("50000"),
        ),
    )

    async def issued() -> dict[str, Any] | None:
        response = await pledge_client.post(
            "/v1/insurance-policies", json=body, headers=insurer.headers(s)
        )
        if response.status_code == 201:
            result: dict[str, Any] = response.json()
            return result
        assert_refused(response, 404, "not-found")
        return None

    policy = await eventually(issued)
    assert policy["application_numbers"] == [number]
    assert policy["premium"]["amount"] == "400.00"
    assert policy["kind"] == "open_license_transaction"
    events = await read_topic(
        s.kafka_bootstrap_servers,
        topics.PLEDGE,
        until=lambda evs: any(e.subject == policy["id"] for e in evs),
    )
    (event,) = about(events, policy["id"])
    assert event.data["license_id"] == license_id
    assert event.data["premium"] == "400.00"
