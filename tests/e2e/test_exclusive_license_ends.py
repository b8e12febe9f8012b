"""An exclusive licence's life across the real listing and license processes: a deal on
a patent never declared (offered by the university, accepted and signed by both) makes
it take effect, listing then refuses a declaration, both parties terminate the licence,
and listing accepts the declaration once license's ``LicenseEnded`` has released the
patent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from shared.auth import OrgType
from shared.settings import ServiceSettings
from tests.e2e.conftest import System
from tests.support.stack import application_number, eventually, org, real_today

pytestmark = pytest.mark.e2e

SETTINGS = ServiceSettings()  # the services' default development signing key


async def test_an_exclusive_licence_blocks_a_declaration_until_both_parties_end_it(
    system: System,
) -> None:
    university = org(OrgType.UNIVERSITY, "北京理工大学")
    enterprise = org(OrgType.ENTERPRISE, "北京某特种车辆有限公司")
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
        # License learns the patent from listing's PatentRegistered (its catalogue view).
        offer = {
            "application_number": number,
            "counterparty": {"name": enterprise.name, "uscc": enterprise.uscc},
            "expires_at": (datetime.now(UTC) + timedelta(days=14)).isoformat(),
            "license": {
                "kind": "exclusive",
                "field_of_use": "特种车辆混合动力系统",
                "terms": {
                    "payment_mode": "lump_sum",
                    "lump_sum_fee": "1500000.00",
                    "term_start": str(today),
                    "term_end": f"{today.year + 4}-12-31",
                },
            },
        }

        async def deal_opened() -> dict[str, Any] | None:
            opened = await http.post(f"{license_}/v1/deals", json=offer, headers=uni)
            if opened.status_code == 404:  # the registration has not reached license yet
                return None
            assert opened.status_code == 201, opened.text
            body: dict[str, Any] = opened.json()
            return body

        deal = await eventually(deal_opened, timeout=30, interval=0.2)
        [open_offer] = deal["offers"]
        accepted = await http.post(
            f"{license_}/v1/deals/{deal['id']}/offers/{open_offer['id']}/acceptance", headers=ent
        )
        assert (accepted.status_code, accepted.json()["state"]) == (200, "agreed"), accepted.text
        for party, copy in ((ent, b"enterprise"), (uni, b"university")):
            signed = await http.post(
                f"{license_}/v1/deals/{deal['id']}/signatures",
                content=b"%PDF-1.7\n% signed exclusive licence, " + copy + b" copy\n",
                headers=party | {"content-type": "application/pdf"},
            )
            assert signed.status_code == 201, signed.text
        assert signed.json()["state"] == "effective"
        granted = await http.get(
            f"{license_}/v1/licenses/{signed.json()['license_id']}", headers=ent
        )
        assert granted.status_code == 200, granted.text
        licence = granted.json()
        assert (licence["kind"], licence["status"]) == ("exclusive", "active")

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
