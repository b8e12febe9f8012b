"""An exclusive licence's life across the real listing and license processes: it takes
effect on a patent whose open-licence declaration was withdrawn, listing then refuses a
new declaration, both parties terminate the licence, and listing accepts the declaration
once license's ``LicenseEnded`` has released the patent."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from shared.auth import OrgType
from shared.settings import ServiceSettings
from tests.e2e.conftest import System
from tests.support.stack import OPERATOR_SCOPES, application_number, eventually, org, real_today

pytestmark = pytest.mark.e2e

SETTINGS = ServiceSettings()  # the services' default development signing key


async def test_an_exclusive_licence_blocks_a_declaration_until_both_parties_end_it(
    system: System,
) -> None:
    university = org(OrgType.UNIVERSITY, "北京理工大学")
    enterprise = org(OrgType.ENTERPRISE, "北京某特种车辆有限公司")
    operator = org(OrgType.OPERATOR, "平台运营方")
    uni, ent = university.headers(SETTINGS), enterprise.headers(SETTINGS)
    listing, license_ = system.url("listing"), system.url("license")
    number = application_number(2019, 1)
    today = real_today()

    async with httpx.AsyncClient(timeout=15) as http:

        async def declare() -> httpx.Response:
            draft = await http.post(
                f"{listing}/v1/declarations",
                json={
                    "application_number": number,
                    "terms": {
                        "payment_mode": "lump_sum",
                        "lump_sum_fee": "80000.00",
                        "term_start": str(today),
                        "term_end": f"{today.year + 3}-12-31",
                    },
                    "description": "适用于特种车辆的混合动力传动系统。",
                },
                headers=uni,
            )
            assert draft.status_code == 201, draft.text
            return await http.post(
                f"{listing}/v1/declarations/{draft.json()['id']}/submit", headers=uni
            )

        created = await http.post(
            f"{listing}/v1/patents",
            json={
                "application_number": number,
                "title": "一种混合动力车辆的动力耦合装置",
                "ipc_codes": ["B60K 6/365"],
                "region_code": "110108",
                "filing_date": "2019-03-12",
                "grant_date": "2021-05-18",
                "patentees": [
                    {
                        "name": university.name,
                        "uscc": university.uscc,
                        "share": "100",
                        "party_type": "university",
                    }
                ],
            },
            headers=uni,
        )
        assert created.status_code == 201, created.text
        # Today license records negotiated licences on patents it knows from a
        # declaration: declare, announce, withdraw.
        announced = await declare()
        assert announced.status_code == 200, announced.text
        declaration_id = announced.json()["id"]
        withdrawal = f"{listing}/v1/declarations/{declaration_id}/withdrawal"
        requested = await http.post(withdrawal, json={"reason": "拟签订独占许可"}, headers=uni)
        assert requested.status_code == 200, requested.text
        withdrawn = await http.post(
            f"{withdrawal}/announcement", headers=operator.headers(SETTINGS, OPERATOR_SCOPES)
        )
        assert withdrawn.status_code == 200, withdrawn.text

        async def license_knows_withdrawal() -> bool:
            seen = await http.get(f"{license_}/v1/declarations/{declaration_id}", headers=ent)
            return seen.status_code == 200 and seen.json()["status"] == "withdrawn"

        await eventually(license_knows_withdrawal, timeout=30, interval=0.2)
        granted = await http.post(
            f"{license_}/v1/negotiated-licenses",
            json={
                "application_number": number,
                "kind": "exclusive",
                "licensee": {
                    "name": enterprise.name,
                    "uscc": enterprise.uscc,
                    "org_id": enterprise.org_id,
                },
                "terms": {
                    "payment_mode": "lump_sum",
                    "lump_sum_fee": "1500000.00",
                    "term_start": str(today - timedelta(days=10)),
                    "term_end": f"{today.year + 4}-12-31",
                },
                "field_of_use": "特种车辆混合动力系统",
                "effective_date": str(today - timedelta(days=10)),
            },
            headers=uni,
        )
        assert granted.status_code == 201, granted.text
        licence = granted.json()

        async def encumbrances() -> list[dict[str, Any]]:
            seen = await http.get(f"{listing}/v1/patents/{number}/encumbrances", headers=uni)
            assert seen.status_code == 200, seen.text
            items: list[dict[str, Any]] = seen.json()["items"]
            return items

        [blocking] = await eventually(encumbrances, timeout=30, interval=0.2)
        assert (blocking["kind"], blocking["reference_id"]) == ("exclusive_license", licence["id"])
        refused = await declare()
        assert refused.status_code == 422, refused.text
        assert refused.json()["type"].endswith("/declaration-exclusive-license-in-force")

        termination = f"{license_}/v1/licenses/{licence['id']}/termination"
        consent = {"ended_on": str(today), "reason_code": "agreement", "note": "双方协商终止"}
        first = await http.post(termination, json=consent, headers=uni)
        assert (first.status_code, first.json()["status"]) == (200, "active"), first.text
        second = await http.post(termination, json=consent, headers=ent)
        assert second.status_code == 200, second.text
        assert (second.json()["status"], second.json()["ended_on"]) == ("terminated", str(today))

        async def released() -> bool:
            return not await encumbrances()

        await eventually(released, timeout=30, interval=0.2)
        history = await http.get(
            f"{listing}/v1/patents/{number}/encumbrances",
            params={"include_released": "true"},
            headers=uni,
        )
        [ended] = history.json()["items"]
        assert ended["released_at"] is not None
        accepted = await declare()
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["status"] == "announced"
        assert date.fromisoformat(accepted.json()["terms"]["term_start"]) == today
