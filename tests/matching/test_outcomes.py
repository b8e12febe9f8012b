"""What came of the matches, through the HTTP API: the funnel per patent, institution and
campaign, the industrialisation rate, who reads them, and the CSV exports.

Facts arrive as license's, listing's and pledge's events on the session's broker
(tests/matching/outcome_seed.py); pushes and feedback are seeded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from matching.config import MatchingSettings
from matching.main import create_app
from shared.auth import OrgType
from shared.events.schemas import ImplementationRecorded
from tests.matching.outcome_seed import (
    envelope,
    fact_count,
    license_granted,
    owner_changed,
    pledge_registered,
    publish,
    ref,
    register_patent,
    royalty_reported,
    seed_campaign,
    seed_feedback,
    seed_push,
)
from tests.support.stack import OPERATOR_SCOPES, Org, Stack, org, running_app

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The first push: early on 1 March in China, still 28 February in UTC.
FIRST_PUSH = datetime(2026, 3, 1, 7, 30, tzinfo=SHANGHAI)
CSV_CAP = 2


@pytest.fixture(scope="module")
def outcomes_settings(stack: Stack) -> MatchingSettings:
    return stack.settings(MatchingSettings, outcomes_csv_max_rows=CSV_CAP)


@pytest.fixture(scope="module")
async def outcomes_client(outcomes_settings: MatchingSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(create_app(outcomes_settings)) as client:
        yield client


@pytest.fixture(scope="module")
def operator() -> Org:
    return org(OrgType.OPERATOR, "平台运营方")


def _as(settings: MatchingSettings, who: Org) -> dict[str, str]:
    scopes = OPERATOR_SCOPES if who.org_type is OrgType.OPERATOR else None
    return who.headers(settings, scopes=scopes)


async def _get(
    client: httpx.AsyncClient, settings: MatchingSettings, who: Org, url: str
) -> dict[str, Any]:
    response = await client.get(url, headers=_as(settings, who))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_patents_funnel_counts_each_stage_attributes_deals_and_counts_facts_once(
    outcomes_client: httpx.AsyncClient, outcomes_settings: MatchingSettings, operator: Org
) -> None:
    settings = outcomes_settings
    university = org(OrgType.UNIVERSITY, "北京理工大学")
    bank = org(OrgType.BANK, "招商银行北京分行")
    e1, e2, e3, e4, stranger = (org(OrgType.ENTERPRISE, f"企业{i}") for i in range(5))
    number = await register_patent(settings, university)

    p1 = await seed_push(settings, number, e1, FIRST_PUSH, opened=True)
    p2 = await seed_push(settings, number, e2, FIRST_PUSH, opened=True)
    await seed_push(settings, number, e3, FIRST_PUSH)
    p4 = await seed_push(settings, number, e4, FIRST_PUSH)
    await seed_feedback(settings, number, e1, p1, will_implement="yes", market_evaluation="neutral")
    await seed_feedback(settings, number, e2, p2, will_implement="no", market_evaluation="negative")
    await seed_feedback(
        settings, number, e4, p4, will_implement="undecided", market_evaluation="positive"
    )

    # e1 licenses on the day of its push (Asia/Shanghai): counts; its royalty counts.
    licence = license_granted(number, university, e1, date(2026, 3, 1), value=Decimal("50000"))
    # e3 had licensed before the push, and the stranger was never pushed it: neither counts.
    earlier = license_granted(number, university, e3, date(2026, 2, 28))
    unpushed = license_granted(number, university, stranger, date(2026, 3, 10))
    royalty = royalty_reported(
        licence.license_id, number, Decimal("1200.50"), date(2026, 6, 30), period_id="P-2026Q2"
    )
    # e4 becomes a co-owner; the university, still an owner, then pledges the patent.
    transfer = owner_changed(number, [university], [university, e4], date(2026, 4, 1))
    pledge = pledge_registered([number], university, bank, date(2026, 4, 10), Decimal("3000000"))
    licence_event = envelope(licence)
    await publish(
        settings,
        licence_event,
        *(envelope(e) for e in (earlier, unpushed, royalty, transfer, pledge)),
    )
    # Redelivered (same event id), published again (new id, same licence), the royalty
    # period reported again: each is still one fact.
    await publish(
        settings,
        envelope(licence, event_id=licence_event.id),
        envelope(licence),
        envelope(royalty),
    )
    assert await fact_count(settings, "license", licence.license_id) == 1
    assert await fact_count(settings, "royalty", "P-2026Q2") == 1

    url = f"/v1/outcomes/patents/{number}"
    body = await _get(outcomes_client, settings, university, url)
    assert body["institution_uscc"] == university.uscc
    assert body["inventoried"] is True
    assert body["implemented"] is True
    assert body["funnel"] == {
        "pushed": 4,
        "opened": 2,
        "positive_feedback": 2,
        "deals": 2,
        "licensed": 1,
        "transferred": 1,
        "royalties_paid": 1,
        "royalties_cny": "1200.50",
        "patents_pushed": 1,
        "pledged_patents": 1,
        "conversion": {
            "opened": 0.5,
            "positive_feedback": 1.0,
            "deal": 1.0,
            "royalties_paid": 0.5,
            "pushed_to_deal": 0.5,
        },
    }
    # The co-owner reads it too; the operator and regulators read any patent.
    await _get(outcomes_client, settings, e4, url)
    await _get(outcomes_client, settings, operator, url)
    await _get(outcomes_client, settings, org(OrgType.REGULATOR, "国家知识产权局"), url)
    other = await outcomes_client.get(url, headers=_as(settings, e1))
    assert other.status_code == 403
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["type"].endswith("/outcomes-not-yours")
    unknown = await outcomes_client.get(
        "/v1/outcomes/patents/201710601862.3", headers=_as(settings, operator)
    )
    assert unknown.status_code == 404, unknown.text


async def test_a_campaigns_funnel_counts_its_own_pushes_from_their_day(
    outcomes_client: httpx.AsyncClient, outcomes_settings: MatchingSettings, operator: Org
) -> None:
    settings = outcomes_settings
    university = org(OrgType.UNIVERSITY, "四川大学")
    e1, e2 = org(OrgType.ENTERPRISE, "成都企业甲"), org(OrgType.ENTERPRISE, "成都企业乙")
    number = await register_patent(settings, university)
    campaign = await seed_campaign(settings)
    # e1 was pushed the patent before the campaign and licensed it before the
    # campaign's push: a deal for the patent, not for the campaign.
    await seed_push(settings, number, e1, datetime(2026, 1, 5, 9, tzinfo=SHANGHAI))
    await seed_push(
        settings,
        number,
        e1,
        datetime(2026, 5, 1, 9, tzinfo=SHANGHAI),
        campaign_id=campaign,
        revision=2,
    )
    await seed_push(
        settings,
        number,
        e2,
        datetime(2026, 5, 1, 9, tzinfo=SHANGHAI),
        opened=True,
        campaign_id=campaign,
    )
    await publish(
        settings,
        envelope(license_granted(number, university, e1, date(2026, 2, 1))),
        envelope(license_granted(number, university, e2, date(2026, 5, 20))),
    )

    url = f"/v1/outcomes/campaigns/{campaign}"
    funnel = (await _get(outcomes_client, settings, operator, url))["funnel"]
    assert (funnel["pushed"], funnel["opened"], funnel["deals"]) == (2, 1, 1)
    assert funnel["conversion"]["positive_feedback"] == 0.0
    assert funnel["conversion"]["deal"] is None  # no positive feedback to divide by
    patent = await _get(outcomes_client, settings, operator, f"/v1/outcomes/patents/{number}")
    assert (patent["funnel"]["pushed"], patent["funnel"]["deals"]) == (2, 2)

    refused = await outcomes_client.get(url, headers=_as(settings, university))
    assert refused.status_code == 403, refused.text
    missing = await outcomes_client.get(
        "/v1/outcomes/campaigns/no-such-campaign", headers=_as(settings, operator)
    )
    assert missing.status_code == 404, missing.text


async def _ranked(
    client: httpx.AsyncClient, settings: MatchingSettings, who: Org, order: str
) -> list[dict[str, Any]]:
    """Every page of the ranked list, two at a time."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params = {"order": order, "limit": "2", **({"cursor": cursor} if cursor else {})}
        response = await client.get(
            "/v1/outcomes/institutions", params=params, headers=_as(settings, who)
        )
        assert response.status_code == 200, response.text
        items += response.json()["items"]
        cursor = response.json().get("next_cursor")
        if not cursor:
            return items


