"""A negotiated transfer across the real listing and license processes: a patent
registered in listing reaches license's catalogue; the enterprise asks for the patent,
the university accepts, both sign, the operator enters the patent office's recordal,
and listing then shows the enterprise as the patentee."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from shared.auth import OrgType
from shared.settings import ServiceSettings
from tests.e2e.conftest import System
from tests.support.stack import OPERATOR_SCOPES, application_number, eventually, org, real_today

pytestmark = pytest.mark.e2e

SETTINGS = ServiceSettings()  # the services' default development signing key


async def test_a_transfer_agreed_signed_and_recorded_changes_the_owner_in_listing(
    system: System,
) -> None:
    university = org(OrgType.UNIVERSITY, "西安交通大学")
    enterprise = org(OrgType.ENTERPRISE, "陕西某电力装备有限公司")
    operator = org(OrgType.OPERATOR, "平台运营方").headers(SETTINGS, OPERATOR_SCOPES)
    uni = university.headers(SETTINGS)
    ent = enterprise.headers(SETTINGS)
    url = {name: p.url for name, p in system.processes.items()}
    number = application_number(2019, 1)

    async with httpx.AsyncClient(timeout=15) as http:
        created = await http.post(
            f"{url['listing']}/v1/patents",
            json={
                "application_number": number,
                "title": "一种高压直流断路器的快速分断方法",
                "ipc_codes": ["H01H 33/59"],
                "region_code": "610100",
                "filing_date": "2019-05-20",
                "grant_date": "2021-09-14",
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

        body = {
            "application_number": number,
            "counterparty": {"name": university.name, "uscc": university.uscc},
            "transfer": {
                "price": "2800000.00",
                "transferees": [
                    {
                        "name": enterprise.name,
                        "uscc": enterprise.uscc,
                        "share": "100",
                        "party_type": "enterprise",
                    }
                ],
            },
            "expires_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
        }

        async def opened() -> dict[str, Any] | None:
            # License learns the patent from listing's event within moments.
            response = await http.post(f"{url['license']}/v1/deals", json=body, headers=ent)
            if response.status_code == 404:
                return None
            assert response.status_code == 201, response.text
            deal: dict[str, Any] = response.json()
            return deal

        deal = await eventually(opened)
        offer_id = deal["offers"][0]["id"]
        accepted = await http.post(
            f"{url['license']}/v1/deals/{deal['id']}/offers/{offer_id}/acceptance", headers=uni
        )
        assert accepted.status_code == 200, accepted.text
        for headers in (ent, uni):
            signed = await http.post(
                f"{url['license']}/v1/deals/{deal['id']}/signatures",
                content=b"%PDF-1.7\n% signed transfer contract\n",
                headers=headers | {"content-type": "application/pdf"},
            )
            assert signed.status_code == 201, signed.text
        assert signed.json()["state"] == "awaiting_recordal"
        recorded = await http.post(
            f"{url['license']}/v1/deals/{deal['id']}/recordal",
            json={"recordal_number": "2026120600654321", "recorded_on": str(real_today())},
            headers=operator,
        )
        assert recorded.status_code == 200, recorded.text

        async def new_owner() -> bool:
            patent = await http.get(f"{url['listing']}/v1/patents/{number}", headers=ent)
            owners = [p["uscc"] for p in patent.json()["patentees"]]
            return owners == [enterprise.uscc]

        await eventually(new_owner, timeout=30)
