"""A declared royalty schedule across the real listing and license processes: the
patentee declares quarterly reporting due 45 days after each quarter; the enterprise
that takes the licence, and the patentee, see exactly those periods and due dates."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from shared.auth import OrgType
from shared.settings import ServiceSettings
from tests.e2e.conftest import System
from tests.support.stack import application_number, eventually, org, real_today

pytestmark = pytest.mark.e2e

SETTINGS = ServiceSettings()  # the services' default development signing key


async def test_the_licensee_and_the_patentee_see_the_declared_periods(system: System) -> None:
    university = org(OrgType.UNIVERSITY, "电子科技大学")
    enterprise = org(OrgType.ENTERPRISE, "成都京东方光电科技有限公司")
    uni = university.headers(SETTINGS)
    ent = enterprise.headers(SETTINGS)
    url = {name: p.url for name, p in system.processes.items()}
    year = real_today().year - 1
    number = application_number(2019, 1)

    async with httpx.AsyncClient(timeout=15) as http:
        created = await http.post(
            f"{url['listing']}/v1/patents",
            json={
                "application_number": number,
                "title": "一种柔性显示面板的像素驱动电路",
                "ipc_codes": ["G09G 3/3233"],
                "region_code": "510100",
                "filing_date": "2019-04-18",
                "grant_date": "2021-07-06",
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
        draft = await http.post(
            f"{url['listing']}/v1/declarations",
            json={
                "application_number": number,
                "terms": {
                    "payment_mode": "running_royalty",
                    "royalty_base": "net_sales",
                    "royalty_rate": "3",
                    "payment_schedule": "每季度结束后45日内按该季度净销售额报告并支付",
                    "royalty_schedule": {"period": "quarterly", "due_days_after_period": 45},
                    "term_start": f"{year}-01-01",
                    "term_end": f"{year + 4}-12-31",
                },
                "description": "适用于柔性OLED显示模组。",
            },
            headers=uni,
        )
        assert draft.status_code == 201, draft.text
        announced = await http.post(
            f"{url['listing']}/v1/declarations/{draft.json()['id']}/submit", headers=uni
        )
        assert announced.status_code == 200, announced.text

        async def accept() -> dict[str, Any] | None:
            response = await http.post(
                f"{url['license']}/v1/licenses",
                json={"declaration_id": announced.json()["id"], "field_of_use": "柔性显示模组"},
                headers=ent,
            )
            return response.json() if response.status_code == 201 else None

        licence = await eventually(accept, timeout=30, interval=0.2)
        paid = await http.post(
            f"{url['license']}/v1/licenses/{licence['id']}/payments",
            json={
                "amount": {"amount": "0.00", "currency": "CNY"},
                "voucher_reference": "BOC-20261123-0045",
                "paid_on": f"{year}-01-01",
            },
            headers=ent,
        )
        assert paid.status_code == 201, paid.text

        royalties = f"{url['license']}/v1/licenses/{licence['id']}/royalties"
        seen_by_licensee = (await http.get(royalties, headers=ent)).json()
        seen_by_patentee = (await http.get(royalties, headers=uni)).json()
        assert seen_by_patentee == seen_by_licensee
        assert [
            (p["period_start"], p["period_end"], p["due_date"], p["schedule_source"])
            for p in seen_by_licensee[:4]
        ] == [
            (f"{year}-01-01", f"{year}-03-31", f"{year}-05-15", "declared"),
            (f"{year}-04-01", f"{year}-06-30", f"{year}-08-14", "declared"),
            (f"{year}-07-01", f"{year}-09-30", f"{year}-11-14", "declared"),
            (f"{year}-10-01", f"{year}-12-31", f"{year + 1}-02-14", "declared"),
        ]
        assert len(seen_by_licensee) == 4 * 5
        assert date.fromisoformat(seen_by_licensee[-1]["period_end"]) == date(year + 4, 12, 31)