async def test_an_institutions_industrialisation_rate_ranking_and_csv_exports(
    outcomes_client: httpx.AsyncClient, outcomes_settings: MatchingSettings, operator: Org
) -> None:
    settings = outcomes_settings
    ua, ub, uc = (org(OrgType.UNIVERSITY, n) for n in ("浙江大学", "中山大学", "湖南大学"))
    buyer, bank = org(OrgType.ENTERPRISE, "宁波企业"), org(OrgType.BANK, "浙商银行")
    pushed_to = org(OrgType.ENTERPRISE, "杭州企业")
    a1, a2, a3 = [await register_patent(settings, ua) for _ in range(3)]
    a4 = await register_patent(settings, ua, inventoried=False)
    a5 = await register_patent(settings, ua)
    b1 = await register_patent(settings, ub)
    c1 = await register_patent(settings, uc, inventoried=False)
    await publish(
        settings,
        # Implementations count whoever the counterparty and whenever they took effect.
        envelope(license_granted(a1, ua, buyer, date(2026, 2, 1))),
        envelope(owner_changed(a2, [ua], [buyer], date(2026, 2, 2))),
        # A pledge is not an implementation; a patent not inventoried is not counted.
        envelope(pledge_registered([a3], ua, bank, date(2026, 2, 3), Decimal("1000000"))),
        envelope(license_granted(a4, ua, buyer, date(2026, 2, 4))),
        envelope(license_granted(b1, ub, buyer, date(2026, 2, 5))),
        # The institution's own implementation (实施登记), as listing records it.
        envelope(
            ImplementationRecorded(
                implementation_id="impl-" + a5,
                application_number=a5,
                kind="implemented",
                recorded_on=date(2026, 2, 6),
                institutions=[ref(ua)],
            )
        ),
    )
    await seed_push(settings, a1, pushed_to, FIRST_PUSH, opened=True)
    for enterprise in (pushed_to, buyer):
        await seed_push(settings, c1, enterprise, FIRST_PUSH)

    own = await _get(outcomes_client, settings, ua, f"/v1/outcomes/institutions/{ua.uscc}")
    assert own["industrialisation"] == {"inventoried": 4, "implemented": 3, "rate": 3 / 4}
    assert (own["funnel"]["pushed"], own["funnel"]["opened"], own["funnel"]["deals"]) == (1, 1, 0)
    refused = await outcomes_client.get(
        f"/v1/outcomes/institutions/{ua.uscc}", headers=_as(settings, ub)
    )
    assert refused.status_code == 403, refused.text
    none = await _get(outcomes_client, settings, operator, f"/v1/outcomes/institutions/{uc.uscc}")
    assert none["industrialisation"] == {"inventoried": 0, "implemented": 0, "rate": None}

    by_rate = await _ranked(outcomes_client, settings, operator, "industrialisation_rate")
    usccs = [i["uscc"] for i in by_rate]
    assert usccs.index(ub.uscc) < usccs.index(ua.uscc) < usccs.index(uc.uscc)
    assert len(usccs) == len(set(usccs))
    assert by_rate[usccs.index(ua.uscc)] == own
    by_pushes = [i["uscc"] for i in await _ranked(outcomes_client, settings, operator, "pushes")]
    assert by_pushes.index(uc.uscc) < by_pushes.index(ua.uscc) < by_pushes.index(ub.uscc)
    listed = await outcomes_client.get("/v1/outcomes/institutions", headers=_as(settings, ua))
    assert listed.status_code == 403, listed.text

    everyone = await outcomes_client.get(
        "/v1/outcomes/institutions.csv", headers=_as(settings, operator)
    )
    assert everyone.status_code == 200, everyone.text
    assert everyone.headers["content-type"] == "text/csv; charset=utf-8"
    assert everyone.content.startswith(b"\xef\xbb\xbf")
    lines = everyone.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("uscc,name,inventoried,implemented,industrialisation_rate,pushed,")
    assert len(lines) == 1 + CSV_CAP
    assert everyone.headers["x-export-capped"] == f"{CSV_CAP}/{len(usccs)}"

    mine = await outcomes_client.get(
        "/v1/outcomes/patents.csv", params={"institution": ua.uscc}, headers=_as(settings, ua)
    )
    assert mine.status_code == 200, mine.text
    rows = mine.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("application_number,title,institution_uscc,institution_name,")
    # a1, a2, a3, a5 are inventoried; a4 neither inventoried nor pushed: 4 rows, 2 written.
    assert mine.headers["x-export-capped"] == f"{CSV_CAP}/4"
    assert rows[1].split(",")[:7] == [
        a1,
        "一种锂电池健康状态检测方法",
        ua.uscc,
        "浙江大学",
        "yes",
        "yes",
        "1",
    ]
    assert rows[2].split(",")[0] == a2
    small = await outcomes_client.get(
        "/v1/outcomes/patents.csv", params={"institution": ub.uscc}, headers=_as(settings, ub)
    )
    assert small.status_code == 200
    assert "x-export-capped" not in small.headers
    assert [r.split(",")[0] for r in small.content.decode("utf-8-sig").splitlines()[1:]] == [b1]
    for who, params in ((ub, {"institution": ua.uscc}), (ua, {})):
        response = await outcomes_client.get(
            "/v1/outcomes/patents.csv", params=params, headers=_as(settings, who)
        )
        assert response.status_code == 403, response.text
    refused_csv = await outcomes_client.get(
        "/v1/outcomes/institutions.csv", headers=_as(settings, ua)
    )
    assert refused_csv.status_code == 403
