"""Money that must be positive (secured amounts, loans, valuations, prices, coverage,
premiums, claims) is refused at zero with a 422 naming the field."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pledge.config import PledgeSettings
from shared.auth import OrgType
from tests.pledge.factories import application, assert_refused, known_patent, registered
from tests.support.stack import OPERATOR_SCOPES, Org, org, uscc

ZERO = {"amount": "0.00", "currency": "CNY"}
SOME_ID = "3f0d7c52-8a4e-4f5b-9a51-0c2b6d1e7a90"


async def test_a_pledge_securing_nothing_is_refused_naming_the_secured_amount(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "南方科技大学")
    bank = org(OrgType.BANK, "招商银行深圳分行")
    number = await known_patent(pledge_client, pledge_settings, registered([owner]))

    for amount in ("0.00", "0", "-0.00"):
        response = await pledge_client.post(
            "/v1/pledges",
            json=application(number, bank, secured_amount={"amount": amount, "currency": "CNY"}),
            headers=owner.headers(pledge_settings),
        )
        assert_refused(response, 422, "validation-error", "secured_amount", "greater than 0")
        [error] = response.json()["errors"]
        assert error["field"] == "body.secured_amount"
    # The smallest positive amount is a pledge like any other.
    one_fen = application(number, bank, secured_amount={"amount": "0.01", "currency": "CNY"})
    accepted = await pledge_client.post(
        "/v1/pledges", json=one_fen, headers=owner.headers(pledge_settings)
    )
    assert accepted.status_code == 201, accepted.text


def _callers() -> dict[str, Org]:
    return {
        "pledgor": org(OrgType.UNIVERSITY, "清华大学"),
        "bank": org(OrgType.BANK, "中国银行北京分行"),
        "insurer": org(OrgType.INSURER, "中国人民财产保险股份有限公司"),
        "operator": org(OrgType.OPERATOR, "平台运营方"),
        "insured": org(OrgType.ENTERPRISE, "北京某新材料有限公司"),
    }


# (caller, path, body, the field named): every request body with money that must be > 0.
CASES: list[tuple[str, str, dict[str, Any], str]] = [
    ("pledgor", f"/v1/pledges/{SOME_ID}/submission", {"secured_amount": ZERO}, "secured_amount"),
    ("pledgor", f"/v1/pledges/{SOME_ID}/resubmission", {"secured_amount": ZERO}, "secured_amount"),
    (
        "bank",
        f"/v1/pledges/{SOME_ID}/changes",
        {"secured_amount": ZERO, "changed_on": "2026-12-01"},
        "secured_amount",
    ),
    (
        "bank",
        f"/v1/pledges/{SOME_ID}/disbursement",
        {"amount": ZERO, "disbursed_on": "2026-12-01"},
        "amount",
    ),
    (
        "bank",
        f"/v1/pledges/{SOME_ID}/repayments",
        {"amount": ZERO, "repaid_on": "2026-12-01"},
        "amount",
    ),
    (
        "bank",
        f"/v1/pledges/{SOME_ID}/compensation-claim",
        {"programme_id": SOME_ID, "loss": ZERO, "claimed_on": "2026-12-01"},
        "loss",
    ),
    (
        "bank",
        f"/v1/pledges/{SOME_ID}/disposal",
        {"method": "auction", "valuation": ZERO, "started_on": "2026-12-01"},
        "valuation",
    ),
    (
        "bank",
        f"/v1/pledges/{SOME_ID}/disposal/transfer",
        {
            "buyer": {"name": "北京某科技有限公司", "uscc": uscc("91110108")},
            "price": ZERO,
            "transferred_on": "2026-12-01",
        },
        "price",
    ),
    (
        "operator",
        "/v1/risk-programmes",
        {
            "name": "北京市知识产权质押融资风险补偿资金池",
            "region_code": "110000",
            "budget": ZERO,
            "shares": {"fund": "60", "bank": "40"},
        },
        "budget",
    ),
    (
        "operator",
        "/v1/risk-programmes",
        {
            "name": "北京市知识产权质押融资风险补偿资金池",
            "region_code": "110000",
            "budget": {"amount": "1000000.00"},
            "shares": {"fund": "60", "bank": "40"},
            "max_secured_amount": ZERO,
        },
        "max_secured_amount",
    ),
    (
        "insurer",
        "/v1/insurance-products",
        {
            "kind": "pledge_financing_guarantee",
            "name": "专利权质押融资保证保险",
            "premium_rate_percent": "1.5",
            "max_coverage": ZERO,
        },
        "max_coverage",
    ),
    (
        "insurer",
        "/v1/insurance-products",
        {
            "kind": "pledge_financing_guarantee",
            "name": "专利权质押融资保证保险",
            "premium_rate_percent": "0",
            "max_coverage": {"amount": "5000000.00"},
        },
        "premium_rate_percent",
    ),
    (
        "insurer",
        "/v1/insurance-policies",
        {
            "product_id": SOME_ID,
            "insured": {"org_id": "enterprise-1", "name": "北京某新材料有限公司"},
            "pledge_id": SOME_ID,
            "coverage": ZERO,
            "starts_on": "2026-12-01",
            "ends_on": "2027-11-30",
        },
        "coverage",
    ),
    (
        "insured",
        f"/v1/insurance-policies/{SOME_ID}/claims",
        {"amount": ZERO, "incurred_on": "2026-12-01", "description": "质押贷款违约损失"},
        "amount",
    ),
    (
        "insurer",
        f"/v1/insurance-claims/{SOME_ID}/approval",
        {"approved_amount": ZERO},
        "approved_amount",
    ),
]


@pytest.mark.parametrize(("caller", "path", "body", "field"), CASES)
async def test_money_that_must_be_positive_is_refused_at_zero(
    pledge_client: httpx.AsyncClient,
    pledge_settings: PledgeSettings,
    caller: str,
    path: str,
    body: dict[str, Any],
    field: str,
) -> None:
    who = _callers()[caller]
    scopes = OPERATOR_SCOPES if caller == "operator" else None
    response = await pledge_client.post(
        path, json=body, headers=who.headers(pledge_settings, scopes=scopes)
    )
    assert_refused(response, 422, "validation-error", field, "greater than 0")
    assert [e["field"] for e in response.json()["errors"]] == [f"body.{field}"]
