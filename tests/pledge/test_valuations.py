"""Valuations through the API: factors from pledge's views, the bank's loan-to-value."""

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
    application,
    assert_refused,
    bank_action,
    known_patent,
    publish,
    registered,
)
from tests.support.stack import application_number, eventually, org, read_topic


async def test_valuation_explains_itself_and_proposes_a_loan(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    s = pledge_settings
    owner = org(OrgType.UNIVERSITY, "清华大学")
    bank = org(OrgType.BANK, "北京银行")
    licensee = org(OrgType.ENTERPRISE, "北京某储能科技有限公司")
    number = await known_patent(
        pledge_client, s, registered([owner], ipc_codes=["H01M 10/48", "G01R 31/36"])
    )
    await publish(
        s,
        LicenseGranted(
            license_id=str(uuid.uuid4()),
            application_number=number,
            patent_number="ZL" + number,
            kind=LicenseKind.ORDINARY,
            licensors=[OrgRef(name=owner.name, uscc=owner.uscc)],
            licensee=OrgRef(name=licensee.name, uscc=licensee.uscc),
            effective_date=date(2026, 1, 1),
            term_end=date(2030, 12, 31),
            filing_deadline=date(2026, 4, 1),
            contract_value=Decimal("200000"),
        ),
    )
    await pledge_client.put(
        f"/v1/bank-policies/{bank.org_id}",
        json={"min_remaining_term_years": 5, "loan_to_value_percent": "50"},
        headers=bank.headers(s),
    )
    request = {
        "application_numbers": [number],
        "claims_counts": {number: 12},
        "bank_org_id": bank.org_id,
    }

    async def licensed() -> dict[str, Any] | None:
        response = await pledge_client.post(
            "/v1/valuations", json=request, headers=owner.headers(s)
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        factors = {f["factor"]: f for f in body["patents"][0]["factors"]}
        return body if factors["royalties_paid"]["contribution"] == "300000.00" else None

    valuation = await eventually(licensed)
    assert valuation["method"] == "ipmarket-factor"
    assert valuation["method_version"] == "1"
    (patent,) = valuation["patents"]
    factors = {f["factor"]: f for f in patent["factors"]}
    assert set(factors) == {
        "remaining_term",
        "claims",
        "ipc",
        "licenses_taken",
        "legal_events",
        "royalties_paid",
    }
    assert factors["ipc"]["multiplier"] == "1.20"
    assert factors["licenses_taken"]["multiplier"] == "1.1"
    assert "12 claims" in factors["claims"]["basis"]
    total = Decimal(patent["base"]) + sum(Decimal(f["contribution"]) for f in factors.values())
    assert total == Decimal(valuation["point"]["amount"])
    assert Decimal(valuation["low"]["amount"]) < Decimal(valuation["point"]["amount"])
    assert valuation["loan_to_value_percent"] == "50"
    assert Decimal(valuation["proposed_max_loan"]["amount"]) == (
        Decimal(valuation["low"]["amount"]) / 2
    ).quantize(Decimal("0.01"))
    again = await pledge_client.get(f"/v1/valuations/{valuation['id']}", headers=owner.headers(s))
    assert again.json() == valuation
    stranger = org(OrgType.UNIVERSITY, "无关大学")
    assert_refused(
        await pledge_client.get(f"/v1/valuations/{valuation['id']}", headers=stranger.headers(s)),
        404,
        "not-found",
    )

    unknown = application_number()
    assert_refused(
        await pledge_client.post(
            "/v1/valuations",
            json={"application_numbers": [unknown]},
            headers=owner.headers(s),
        ),
        422,
        "pledge-patent-unknown",
        unknown,
    )
    bad = await pledge_client.post(
        "/v1/valuations",
        json={"application_numbers": [number], "claims_counts": {number: 0}},
        headers=owner.headers(s),
    )
    assert_refused(bad, 422, "validation-error")

    # The pledgee values the pledged portfolio: valuation.ready reaches its topic.
    created = await pledge_client.post(
        "/v1/pledges", json=application(number, bank), headers=owner.headers(s)
    )
    pledge_id = created.json()["id"]
    valued = await bank_action(
        pledge_client, s, bank, pledge_id, "valuation", {"claims_counts": {number: 12}}, expect=201
    )
    assert valued["pledge_id"] == pledge_id
    events = await read_topic(
        s.kafka_bootstrap_servers,
        topics.bank_pledge_topic(bank.org_id),
        until=lambda evs: any(e.type.endswith("valuation.ready.v1") for e in evs),
    )
    ready = next(e for e in events if e.type.endswith("valuation.ready.v1"))
    assert ready.data["valuation_id"] == valued["id"]
    assert ready.data["proposed_max_loan"] == valued["proposed_max_loan"]["amount"]
