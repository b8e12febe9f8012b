"""A credit restriction crosses the deployed processes: the regulator uploads evidence
and records a restriction in license -> listing refuses that party's next open-licence
declaration -> the party objects, the regulator upholds the objection -> listing accepts
the declaration."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from shared.auth import OrgType
from shared.domain.calendar import add_months
from shared.settings import ServiceSettings
from tests.e2e.conftest import System
from tests.e2e.test_walking_skeleton import declaration, patent
from tests.support.stack import application_number, eventually, org, real_today

pytestmark = pytest.mark.e2e

SETTINGS = ServiceSettings()
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


async def test_a_restriction_recorded_in_license_refuses_a_declaration_in_listing(
    system: System,
) -> None:
    university = org(OrgType.UNIVERSITY, "某某工业大学")
    regulator = org(OrgType.REGULATOR, "广东省知识产权局")
    listing, license_ = system.url("listing"), system.url("license")
    uni, reg = university.headers(SETTINGS), regulator.headers(SETTINGS)
    number = application_number(2019, 1)
    today = real_today()
    async with httpx.AsyncClient(timeout=15) as http:
        created = await http.post(
            f"{listing}/v1/patents", json=patent(university, number), headers=uni
        )
        assert created.status_code == 201, created.text

        async def upload(headers: dict[str, str], kind: str) -> str:
            r = await http.post(
                f"{license_}/v1/documents?kind={kind}&filename=文书.pdf",
                content=PDF,
                headers={**headers, "content-type": "application/pdf"},
            )
            assert r.status_code == 201, r.text
            document_id: str = r.json()["id"]
            return document_id

        recorded = await http.post(
            f"{license_}/v1/credit-records",
            json={
                "party": {"uscc": university.uscc, "name": university.name},
                "kind": "false_materials",
                "evidence": [await upload(reg, "decision")],
                "facts": "提交的专利权评价报告系伪造。",
                "period": {"from": str(today), "until": str(add_months(today, 6))},
            },
            headers=reg,
        )
        assert recorded.status_code == 201, recorded.text
        record_id = recorded.json()["id"]

        # listing learns the restriction from license's event and refuses the draft.
        async def refused() -> dict[str, Any] | None:
            r = await http.post(f"{listing}/v1/declarations", json=declaration(number), headers=uni)
            if r.status_code == 201:
                return None  # the event has not reached listing yet
            assert r.status_code == 422, r.text
            problem: dict[str, Any] = r.json()
            return problem

        problem = await eventually(refused, timeout=60, interval=0.3)
        assert problem["type"].endswith("/declaration-party-restricted")
        assert problem["record_id"] == record_id
        assert record_id in problem["detail"]

        objection = await http.post(
            f"{license_}/v1/credit-records/{record_id}/objections",
            json={
                "grounds": "评价报告由国家知识产权局出具，附原件。",
                "evidence": [await upload(uni, "statement")],
            },
            headers=uni,
        )
        assert objection.status_code == 201, objection.text
        decided = await http.post(
            f"{license_}/v1/credit-records/{record_id}/objections/{objection.json()['id']}"
            "/decision",
            json={"upheld": True, "reason": "经核实，评价报告真实。"},
            headers=reg,
        )
        assert decided.status_code == 200, decided.text
        assert decided.json()["state"] == "revoked"

        # listing learns the lift: the declaration is drafted and announced.
        async def accepted() -> dict[str, Any] | None:
            r = await http.post(f"{listing}/v1/declarations", json=declaration(number), headers=uni)
            if r.status_code == 422:
                return None  # the lift has not reached listing yet
            assert r.status_code == 201, r.text
            body: dict[str, Any] = r.json()
            return body

        draft = await eventually(accepted, timeout=60, interval=0.3)
        announced = await http.post(f"{listing}/v1/declarations/{draft['id']}/submit", headers=uni)
        assert announced.status_code == 200, announced.text
        assert announced.json()["status"] == "announced"
        assert announced.json()["annual_fee_reduction"]["state"] == "eligible"
