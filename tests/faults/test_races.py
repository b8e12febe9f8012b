"""Scenario 4, across services: commands that conflict but land in two services at the
same moment, so neither can refuse the other at once. An exclusive licence signed
while an open-licence declaration on its patent is submitted; a transfer recorded while
a pledge on the patent is registered. Both may be answered 2xx; what must hold once the
services have heard of each other is the rule: no exclusive licence in force beside an
announced declaration, no owner change of a pledged patent without the pledgee's
consent (tests/faults/invariants.py)."""

from __future__ import annotations

import asyncio
import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from shared.auth import OrgType
from tests.e2e.conftest import System
from tests.e2e.test_walking_skeleton import declaration
from tests.faults.figures import Figures, report
from tests.faults.invariants import settled_violations
from tests.faults.traffic import (
    OPERATOR,
    SETTINGS,
    apply_pledge,
    bounded,
    new_patent,
    pledgeable,
    register_pledge,
)
from tests.support.stack import OPERATOR_SCOPES, Org, eventually, org, real_today

pytestmark = [pytest.mark.faults, pytest.mark.timeout(900)]

PAIRS = int(os.environ.get("FAULTS_RACES", "10"))
PDF = b"%PDF-1.7\n% signed contract\n"


def _exclusive(number: str, enterprise: Org) -> dict[str, Any]:
    today = real_today()
    return {
        "application_number": number,
        "counterparty": {"name": enterprise.name, "uscc": enterprise.uscc},
        "expires_at": (datetime.now(UTC) + timedelta(days=14)).isoformat(),
        "license": {
            "kind": "exclusive",
            "terms": {
                "payment_mode": "lump_sum",
                "lump_sum_fee": "1500000.00",
                "term_start": str(today),
                "term_end": f"{today.year + 3}-12-31",
            },
        },
    }


def _transfer(number: str, owner: Org, enterprise: Org) -> dict[str, Any]:
    return {
        "application_number": number,
        "counterparty": {"name": owner.name, "uscc": owner.uscc},
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


async def test_cross_service_races_settle_to_the_rules(system: System) -> None:
    university = org(OrgType.UNIVERSITY, "同济大学")
    enterprise = org(OrgType.ENTERPRISE, "上海某智能装备有限公司")
    bank = org(OrgType.BANK, "上海浦东发展银行")
    uni, ent = university.headers(SETTINGS), enterprise.headers(SETTINGS)
    license_, listing = system.url("license"), system.url("listing")
    async with httpx.AsyncClient(timeout=60) as http:

        async def deal(body: dict[str, Any], opener: dict[str, str], other: dict[str, str]) -> str:
            async def opened() -> dict[str, Any] | None:
                response = await http.post(f"{license_}/v1/deals", json=body, headers=opener)
                if response.status_code == 404:  # license has not learned the patent yet
                    return None
                assert response.status_code == 201, response.text
                return response.json()

            created = await eventually(opened, timeout=120, interval=0.5)
            offer = created["offers"][0]["id"]
            accepted = await http.post(
                f"{license_}/v1/deals/{created['id']}/offers/{offer}/acceptance", headers=other
            )
            assert accepted.status_code == 200, accepted.text
            return str(created["id"])

        # Exclusive licences one signature from taking effect, and declarations drafted.
        licensed = await bounded(8, [lambda: new_patent(http, system, university)] * PAIRS)
        exclusive = [await deal(_exclusive(n, enterprise), uni, ent) for n in licensed]
        for deal_id in exclusive:
            signed = await http.post(
                f"{license_}/v1/deals/{deal_id}/signatures",
                content=PDF,
                headers=ent | {"content-type": "application/pdf"},
            )
            assert signed.status_code == 201, signed.text
        drafts = []
        for number in licensed:
            draft = await http.post(
                f"{listing}/v1/declarations", json=declaration(number), headers=uni
            )
            assert draft.status_code == 201, draft.text
            drafts.append(draft.json()["id"])

        # Transfers one recordal from changing the owner, and pledges one registration
        # from binding the same patents.
        sold = await pledgeable(http, system, university, PAIRS)
        transfers = [await deal(_transfer(n, university, enterprise), ent, uni) for n in sold]
        for deal_id in transfers:
            for headers in (ent, uni):
                signed = await http.post(
                    f"{license_}/v1/deals/{deal_id}/signatures",
                    content=PDF,
                    headers=headers | {"content-type": "application/pdf"},
                )
                assert signed.status_code == 201, signed.text
        pledges = []
        for number in sold:
            applied = await apply_pledge(http, system, number, university, bank)
            assert applied.status_code == 201, applied.text
            pledges.append(applied.json()["id"])

        began = time.monotonic()
        answers = await asyncio.gather(
            *(
                http.post(
                    f"{license_}/v1/deals/{d}/signatures",
                    content=PDF,
                    headers=uni | {"content-type": "application/pdf"},
                )
                for d in exclusive
            ),
            *(http.post(f"{listing}/v1/declarations/{d}/submit", headers=uni) for d in drafts),
            *(
                http.post(
                    f"{license_}/v1/deals/{d}/recordal",
                    json={"recordal_number": f"20261206{i:08d}", "recorded_on": str(real_today())},
                    headers=OPERATOR.headers(SETTINGS, scopes=OPERATOR_SCOPES),
                )
                for i, d in enumerate(transfers)
            ),
            *(register_pledge(http, system, p, bank) for p in pledges),
        )
        took = time.monotonic() - began
    unclear = [f"{r.status_code} {r.text[:200]}" for r in answers if r.status_code >= 500]
    figures = Figures(
        f"4b. {len(answers)} racing commands across services",
        written=len(answers),
        delivered=sum(1 for r in answers if r.status_code < 300),
        violations=unclear + await settled_violations(system, timeout=90),
        recovery_s=took,
    )
    report(figures)
    assert figures.violations == []
