"""Late royalty reports and payments become candidate credit records for the regulator's
review: a candidate restricts nobody and its party does not see it; the regulator
confirms it (evidence and a period: in force) or dismisses it with a reason."""

from __future__ import annotations

from typing import Any

import httpx

from license.config import LicenseSettings
from shared.auth import OrgType
from shared.domain.calendar import add_months
from tests.license.client import assert_problem
from tests.license.factories import EventFeed
from tests.license.test_credit import upload
from tests.license.test_royalties import royalty_licence
from tests.support.stack import eventually, org, real_today


async def test_late_royalties_become_candidates_the_regulator_confirms_or_dismisses(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    licensee = org(OrgType.ENTERPRISE, "佛山某某电池有限公司")
    licence = await royalty_licence(license_client, license_settings, feed, licensee)
    regulator = org(OrgType.REGULATOR, "国家知识产权局")
    headers = regulator.headers(license_settings)

    async def candidates() -> list[dict[str, Any]]:
        response = await license_client.get(
            f"/v1/credit-records?state=candidate&party_uscc={licensee.uscc}", headers=headers
        )
        items: list[dict[str, Any]] = response.json()["items"]
        return items if len(items) >= 2 else []

    # Two past periods were never reported: one candidate per breach.
    found = await eventually(candidates)
    assert {c["license_id"] for c in found} == {licence["id"]}
    assert all(c["state"] == "candidate" and c["period"] is None for c in found)
    # The party does not see a candidate.
    mine = await license_client.get(
        "/v1/credit-records", headers=licensee.headers(license_settings)
    )
    assert mine.json()["items"] == []
    hidden = await license_client.get(
        f"/v1/credit-records/{found[0]['id']}", headers=licensee.headers(license_settings)
    )
    assert_problem(hidden, 404, "not-found")

    today = real_today()
    evidence = await upload(license_client, license_settings, regulator, "payment_notice")
    no_evidence = await license_client.post(
        f"/v1/credit-records/{found[0]['id']}/confirmation",
        json={"evidence": [], "period": {"from": str(today), "until": str(add_months(today, 6))}},
        headers=headers,
    )
    assert_problem(no_evidence, 422, "credit-evidence-required")
    confirmed = await license_client.post(
        f"/v1/credit-records/{found[0]['id']}/confirmation",
        json={
            "evidence": [evidence],
            "period": {"from": str(today), "until": str(add_months(today, 6))},
        },
        headers=headers,
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["state"] == "in_force"
    dismissed = await license_client.post(
        f"/v1/credit-records/{found[1]['id']}/dismissal",
        json={"reason": "已补缴"},
        headers=headers,
    )
    assert dismissed.status_code == 200, dismissed.text
    assert dismissed.json()["state"] == "dismissed"
    twice = await license_client.post(
        f"/v1/credit-records/{found[1]['id']}/dismissal",
        json={"reason": "再驳回"},
        headers=headers,
    )
    assert_problem(twice, 409, "credit-record-state")
    # Now the party sees the confirmed record (and not the dismissed one).
    mine = await license_client.get(
        "/v1/credit-records", headers=licensee.headers(license_settings)
    )
    assert [r["id"] for r in mine.json()["items"]] == [found[0]["id"]]
