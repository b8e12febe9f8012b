"""A defaulted pledge runs to its end across the deployed processes: the bank reports
default -> the risk-compensation claim splits the loss -> disposal -> the transfer to
the buyer is recorded in listing (the owner changes there) -> the pledge is cancelled
and the patent is free again."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from shared.auth import OrgType
from shared.settings import ServiceSettings
from tests.e2e.conftest import System
from tests.e2e.test_walking_skeleton import patent
from tests.support.stack import OPERATOR_SCOPES, application_number, eventually, org

pytestmark = pytest.mark.e2e

SETTINGS = ServiceSettings()


async def test_a_default_ends_with_the_buyer_owning_the_patent(system: System) -> None:
    university = org(OrgType.UNIVERSITY, "华南理工大学")
    bank = org(OrgType.BANK, "广州银行科技支行")
    operator = org(OrgType.OPERATOR, "平台运营方")
    buyer = org(OrgType.ENTERPRISE, "广州某新材料有限公司")
    listing, pledge = system.url("listing"), system.url("pledge")
    number = application_number(2019, 1)
    async with httpx.AsyncClient(timeout=15) as http:
        created = await http.post(
            f"{listing}/v1/patents",
            json=patent(university, number),
            headers=university.headers(SETTINGS),
        )
        assert created.status_code == 201, created.text

        async def applied() -> dict[str, Any] | None:
            r = await http.post(
                f"{pledge}/v1/pledges",
                json={
                    "application_numbers": [number],
                    "pledgee": {"org_id": bank.org_id, "name": bank.name, "uscc": bank.uscc},
                    "secured_amount": {"amount": "2000000.00", "currency": "CNY"},
                    "debt_term_end": "2029-06-30",
                    "has_forfeiture_clause": False,
                },
                headers=university.headers(SETTINGS),
            )
            if r.status_code == 201:
                body: dict[str, Any] = r.json()
                return body
            assert r.status_code == 422, r.text  # the catalogue has not reached pledge yet
            return None

        pledge_id = (await eventually(applied, timeout=60))["id"]
        programme = await http.post(
            f"{pledge}/v1/risk-programmes",
            json={
                "name": "广州市知识产权质押融资风险补偿资金池",
                "region_code": "440100",
                "budget": {"amount": "5000000.00"},
                "shares": {"fund": "54", "bank": "26", "insurer": "16", "appraiser": "4"},
                "bank_org_ids": [bank.org_id],
            },
            headers=operator.headers(SETTINGS, scopes=OPERATOR_SCOPES),
        )
        assert programme.status_code == 201, programme.text
        steps: list[tuple[str, dict[str, Any], int]] = [
            ("approval", {"approved_on": "2026-11-21"}, 200),
            (
                "registration",
                {"registration_number": "Y2026440000123", "registered_on": "2026-11-22"},
                200,
            ),
            (
                "disbursement",
                {"amount": {"amount": "2000000.00"}, "disbursed_on": "2026-11-25"},
                200,
            ),
            ("default", {"defaulted_on": "2027-11-26"}, 200),
            (
                "compensation-claim",
                {"programme_id": programme.json()["id"], "claimed_on": "2027-12-01"},
                201,
            ),
            (
                "disposal",
                {
                    "method": "auction",
                    "valuation": {"amount": "1500000.00"},
                    "started_on": "2028-01-05",
                },
                200,
            ),
            (
                "disposal/transfer",
                {
                    "buyer": {"name": buyer.name, "uscc": buyer.uscc},
                    "price": {"amount": "1300000.00"},
                    "transferred_on": "2028-03-01",
                },
                200,
            ),
        ]
        results: dict[str, Any] = {}
        for action, body, expect in steps:
            r = await http.post(
                f"{pledge}/v1/pledges/{pledge_id}/{action}",
                json=body,
                headers=bank.headers(SETTINGS),
            )
            assert r.status_code == expect, (action, r.text)
            results[action] = r.json()
        shares = {
            x["party"]: x["amount"]["amount"] for x in results["compensation-claim"]["shares"]
        }
        assert shares == {
            "fund": "1080000.00",
            "bank": "520000.00",
            "insurer": "320000.00",
            "appraiser": "80000.00",
        }

        # listing learns the disposal transfer: the buyer owns the patent.
        async def owner() -> bool:
            r = await http.get(
                f"{listing}/v1/patents/{number}", headers=university.headers(SETTINGS)
            )
            return bool(r.json()["patentees"][0]["uscc"] == buyer.uscc)

        await eventually(owner, timeout=60)
        cancelled = await http.post(
            f"{pledge}/v1/pledges/{pledge_id}/cancellation",
            json={"reason": "realised", "cancelled_on": "2028-03-05"},
            headers=bank.headers(SETTINGS),
        )
        assert cancelled.status_code == 200, cancelled.text

        async def free() -> bool:
            r = await http.get(
                f"{listing}/v1/patents/{number}/encumbrances", headers=buyer.headers(SETTINGS)
            )
            return r.json()["items"] == []

        await eventually(free, timeout=60)

        # The timeline is its own consumer group over every topic: it catches up on its own
        # schedule, independently of the catalogue and encumbrance views awaited above.
        steps_seen = ("专利入库", "质押登记", "质物处置转让", "权利人变更（转让登记）", "质押注销")

        async def history() -> list[str] | None:
            r = await http.get(
                f"{listing}/v1/patents/{number}/timeline", headers=bank.headers(SETTINGS)
            )
            assert r.status_code == 200, r.text
            labels = [e["label"] for e in r.json()["items"]]
            return labels if all(step in labels for step in steps_seen) else None

        labels = await eventually(history, timeout=60)
        order = [labels.index(step) for step in steps_seen]
        assert order == sorted(order), labels
