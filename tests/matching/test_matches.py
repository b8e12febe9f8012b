"""The matcher through the API on the real stack: a patent registered in listing and an
enterprise's own profile meet in ``matches`` with their explanation; the operator's
full re-match; who may read a patent's matches."""

from __future__ import annotations

from typing import Any

import httpx

from listing.config import ListingSettings
from matching.config import MatchingSettings
from shared.auth import OrgType
from tests.listing.factories import patent_body
from tests.support.stack import OPERATOR_SCOPES, Org, application_number, eventually, org


def battery_profile(enterprise: Org, **overrides: Any) -> dict[str, Any]:
    return {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "region_code": "110108",
        "industry_codes": ["C3841"],
        "size": "small",
        "products": "锂离子电池健康状态检测仪、储能电池管理系统",
        "technical_needs": "电化学阻抗谱在线检测",
        "push_consent": True,
        **overrides,
    }


async def keep_profile(
    client: httpx.AsyncClient, settings: MatchingSettings, firm: Org, consent: bool = True
) -> None:
    saved = await client.put(
        "/v1/enterprise-profiles/me",
        json=battery_profile(firm, push_consent=consent),
        headers=firm.headers(settings),
    )
    assert saved.status_code in (200, 201), saved.text


async def register(client: httpx.AsyncClient, settings: ListingSettings, owner: Org) -> str:
    """A battery patent of ``owner``, registered in listing by the operator."""
    body = patent_body(owner)
    operator = org(OrgType.OPERATOR, "平台运营方")
    registered = await client.post(
        "/v1/patents", json=body, headers=operator.headers(settings, scopes=OPERATOR_SCOPES)
    )
    assert registered.status_code == 201, registered.text
    return str(body["application_number"])


async def test_a_patent_and_an_enterprise_meet_with_their_explanation(
    matching_client: httpx.AsyncClient,
    matching_settings: MatchingSettings,
    matching_listing_client: httpx.AsyncClient,
    matching_listing_settings: ListingSettings,
) -> None:
    university = org(OrgType.UNIVERSITY, "北京理工大学")
    operator = org(OrgType.OPERATOR, "平台运营方")
    enterprise = org(OrgType.ENTERPRISE, "北京锂检科技有限公司")
    silent = org(OrgType.ENTERPRISE, "北京未同意推送的电池企业")
    await keep_profile(matching_client, matching_settings, enterprise)
    await keep_profile(matching_client, matching_settings, silent, consent=False)
    number = await register(matching_listing_client, matching_listing_settings, university)
    ops = operator.headers(matching_settings, scopes=OPERATOR_SCOPES)

    async def matched() -> dict[str, Any] | None:
        found = await matching_client.get(f"/v1/patents/{number}/matches", headers=ops)
        if found.status_code != 200:
            return None
        mine = [m for m in found.json()["matches"] if m["enterprise_uscc"] == enterprise.uscc]
        return mine[0] if mine else None

    match = await eventually(matched, timeout=30)
    assert match["enterprise_name"] == enterprise.name
    assert match["score"] > 0
    assert abs(sum(match["factors"].values()) - match["score"]) < 1e-3
    assert match["factors"]["industry"] > 0
    assert match["factors"]["text"] > 0
    assert "锂离子" in match["matched_terms"]
    link = match["industry_links"][0]
    assert (link["industry_code"], link["enterprise_code"], link["level"]) == (
        "C3841",
        "C3841",
        "class",
    )
    assert (link["ipc_code"], link["ipc_key"]) == ("H01M 10/48", "H01M 10")
    assert match["weights_version"] == "2026-12-v1"

    # Without consent an enterprise is not proposed anything.
    everyone = await matching_client.get(f"/v1/patents/{number}/matches", headers=ops)
    assert silent.uscc not in {m["enterprise_uscc"] for m in everyone.json()["matches"]}

    # The owner reads its patent's matches; another organisation may not.
    own = await matching_client.get(
        f"/v1/patents/{number}/matches", headers=university.headers(matching_settings)
    )
    assert own.status_code == 200, own.text
    refused = await matching_client.get(
        f"/v1/patents/{number}/matches", headers=enterprise.headers(matching_settings)
    )
    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    unknown = await matching_client.get(
        f"/v1/patents/{application_number(2019, 1)}/matches", headers=ops
    )
    assert unknown.status_code == 404, unknown.text
    malformed = await matching_client.get("/v1/patents/2019100000/matches", headers=ops)
    assert malformed.status_code == 422, malformed.text


async def test_the_operators_full_rematch_goes_through_every_matchable_patent(
    matching_client: httpx.AsyncClient,
    matching_settings: MatchingSettings,
    matching_listing_client: httpx.AsyncClient,
    matching_listing_settings: ListingSettings,
) -> None:
    university = org(OrgType.UNIVERSITY, "北京化工大学")
    operator = org(OrgType.OPERATOR, "平台运营方")
    enterprise = org(OrgType.ENTERPRISE, "北京储能检测有限公司")
    await keep_profile(matching_client, matching_settings, enterprise)
    number = await register(matching_listing_client, matching_listing_settings, university)
    ops = operator.headers(matching_settings, scopes=OPERATOR_SCOPES)

    async def segmented() -> bool:
        found = await matching_client.get(f"/v1/patents/{number}/matches", headers=ops)
        return found.status_code == 200 and bool(found.json()["matches"])

    await eventually(segmented, timeout=30)

    refused = await matching_client.post(
        "/v1/rematch-jobs", headers=enterprise.headers(matching_settings)
    )
    assert refused.status_code == 403, refused.text
    started = await matching_client.post("/v1/rematch-jobs", headers=ops)
    assert started.status_code == 202, started.text
    job = started.json()
    assert started.headers["location"] == f"/v1/rematch-jobs/{job['id']}"
    assert job["patents_total"] >= 1
    assert job["weights_version"] == "2026-12-v1"

    async def finished() -> dict[str, Any] | None:
        now = await matching_client.get(f"/v1/rematch-jobs/{job['id']}", headers=ops)
        assert now.status_code == 200, now.text
        return now.json() if now.json()["state"] == "succeeded" else None

    done = await eventually(finished, timeout=60)
    assert done["patents_done"] >= job["patents_total"]
    assert done["matches_written"] >= 1
    assert done["finished_at"] is not None
    again = await matching_client.get(f"/v1/patents/{number}/matches", headers=ops)
    assert enterprise.uscc in {m["enterprise_uscc"] for m in again.json()["matches"]}
    missing = await matching_client.get("/v1/rematch-jobs/no-such-job", headers=ops)
    assert missing.status_code == 404, missing.text
