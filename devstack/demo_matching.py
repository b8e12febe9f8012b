"""The demo's matching (供需对接): the operator imports enterprise profiles (a local
industry department's list, ``devstack/data/enterprise_profiles.csv``) through the upload
API; the demo enterprise keeps its own profile and accepts pushes; its inbox fills with
the demo patents matched to it, and the demo prints the best of them with why.

Imported enterprises receive nothing until they accept pushes themselves. The upload
names itself (Idempotency-Key), so a restarted run finds the same job.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

KEY = "demo-enterprise-profiles-2026"
PROFILES = Path(__file__).resolve().parent / "data" / "enterprise_profiles.csv"
FINISHED = ("succeeded", "completed_with_errors", "rejected", "failed")


def own_profile(uscc: str, name: str) -> dict[str, Any]:
    """新能储能's own profile: energy-storage batteries and their management."""
    return {
        "uscc": uscc,
        "name": name,
        "region_code": "440305",
        "industry_codes": ["C3841", "C3849"],
        "strategic_codes": ["6"],
        "size": "medium",
        "qualifications": ["specialized_sme", "high_tech"],
        "products": "储能电站用锂离子电池簇、电池管理系统（BMS）、钠离子电池储能模组",
        "technical_needs": "电池健康状态在线检测与寿命预测；钠离子电池正极材料；液流电池储能控制",
        "push_consent": True,
    }


async def match_demo(
    client: httpx.AsyncClient,
    matching: str,
    operator: dict[str, str],
    enterprise: dict[str, str],
    enterprise_org: tuple[str, str],
) -> list[str]:
    """Import the profiles, keep the demo enterprise's own, wait for its inbox; the
    lines to print."""
    lines = [await _import_profiles(client, matching, operator)]
    uscc, name = enterprise_org
    saved = await client.put(
        f"{matching}/v1/enterprise-profiles/me", json=own_profile(uscc, name), headers=enterprise
    )
    if saved.status_code not in (200, 201):
        raise RuntimeError(f"demo profile: {saved.status_code} {saved.text}")
    items: list[dict[str, Any]] = []
    settled = 0
    for _ in range(150):
        inbox = await client.get(f"{matching}/v1/inbox", headers=enterprise)
        found = inbox.json().get("items", []) if inbox.status_code == 200 else []
        # Pushes arrive as the matcher and the pusher go: stop once the inbox holds
        # something and stayed the same for a second.
        settled = settled + 1 if found and len(found) == len(items) else 0
        items = found
        if settled >= 5:
            break
        await asyncio.sleep(0.2)
    lines.append(f"{name}'s inbox ({matching}/v1/inbox with the enterprise's token):")
    if not items:
        lines.append("  (nothing matched yet: the matcher fills it as listing's events arrive)")
    for item in items[:5]:
        patent, explanation = item["patent"], item["explanation"]
        links = "; ".join(
            f"{link.get('ipc_key') or '?'} -> {link['industry_code']} meets "
            f"{link['enterprise_code']} ({link['level']})"
            for link in explanation["industry_links"]
        )
        terms = "、".join(explanation["matched_terms"][:5]) or "-"
        tier = patent["tier"] or "-"
        lines.append(
            f"  {item['score']:.3f}  {patent['application_number']}  {patent['title']}\n"
            f"         tier {tier}; shared terms: {terms}; industry: {links or '-'}"
        )
    return lines


async def _import_profiles(client: httpx.AsyncClient, matching: str, auth: dict[str, str]) -> str:
    response = await client.post(
        f"{matching}/v1/enterprise-profiles/uploads",
        content=PROFILES.read_bytes(),
        headers={**auth, "Content-Type": "text/csv", "Idempotency-Key": KEY},
    )
    if response.status_code != 202:
        raise RuntimeError(f"demo profiles: upload -> {response.status_code} {response.text}")
    job = response.json()
    for _ in range(300):
        if job["status"] in FINISHED:
            break
        await asyncio.sleep(0.2)
        job = (await client.get(f"{matching}{job['links']['self']}", headers=auth)).json()
    return (
        f"enterprise profiles imported ({job['status']}): {job['rows_committed']} of "
        f"{job['rows_total']} rows; imported enterprises get pushes once they accept them"
    )
