"""Enterprise profiles through the HTTP API on the real stack: an enterprise keeps its own
profile and consent; bad input is a 422 naming the field and the rule; who reads what;
the operator and regulators' list with filters and paging; every save queues a match."""

from __future__ import annotations

import random
from typing import Any

import httpx
import pytest

from matching.config import MatchingSettings
from shared.auth import OrgType
from tests.matching.asked import asked_to_match
from tests.support.stack import OPERATOR_SCOPES, Org, org, uscc

PROFILES = "/v1/enterprise-profiles"
PROBLEMS = "https://ipmarket.example/problems/"


def profile_body(enterprise: Org, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "region_code": "440305",
        "industry_codes": ["C3841", "C3985"],
        "strategic_codes": ["6.3.1"],
        "size": "small",
        "qualifications": ["specialized_sme", "high_tech"],
        "products": "磷酸铁锂正极材料、储能电池管理系统",
        "technical_needs": "固态电解质界面稳定性；电池热失控预警",
    }
    return {**body, **changes}


def unique_region() -> str:
    """A county code no other test uses (only the province part is checked)."""
    return f"65{random.randrange(10_000):04d}"


def enterprise(name: str = "深圳市锂能新材料科技有限公司") -> Org:
    return org(OrgType.ENTERPRISE, name)


