"""Scenario 4: conflicting commands sent at the same moment. Of two pledges registered on
one patent, and of one enterprise accepting one open licence twice, exactly one
succeeds; the other gets a clear 4xx (problem+json with its type), never a 5xx."""

from __future__ import annotations

import asyncio
import os
import time

import httpx
import pytest

from shared.auth import OrgType
from tests.e2e.conftest import System
from tests.faults.figures import Figures, report
from tests.faults.invariants import settled_violations
from tests.faults.traffic import (
    SETTINGS,
    apply_pledge,
    bounded,
    declare,
    pledgeable,
    register_pledge,
)
from tests.support.stack import Org, eventually, org

pytestmark = [pytest.mark.faults, pytest.mark.timeout(900)]

# Conflicting commands in all: half pledge registrations, half licence acceptances.
COMMANDS = int(os.environ.get("FAULTS_CONFLICTS", "200"))


def _clear_refusal(response: httpx.Response) -> bool:
    return (
        400 <= response.status_code < 500
        and response.headers.get("content-type", "").startswith("application/problem+json")
        and bool(response.json().get("type"))
    )


async def test_conflicting_commands_let_exactly_one_through(system: System) -> None:
    university = org(OrgType.UNIVERSITY, "武汉大学")
    enterprise = org(OrgType.ENTERPRISE, "湖北某储能科技有限公司")
    banks = [org(OrgType.BANK, "招商银行武汉分行"), org(OrgType.BANK, "交通银行武汉分行")]
    pairs = COMMANDS // 4
    async with httpx.AsyncClient(timeout=60) as http:
        pledged = await pledgeable(http, system, university, pairs)
        declared = await bounded(8, [lambda: declare(http, system, university)] * pairs)

        async def apply(number: str, bank: Org) -> str:
            response = await apply_pledge(http, system, number, university, bank)
            assert response.status_code == 201, response.text
            return str(response.json()["id"])

        applications = await bounded(
            8,
            [lambda n=n, b=b: apply(n, b) for n in pledged for b in banks],
        )

        async def license_knows(declaration_id: str) -> bool:
            response = await http.get(
                f"{system.url('license')}/v1/declarations/{declaration_id}",
                headers=enterprise.headers(SETTINGS),
            )
            return response.status_code == 200

        for _, declaration_id in declared:
            await eventually(lambda d=declaration_id: license_knows(d), timeout=120)

        async def accept(declaration_id: str) -> httpx.Response:
            return await http.post(
                f"{system.url('license')}/v1/licenses",
                json={"declaration_id": declaration_id, "field_of_use": "储能电池管理系统"},
                headers=enterprise.headers(SETTINGS),
            )

        began = time.monotonic()
        registrations = [
            register_pledge(http, system, pledge_id, banks[i % 2])
            for i, pledge_id in enumerate(applications)
        ]
        acceptances = [accept(d) for _, d in declared for _ in range(2)]
        answers = await asyncio.gather(*registrations, *acceptances)
        took = time.monotonic() - began

    pledge_answers = answers[: len(registrations)]
    licence_answers = answers[len(registrations) :]
    problems: list[str] = []
    for kind, group in (("pledge registration", pledge_answers), ("acceptance", licence_answers)):
        for i in range(0, len(group), 2):
            pair = group[i : i + 2]
            passed = [r for r in pair if r.status_code < 300]
            if len(passed) != 1:
                problems.append(f"{kind}: {len(passed)} of 2 succeeded")
            problems += [
                f"{kind}: unclear refusal {r.status_code} {r.text[:200]}"
                for r in pair
                if r.status_code >= 300 and not _clear_refusal(r)
            ]
    twice = sum(1 for p in problems if "2 of 2" in p)
    figures = Figures(
        f"4. {len(answers)} conflicting commands at once",
        written=len(answers),
        delivered=sum(1 for r in answers if r.status_code < 300),
        lost=0,
        duplicates=twice,
        violations=problems + await settled_violations(system),
        recovery_s=took,
    )
    report(figures)
    assert figures.violations == []
