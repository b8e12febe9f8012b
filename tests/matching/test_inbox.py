"""The inbox through the HTTP API: the pusher's rules (consent, opt-out and opt-in, the
rolling 7-day cap, one push per revision), the ranked and explained inbox, opened once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx

from matching.config import MatchingSettings
from shared.auth import OrgType
from shared.events import topics
from tests.matching.seed import (
    SeedMatch,
    SeedPatent,
    SeedProfile,
    connect,
    pushes_of,
    seed,
)
from tests.support.stack import Org, eventually, org, read_topic


def _enterprise(name: str = "深圳市储能科技有限公司") -> Org:
    return org(OrgType.ENTERPRISE, name)


async def _inbox(
    client: httpx.AsyncClient, settings: MatchingSettings, who: Org, query: str = ""
) -> dict:
    response = await client.get(f"/v1/inbox{query}", headers=who.headers(settings))
    assert response.status_code == 200, response.text
    return response.json()


async def _settled(settings: MatchingSettings, who: Org, count: int) -> list:
    """The enterprise's pushes once there are ``count``; then a few more of the pusher's
    ticks, so that a push too many would show."""
    await eventually(lambda: _has(settings, who, count))
    await asyncio.sleep(settings.push_interval_s * 5)
    found = await pushes_of(settings, who)
    assert len(found) == count, [r["application_number"] for r in found]
    return found


async def _has(settings: MatchingSettings, who: Org, count: int) -> bool:
    return len(await pushes_of(settings, who)) >= count


async def test_a_consenting_enterprise_receives_its_matchable_matches_ranked_and_explained(
    matching_client: httpx.AsyncClient, matching_settings: MatchingSettings
) -> None:
    enterprise = _enterprise()
    best, middle, last = (SeedPatent(["C3841"]) for _ in range(3))
    tier_d = SeedPatent(["C3841"], tier="D")
    lapsed = SeedPatent(["C3841"], valid=False)
    refused = SeedPatent(["C3841"], willingness="not_willing")
    scores = {best: 0.9, middle: 0.7, last: 0.5, tier_d: 0.99, lapsed: 0.98, refused: 0.97}
    await seed(
        matching_settings,
        patents=list(scores),
        profiles=[SeedProfile(enterprise, ["C384"])],
        matches=[SeedMatch(p, enterprise, s) for p, s in scores.items()],
    )
    await _settled(matching_settings, enterprise, 3)

    first = await _inbox(matching_client, matching_settings, enterprise, "?limit=2")
    second = await _inbox(
        matching_client, matching_settings, enterprise, f"?limit=2&cursor={first['next_cursor']}"
    )
    assert second["next_cursor"] is None
    items = first["items"] + second["items"]
    assert [i["patent"]["application_number"] for i in items] == [
        best.application_number,
        middle.application_number,
        last.application_number,
    ]
    top = items[0]
    assert top["score"] == 0.9
    assert top["opened_at"] is None
    assert top["feedback"] is None
    assert top["patent"]["institution_name"] == "清华大学"
    assert top["patent"]["tier"] == "A"
    assert top["patent"]["declared"] is True
    assert top["explanation"]["basis"] == "match"
    assert top["explanation"]["factors"] == {"industry": 0.45, "text": 0.45}
    assert top["explanation"]["matched_terms"] == ["锂离子电池", "热管理"]
    assert top["explanation"]["industry_links"] == [
        {
            "industry_code": "C3841",
            "enterprise_code": "C384",
            "level": "group",
            "ipc_code": "H01M 10/613",
            "ipc_key": "H01M 10",
            "source": "official",
        }
    ]
    assert top["weights_version"] == "2026-12-v1"

    push_ids = {i["push_id"] for i in items}
    events = await read_topic(
        matching_settings.kafka_bootstrap_servers,
        topics.MATCHING,
        until=lambda es: push_ids <= {e.data.get("push_id") for e in es if "pushed" in e.type},
    )
    pushed = next(e for e in events if e.data.get("push_id") == top["push_id"])
    assert pushed.type == "cn.ipmarket.matching.match.pushed.v1"
    assert pushed.subject == best.application_number
    assert pushed.data["enterprise"] == {
        "org_id": enterprise.org_id,
        "name": enterprise.name,
        "uscc": enterprise.uscc,
    }
    assert pushed.data["institution"]["name"] == "清华大学"
    assert pushed.data["institution"]["org_id"] == "university-tsinghua"
    assert pushed.data["industry_codes"] == ["C3841"]
    assert pushed.data["score"] == 0.9
    assert pushed.data["campaign_id"] is None


async def test_consent_and_the_industries_opted_out_and_in(
    matching_client: httpx.AsyncClient, matching_settings: MatchingSettings
) -> None:
    silent, opted_out, opted_in, witness = (_enterprise() for _ in range(4))
    battery, software = SeedPatent(["C3841"]), SeedPatent(["I6510"])
    profiles = [
        SeedProfile(silent, ["C384"], push_consent=False),
        SeedProfile(opted_out, ["C384", "I65"], opted_out=["C38"]),
        SeedProfile(opted_in, ["C384", "I65"], opted_in=["C384"]),
        SeedProfile(witness, ["C384", "I65"]),
    ]
    await seed(
        matching_settings,
        patents=[battery, software],
        profiles=profiles,
        matches=[SeedMatch(p, e.enterprise, 0.5) for p in (battery, software) for e in profiles],
    )
    await _settled(matching_settings, witness, 2)

    assert await pushes_of(matching_settings, silent) == []
    assert [r["application_number"] for r in await pushes_of(matching_settings, opted_out)] == [
        software.application_number
    ]
    assert [r["application_number"] for r in await pushes_of(matching_settings, opted_in)] == [
        battery.application_number
    ]
    assert (await _inbox(matching_client, matching_settings, silent))["items"] == []


async def test_at_most_the_cap_in_any_rolling_7_days(
    matching_settings: MatchingSettings,
) -> None:
    enterprise = _enterprise()
    cap = matching_settings.push_cap_per_7_days
    now = await _database_now(matching_settings)
    recent = [SeedPatent(["C3841"]) for _ in range(cap - 2)]
    old = [SeedPatent(["C3841"]) for _ in range(3)]
    new = [SeedPatent(["C3841"]) for _ in range(5)]
    await seed(
        matching_settings,
        patents=recent + old + new,
        profiles=[SeedProfile(enterprise, ["C384"])],
        matches=[SeedMatch(p, enterprise, 0.1 * (i + 1)) for i, p in enumerate(new)],
        pushes=[(enterprise, p, now - timedelta(days=1)) for p in recent]
        + [(enterprise, p, now - timedelta(days=7, minutes=1)) for p in old],
    )
    found = await _settled(matching_settings, enterprise, len(recent) + len(old) + 2)
    made = [r["application_number"] for r in found if r["weights_version"] == "2026-12-v1"]
    # The two best of the five: the room the seven days leave.
    assert sorted(made) == sorted(p.application_number for p in new[-2:])


async def _database_now(settings: MatchingSettings):  # type: ignore[no-untyped-def]
    conn = await connect(settings)
    try:
        return await conn.fetchval("SELECT now()")
    finally:
        await conn.close()


async def test_a_patent_is_pushed_once_per_revision_and_again_when_it_rose(
    matching_settings: MatchingSettings,
) -> None:
    enterprise = _enterprise()
    patent = SeedPatent(["C3841"])
    await seed(
        matching_settings,
        patents=[patent],
        profiles=[SeedProfile(enterprise, ["C384"])],
        matches=[SeedMatch(patent, enterprise, 0.6)],
    )
    [first] = await _settled(matching_settings, enterprise, 1)
    assert first["patent_revision"] == 1

    # Its tier changed in listing: the catalogue bumps the revision.
    conn = await connect(matching_settings)
    try:
        await conn.execute(
            "UPDATE patents SET revision = 2, tier = 'B' WHERE application_number = $1",
            patent.application_number,
        )
    finally:
        await conn.close()
    found = await _settled(matching_settings, enterprise, 2)
    assert [r["patent_revision"] for r in found] == [1, 2]


async def test_the_first_read_opens_a_push_once_and_only_its_enterprise_reads_it(
    matching_client: httpx.AsyncClient, matching_settings: MatchingSettings
) -> None:
    enterprise, other = _enterprise(), _enterprise("广州市某新材料有限公司")
    patent = SeedPatent(["C3841"])
    await seed(
        matching_settings,
        patents=[patent],
        profiles=[SeedProfile(enterprise, ["C384"])],
        matches=[SeedMatch(patent, enterprise, 0.6)],
    )
    [push] = await _settled(matching_settings, enterprise, 1)
    push_id = push["push_id"]
    unread = await _inbox(matching_client, matching_settings, enterprise, "?unopened=true")
    assert [i["push_id"] for i in unread["items"]] == [push_id]

    url = f"/v1/inbox/{push_id}"
    read = await matching_client.get(url, headers=enterprise.headers(matching_settings))
    assert read.status_code == 200, read.text
    opened_at = read.json()["opened_at"]
    assert opened_at is not None
    again = await matching_client.get(url, headers=enterprise.headers(matching_settings))
    assert again.json()["opened_at"] == opened_at
    assert (await _inbox(matching_client, matching_settings, enterprise, "?unopened=true"))[
        "items"
    ] == []

    foreign = await matching_client.get(url, headers=other.headers(matching_settings))
    assert foreign.status_code == 404
    assert foreign.headers["content-type"].startswith("application/problem+json")
    assert foreign.json()["type"].endswith("/push-unknown")

    events = await read_topic(
        matching_settings.kafka_bootstrap_servers,
        topics.MATCHING,
        until=lambda es: any(e.data.get("push_id") == push_id and "opened" in e.type for e in es),
    )
    await asyncio.sleep(0.5)
    events = await read_topic(
        matching_settings.kafka_bootstrap_servers,
        topics.MATCHING,
        until=lambda es: len(es) >= len(events),
    )
    opened = [
        e for e in events if e.type.endswith("push.opened.v1") and e.data["push_id"] == push_id
    ]
    assert len(opened) == 1
    assert opened[0].data["enterprise"]["uscc"] == enterprise.uscc
    assert opened[0].data["opened_at"] is not None