async def test_an_enterprise_creates_replaces_and_reads_its_profile(
    matching_client: httpx.AsyncClient, matching_settings: MatchingSettings
) -> None:
    firm = enterprise()
    headers = firm.headers(matching_settings)
    assert (await matching_client.get(f"{PROFILES}/me", headers=headers)).status_code == 404

    created = await matching_client.put(
        f"{PROFILES}/me", json=profile_body(firm, push_consent=True), headers=headers
    )
    assert created.status_code == 201, created.text
    profile = created.json()
    assert profile["uscc"] == firm.uscc
    assert profile["source"] == "self"
    assert profile["push_consent"] is True
    assert profile["revision"] == 1
    assert profile["industry_codes"] == ["C3841", "C3985"]
    assert firm.uscc is not None
    assert await asked_to_match(matching_settings, [firm.uscc]) == [firm.uscc]

    renamed = await matching_client.put(
        f"{PROFILES}/me",
        json=profile_body(firm, name="锂能新材料（深圳）有限公司"),
        headers=headers,
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["revision"] == 1  # the name is not what matching reads
    assert renamed.json()["push_consent"] is False  # the body says so: its own act

    replaced = await matching_client.put(
        f"{PROFILES}/me", json=profile_body(firm, products="钠离子电池负极材料"), headers=headers
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["revision"] == 2

    own = await matching_client.get(f"{PROFILES}/me", headers=headers)
    assert own.json() == replaced.json()
    for reader in (org(OrgType.OPERATOR, "平台运营方"), org(OrgType.REGULATOR, "市场监管局")):
        read = await matching_client.get(
            f"{PROFILES}/{firm.uscc}", headers=reader.headers(matching_settings)
        )
        assert read.status_code == 200, read.text
        assert read.json()["products"] == "钠离子电池负极材料"
    itself = await matching_client.get(f"{PROFILES}/{firm.uscc.lower()}", headers=headers)
    assert itself.status_code == 200


async def test_others_cannot_read_a_profile_and_learn_nothing_of_its_existence(
    matching_client: httpx.AsyncClient, matching_settings: MatchingSettings
) -> None:
    firm, rival = enterprise(), enterprise("竞争对手有限公司")
    put = await matching_client.put(
        f"{PROFILES}/me", json=profile_body(firm), headers=firm.headers(matching_settings)
    )
    assert put.status_code == 201, put.text
    university = org(OrgType.UNIVERSITY, "清华大学")
    for stranger in (rival, university):
        for target in (firm.uscc, uscc("91440300")):  # existing, and never created
            refused = await matching_client.get(
                f"{PROFILES}/{target}", headers=stranger.headers(matching_settings)
            )
            assert refused.status_code == 403, refused.text
            assert refused.json()["type"] == PROBLEMS + "profile-not-readable"
    listed = await matching_client.get(PROFILES, headers=rival.headers(matching_settings))
    assert listed.status_code == 403


async def test_a_profile_for_another_organisation_is_refused(
    matching_client: httpx.AsyncClient, matching_settings: MatchingSettings
) -> None:
    firm, other = enterprise(), enterprise("另一家公司")
    refused = await matching_client.put(
        f"{PROFILES}/me", json=profile_body(other), headers=firm.headers(matching_settings)
    )
    assert refused.status_code == 403, refused.text
    problem = refused.json()
    assert problem["type"] == PROBLEMS + "profile-of-another-organisation"
    assert problem["field"] == "uscc"
    assert other.uscc is not None
    assert await asked_to_match(matching_settings, [other.uscc]) == []
    assert (
        await matching_client.get(
            f"{PROFILES}/{other.uscc}",
            headers=org(OrgType.OPERATOR, "运营方").headers(matching_settings),
        )
    ).status_code == 404


@pytest.mark.parametrize(
    ("changes", "slug", "field"),
    [
        ({"uscc": "91350100M000100Y44"}, "profile-uscc-invalid", "uscc"),
        ({"region_code": "990000"}, "profile-region-invalid", "region_code"),
        ({"industry_codes": ["C3841", "C38"]}, "profile-industry-not-a-class", "industry_codes[1]"),
        ({"industry_codes": ["Z9999"]}, "industry-code-invalid", "industry_codes[0]"),
        ({"industry_codes": []}, "profile-industry-count", "industry_codes"),
        ({"strategic_codes": ["10.1"]}, "profile-strategic-code-invalid", "strategic_codes[0]"),
        ({"products": "", "technical_needs": None}, "profile-nothing-to-match", "products"),
        ({"products": "产" * 2001}, "profile-text-too-long", "products"),
        (
            {"industries_opted_in": ["C38"], "industries_opted_out": ["C38"]},
            "consent-industry-in-and-out",
            "industries_opted_out",
        ),
        ({"industries_opted_out": ["C99"]}, "industry-code-invalid", "industries_opted_out[0]"),
    ],
)
async def test_bad_input_names_the_field_and_the_rule(
    matching_client: httpx.AsyncClient,
    matching_settings: MatchingSettings,
    changes: dict[str, Any],
    slug: str,
    field: str,
) -> None:
    firm = enterprise()
    body = profile_body(firm, **changes)
    if changes.get("uscc"):
        firm = Org(firm.org_id, firm.name, firm.org_type, changes["uscc"])
    refused = await matching_client.put(
        f"{PROFILES}/me", json=body, headers=firm.headers(matching_settings)
    )
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert problem["type"] == PROBLEMS + slug
    assert problem["field"] == field
    assert problem["detail"].startswith(f"{field}: ")


async def test_shape_errors_are_validation_problems(
    matching_client: httpx.AsyncClient, matching_settings: MatchingSettings
) -> None:
    firm = enterprise()
    for changes, where in (
        ({"size": "huge"}, "body.size"),
        ({"qualifications": ["famous"]}, "body.qualifications.0"),
        ({"push_consent": "yes"}, "body.push_consent"),
        ({"tokens": ["磷酸铁锂"]}, "body.tokens"),
    ):
        refused = await matching_client.put(
            f"{PROFILES}/me",
            json=profile_body(firm, **changes),
            headers=firm.headers(matching_settings),
        )
        assert refused.status_code == 422, refused.text
        assert [e["field"] for e in refused.json()["errors"]] == [where]


async def test_consent_is_the_enterprises_own_act(
    matching_client: httpx.AsyncClient, matching_settings: MatchingSettings
) -> None:
    firm = enterprise()
    operator = org(OrgType.OPERATOR, "平台运营方")
    op_headers = operator.headers(matching_settings, scopes=OPERATOR_SCOPES)
    consent = {"push_consent": True, "industries_opted_in": ["C38"]}
    assert (
        await matching_client.put(f"{PROFILES}/me/consent", json=consent, headers=op_headers)
    ).status_code == 403
    assert (
        await matching_client.put(f"{PROFILES}/me", json=profile_body(firm), headers=op_headers)
    ).status_code == 403
    headers = firm.headers(matching_settings)
    missing = await matching_client.put(f"{PROFILES}/me/consent", json=consent, headers=headers)
    assert missing.status_code == 404, missing.text

    await matching_client.put(f"{PROFILES}/me", json=profile_body(firm), headers=headers)
    given = await matching_client.put(
        f"{PROFILES}/me/consent",
        json={**consent, "industries_opted_out": ["C3841"]},
        headers=headers,
    )
    assert given.status_code == 200, given.text
    body = given.json()
    assert body["push_consent"] is True
    assert body["industries_opted_in"] == ["C38"]
    assert body["industries_opted_out"] == ["C3841"]
    assert body["revision"] == 1

    both = await matching_client.put(
        f"{PROFILES}/me/consent",
        json={
            "push_consent": True,
            "industries_opted_in": ["C38"],
            "industries_opted_out": ["C38"],
        },
        headers=headers,
    )
    assert both.status_code == 422
    assert both.json()["type"] == PROBLEMS + "consent-industry-in-and-out"
    withdrawn = await matching_client.put(
        f"{PROFILES}/me/consent", json={"push_consent": False}, headers=headers
    )
    assert withdrawn.json()["push_consent"] is False
    assert withdrawn.json()["industries_opted_in"] == []


async def test_the_list_filters_and_pages(
    matching_client: httpx.AsyncClient, matching_settings: MatchingSettings
) -> None:
    region = unique_region()
    firms = [enterprise(f"列表测试企业{i}") for i in range(5)]
    for i, firm in enumerate(firms):
        body = profile_body(
            firm,
            region_code=region,
            industry_codes=["C3841"] if i % 2 else ["C3511", "I6513"],
            push_consent=i < 2,
        )
        put = await matching_client.put(
            f"{PROFILES}/me", json=body, headers=firm.headers(matching_settings)
        )
        assert put.status_code == 201, put.text
    regulator = org(OrgType.REGULATOR, "市场监管局").headers(matching_settings)

    async def listed(**params: Any) -> list[str]:
        found: list[str] = []
        cursor = None
        while True:
            page = await matching_client.get(
                PROFILES,
                params={
                    "region": region,
                    "limit": 2,
                    **params,
                    **({"cursor": cursor} if cursor else {}),
                },
                headers=regulator,
            )
            assert page.status_code == 200, page.text
            found += [p["uscc"] for p in page.json()["items"]]
            cursor = page.json()["next_cursor"]
            if cursor is None:
                return found

    every = sorted(str(f.uscc) for f in firms)
    assert await listed() == every
    assert await listed(industry="C38") == sorted(str(f.uscc) for f in firms[1::2])
    assert await listed(industry="I65") == sorted(str(f.uscc) for f in firms[0::2])
    assert await listed(push_consent="true") == sorted(str(f.uscc) for f in firms[:2])
    assert await listed(source="imported") == []
    assert set(every) <= set(await listed(region=region[:4]))

    for params, field in (
        ({"industry": "C9"}, "industry"),
        ({"region": "4403001"}, "query.region"),
        ({"source": "bought"}, "query.source"),
        ({"cursor": "bm90LWEtY3Vyc29y"}, None),
    ):
        refused = await matching_client.get(PROFILES, params=params, headers=regulator)
        assert refused.status_code == 422, refused.text
        problem = refused.json()
        if field == "industry":
            assert problem["type"] == PROBLEMS + "industry-code-invalid"
            assert problem["field"] == "industry"
        elif field is not None:
            assert [e["field"] for e in problem["errors"]] == [field]
        else:
            assert problem["type"] == PROBLEMS + "invalid-cursor"
