"""The patent office across the deployed processes and its simulator: a licence taken is
filed by the office through registry-sync and license shows it filed; the office's
legal-status feed then terminates the patent, listing lapses it, and license and pledge
follow (a new licence is refused, the pledge's patent lapsed)."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from shared.auth import OrgType
from shared.settings import ServiceSettings
from tests.e2e.conftest import System
from tests.e2e.test_walking_skeleton import declaration, patent
from tests.support.stack import application_number, eventually, org, real_today

pytestmark = pytest.mark.e2e

SETTINGS = ServiceSettings()


async def test_the_office_files_a_licence_and_its_feed_lapses_the_patent(system: System) -> None:
    university = org(OrgType.UNIVERSITY, "同济大学")
    enterprise = org(OrgType.ENTERPRISE, "上海某储能科技有限公司")
    latecomer = org(OrgType.ENTERPRISE, "上海某汽车电子有限公司")
    bank = org(OrgType.BANK, "上海银行科技支行")
    uni, ent = university.headers(SETTINGS), enterprise.headers(SETTINGS)
    listing, license_, pledge = (system.url(n) for n in ("listing", "license", "pledge"))
    office = system.url("patent-office")
    number = application_number(2019, 1)

    async with httpx.AsyncClient(timeout=15) as http:
        decisions = await http.post(f"{office}/_control/decisions", json={"working_days": 0})
        assert decisions.status_code == 200, decisions.text
        created = await http.post(
            f"{listing}/v1/patents", json=patent(university, number), headers=uni
        )
        assert created.status_code == 201, created.text
        draft = await http.post(f"{listing}/v1/declarations", json=declaration(number), headers=uni)
        assert draft.status_code == 201, draft.text
        announced = await http.post(
            f"{listing}/v1/declarations/{draft.json()['id']}/submit", headers=uni
        )
        assert announced.status_code == 200, announced.text
        declaration_id = announced.json()["id"]

        async def accept(who: dict[str, str]) -> httpx.Response:
            return await http.post(
                f"{license_}/v1/licenses",
                json={"declaration_id": declaration_id, "field_of_use": "储能电池管理系统"},
                headers=who,
            )

        async def accepted() -> dict[str, Any] | None:
            response = await accept(ent)
            return response.json() if response.status_code == 201 else None

        licence = await eventually(accepted, timeout=30, interval=0.2)
        paid = await http.post(
            f"{license_}/v1/licenses/{licence['id']}/payments",
            json={
                "amount": {"amount": "50000.00", "currency": "CNY"},
                "voucher_reference": "BOS-20261206-0001",
                "paid_on": str(real_today()),
            },
            headers=ent,
        )
        assert paid.status_code in (200, 201), paid.text

        # registry-sync files the licence with the office; license records its filing.
        async def filed() -> dict[str, Any] | None:
            response = await http.get(f"{license_}/v1/licenses/{licence['id']}", headers=ent)
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            return body if body["status"] == "filed" else None

        filed_licence = await eventually(filed, timeout=60, interval=0.3)
        assert filed_licence["filing_number"]

        # A bank registers a pledge on the same patent.
        async def applied() -> dict[str, Any] | None:
            response = await http.post(
                f"{pledge}/v1/pledges",
                json={
                    "application_numbers": [number],
                    "pledgee": {"org_id": bank.org_id, "name": bank.name, "uscc": bank.uscc},
                    "secured_amount": {"amount": "1000000.00", "currency": "CNY"},
                    "debt_term_end": "2029-06-30",
                    "has_forfeiture_clause": False,
                },
                headers=uni,
            )
            if response.status_code == 201:
                return response.json()  # type: ignore[no-any-return]
            assert response.status_code in (404, 422), response.text
            return None

        pledge_id = (await eventually(applied, timeout=30, interval=0.2))["id"]
        # The open licence was declared first: the bank consents to it before registering.
        consent = await http.post(
            f"{pledge}/v1/pledges/{pledge_id}/consents",
            json={"consent_to": "open_license", "recorded_on": str(date.today())},
            headers=bank.headers(SETTINGS),
        )
        assert consent.status_code == 201, consent.text
        registered = await http.post(
            f"{pledge}/v1/pledges/{pledge_id}/registration",
            json={"registration_number": "Y2026310000456", "registered_on": str(date.today())},
            headers=bank.headers(SETTINGS),
        )
        assert registered.status_code == 200, registered.text

        # The office's feed terminates the patent.
        day = str(real_today())
        fed = await http.post(
            f"{office}/_control/legal-status",
            json={
                "entries": [
                    {
                        "application_number": number,
                        "event": "terminated",
                        "effective_on": day,
                        "announced_on": day,
                    }
                ]
            },
        )
        assert fed.status_code == 200, fed.text

        async def lapsed() -> bool:
            response = await http.get(f"{listing}/v1/patents/{number}", headers=uni)
            return bool(response.json()["legal_status"] == "lapsed")

        await eventually(lapsed, timeout=60, interval=0.3)

        async def pledge_lapsed() -> bool:
            response = await http.get(
                f"{pledge}/v1/pledges/{pledge_id}", headers=bank.headers(SETTINGS)
            )
            return bool(response.json()["status"] == "patent_lapsed")

        await eventually(pledge_lapsed, timeout=60, interval=0.3)

        async def refused() -> dict[str, Any] | None:
            response = await accept(latecomer.headers(SETTINGS))
            assert response.status_code != 201, "a licence was granted on a lapsed patent"
            return response.json() if response.status_code in (409, 422) else None

        problem = await eventually(refused, timeout=60, interval=0.3)
        assert problem["status"] in (409, 422)
