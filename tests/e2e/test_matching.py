"""Matching and push (供需对接) across the deployed processes, on the real broker and
database: a university inventories and tiers a patent in listing -> matching matches it
to an enterprise of its industry, which finds it in its inbox -> a platform subscribed to
pushes receives the ``match.pushed`` webhook -> the enterprise's positive feedback moves
the patent's tier in listing -> a licence the enterprise takes later shows in the
patent's outcome funnel."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from shared.auth import OrgType
from shared.settings import ServiceSettings
from tests.e2e.conftest import System
from tests.e2e.test_walking_skeleton import declaration
from tests.support.stack import (
    OPERATOR_SCOPES,
    Org,
    application_number,
    eventually,
    org,
    real_today,
)
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.e2e

SETTINGS = ServiceSettings()
PUSHED = "cn.ipmarket.matching.match.pushed.v1"


def battery_patent(owner: Org, number: str) -> dict[str, Any]:
    return {
        "application_number": number,
        "title": "一种锂离子电池健康状态在线检测方法",
        "abstract": "本发明公开了一种基于电化学阻抗谱的锂离子电池健康状态在线检测方法，"
        "用于储能电站电池簇的健康状态评估与故障预警。",
        "ipc_codes": ["H01M 10/48"],
        "region_code": "110108",
        "filing_date": "2019-05-20",
        "grant_date": "2021-08-03",
        "patentees": [
            {"name": owner.name, "uscc": owner.uscc, "share": "100", "party_type": "university"}
        ],
    }


def evaluation(readiness: int, prospects: int) -> dict[str, Any]:
    return {
        "kind": "institution",
        "evaluator_person": "李评估",
        "readiness_level": readiness,
        "application_scenarios": "储能电站电池簇在线监测",
        "scenario_industry_codes": ["C3841"],
        "prospects_score": prospects,
        "prospects": "储能市场需求旺盛",
    }


def profile(enterprise: Org) -> dict[str, Any]:
    return {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "region_code": "440305",
        "industry_codes": ["C3841"],
        "size": "small",
        "qualifications": ["specialized_sme"],
        "products": "储能电池管理系统、锂离子电池模组",
        "technical_needs": "锂离子电池健康状态在线检测与故障预警",
        "push_consent": True,
    }


async def test_a_tiered_patent_reaches_an_enterprise_whose_feedback_and_licence_count(
    system: System,
) -> None:
    receiver = Receiver("gdtex")
    await receiver.start()
    operator = org(OrgType.OPERATOR, "平台运营方")
    university = org(OrgType.UNIVERSITY, "华南理工大学")
    enterprise = org(OrgType.ENTERPRISE, "深圳市储能芯科技有限公司")
    exchange = Org(f"exchange-{uuid.uuid4().hex[:8]}", "广东技术交易所", OrgType.EXCHANGE, None)
    listing, matching = system.url("listing"), system.url("matching")
    uni, ent = university.headers(SETTINGS), enterprise.headers(SETTINGS)
    async with httpx.AsyncClient(timeout=15) as http:
        # An exchange subscribes to pushes.
        platform = await http.post(
            f"{system.url('webhooks')}/v1/platforms",
            json={"org_id": exchange.org_id, "name": exchange.name},
            headers=operator.headers(SETTINGS, scopes=OPERATOR_SCOPES),
        )
        assert platform.status_code == 201, platform.text
        endpoint = await http.post(
            f"{system.url('webhooks')}/v1/platforms/{platform.json()['id']}/endpoints",
            json={"url": receiver.url, "event_types": [PUSHED]},
            headers=exchange.headers(SETTINGS),
        )
        assert endpoint.status_code == 201, endpoint.text
        receiver.secrets.append(endpoint.json()["secret"])

        # An enterprise of the battery industry keeps its profile and accepts pushes.
        saved = await http.put(
            f"{matching}/v1/enterprise-profiles/me", json=profile(enterprise), headers=ent
        )
        assert saved.status_code in (200, 201), saved.text

        # The university registers, inventories and evaluates its patent: tier B.
        number = application_number(2019, 1)
        created = await http.post(
            f"{listing}/v1/patents", json=battery_patent(university, number), headers=uni
        )
        assert created.status_code == 201, created.text
        inventory = await http.put(
            f"{listing}/v1/patents/{number}/inventory",
            json={"willingness": "willing", "intended_modes": ["license", "open_license"]},
            headers=uni,
        )
        assert inventory.status_code == 200, inventory.text
        evaluated = await http.post(
            f"{listing}/v1/patents/{number}/evaluations", json=evaluation(6, 3), headers=uni
        )
        assert evaluated.status_code == 201, evaluated.text
        tier = await http.get(f"{listing}/v1/patents/{number}/tier", headers=uni)
        assert tier.json()["tier"] == "B", tier.text

        # The enterprise finds it in its inbox, explained.
        async def pushed() -> dict[str, Any] | None:
            inbox = await http.get(f"{matching}/v1/inbox", headers=ent)
            assert inbox.status_code == 200, inbox.text
            mine = [i for i in inbox.json()["items"] if i["patent"]["application_number"] == number]
            return mine[0] if mine else None

        item = await eventually(pushed, timeout=60, interval=0.3)
        explanation = item["explanation"]
        assert explanation["weights_version"] == item["weights_version"]
        assert any(link["industry_code"] == "C3841" for link in explanation["industry_links"])
        assert explanation["matched_terms"], explanation
        assert item["score"] == pytest.approx(sum(explanation["factors"].values()), abs=1e-3)

        # The subscribed exchange receives the push.
        await eventually(
            lambda: [e for e in receiver.events({number}) if e["type"] == PUSHED], timeout=60
        )

        # The enterprise reads it and answers: it would implement it. Listing re-tiers.
        opened = await http.get(f"{matching}/v1/inbox/{item['push_id']}", headers=ent)
        assert opened.json()["opened_at"] is not None, opened.text
        feedback = await http.put(
            f"{matching}/v1/inbox/{item['push_id']}/feedback",
            json={
                "will_implement": "yes",
                "wants_cooperation": True,
                "market_evaluation": "positive",
                "prospect_score": 4,
                "improvement_needs": "需适配磷酸铁锂电池",
                "comment": "希望与课题组共建联合实验室",
            },
            headers=ent,
        )
        assert feedback.status_code == 200, feedback.text

        async def retiered() -> bool:
            now = await http.get(f"{listing}/v1/patents/{number}/tier", headers=uni)
            return now.json()["tier"] == "A"

        await eventually(retiered, timeout=60, interval=0.3)

        # Later the university declares an open licence; the enterprise takes it.
        draft = await http.post(f"{listing}/v1/declarations", json=declaration(number), headers=uni)
        assert draft.status_code == 201, draft.text
        submitted = await http.post(
            f"{listing}/v1/declarations/{draft.json()['id']}/submit", headers=uni
        )
        assert submitted.status_code == 200, submitted.text

        async def accept() -> dict[str, Any] | None:
            response = await http.post(
                f"{system.url('license')}/v1/licenses",
                json={"declaration_id": submitted.json()["id"], "field_of_use": "储能电站"},
                headers=ent,
            )
            return response.json() if response.status_code == 201 else None

        licence = await eventually(accept, timeout=60, interval=0.3)
        paid = await http.post(
            f"{system.url('license')}/v1/licenses/{licence['id']}/payments",
            json={
                "amount": {"amount": "50000.00", "currency": "CNY"},
                "voucher_reference": "CMB-20261206-0001",
                # The day in Asia/Shanghai: a licence counts from the day of the first push.
                "paid_on": str(real_today()),
            },
            headers=ent,
        )
        assert paid.status_code in (200, 201), paid.text

        async def funnel() -> dict[str, Any] | None:
            found = await http.get(f"{matching}/v1/outcomes/patents/{number}", headers=uni)
            assert found.status_code == 200, found.text
            stages = found.json()["funnel"]
            return stages if stages["licensed"] == 1 else None

        stages = await eventually(funnel, timeout=60, interval=0.3)
    await receiver.stop()
    assert (stages["pushed"], stages["opened"], stages["positive_feedback"]) == (1, 1, 1)
    assert stages["deals"] == 1
