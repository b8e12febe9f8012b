"""Feedback (企业市场化评价) through the HTTP API: by push or by patent, replaced when
given again, published without its texts, refused without a push of one's own; and
the affinities it gives the matcher."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from matching.config import MatchingSettings
from matching.feedback.repository import FeedbackRepository
from shared.auth import OrgType
from shared.events import topics
from tests.matching.seed import SeedMatch, SeedPatent, SeedProfile, pushes_of, seed
from tests.support.stack import Org, eventually, org, read_topic

ANSWER = {
    "will_implement": "yes",
    "wants_cooperation": True,
    "market_evaluation": "positive",
    "prospect_score": 4,
    "improvement_needs": "需提高低温下的循环寿命",
    "comment": "可小批量试产",
}


@pytest.fixture
async def pushed(matching_settings: MatchingSettings) -> tuple[Org, list[dict]]:
    """An enterprise with two patents pushed: a battery one (C3841), then a software
    one (I6510)."""
    enterprise = org(OrgType.ENTERPRISE, "深圳市储能科技有限公司")
    patents = [SeedPatent(["C3841"]), SeedPatent(["I6510"])]
    await seed(
        matching_settings,
        patents=patents,
        profiles=[SeedProfile(enterprise, ["C384", "I65"])],
        matches=[SeedMatch(p, enterprise, 0.5) for p in patents],
    )

    async def both() -> dict[str, dict]:
        found = {
            r["application_number"]: dict(r) for r in await pushes_of(matching_settings, enterprise)
        }
        return found if len(found) == 2 else {}

    found = await eventually(both)
    return enterprise, [found[p.application_number] for p in patents]


async def test_feedback_on_a_push_is_recorded_replaced_and_published_without_its_texts(
    matching_client: httpx.AsyncClient,
    matching_settings: MatchingSettings,
    pushed: tuple[Org, list[dict]],
) -> None:
    enterprise, pushes = pushed
    push = pushes[0]
    url = f"/v1/inbox/{push['push_id']}/feedback"
    first = await matching_client.put(
        url, json=ANSWER, headers=enterprise.headers(matching_settings)
    )
    assert first.status_code == 200, first.text
    changed = {**ANSWER, "will_implement": "undecided", "prospect_score": 2}
    second = await matching_client.put(
        url, json=changed, headers=enterprise.headers(matching_settings)
    )
    assert second.status_code == 200, second.text
    assert second.json()["feedback_id"] == first.json()["feedback_id"]
    assert second.json()["prospect_score"] == 2

    item = await matching_client.get(
        f"/v1/inbox/{push['push_id']}", headers=enterprise.headers(matching_settings)
    )
    assert item.json()["feedback"]["will_implement"] == "undecided"
    assert item.json()["feedback"]["improvement_needs"] == ANSWER["improvement_needs"]

    feedback_id = first.json()["feedback_id"]

    def recorded(events: list) -> list:
        return [
            e
            for e in events
            if e.type.endswith("feedback.recorded.v1") and e.data["feedback_id"] == feedback_id
        ]

    events = await read_topic(
        matching_settings.kafka_bootstrap_servers,
        topics.MATCHING,
        until=lambda es: len(recorded(es)) == 2,
    )
    latest = recorded(events)[-1].data
    assert latest["application_number"] == push["application_number"]
    assert latest["push_id"] == push["push_id"]
    assert latest["enterprise"]["uscc"] == enterprise.uscc
    assert latest["will_implement"] == "undecided"
    assert latest["wants_cooperation"] is True
    assert latest["market_evaluation"] == "positive"
    assert latest["prospect_score"] == 2
    text = str(latest)
    assert ANSWER["improvement_needs"] not in text
    assert ANSWER["comment"] not in text


async def test_feedback_addressed_by_the_patent_and_refused_without_a_push(
    matching_client: httpx.AsyncClient,
    matching_settings: MatchingSettings,
    pushed: tuple[Org, list[dict]],
) -> None:
    enterprise, pushes = pushed
    number = pushes[1]["application_number"]
    by_patent = await matching_client.put(
        f"/v1/feedback/{number}", json=ANSWER, headers=enterprise.headers(matching_settings)
    )
    assert by_patent.status_code == 200, by_patent.text
    assert by_patent.json()["push_id"] == pushes[1]["push_id"]

    stranger = org(OrgType.ENTERPRISE, "广州市某新材料有限公司")
    never = await matching_client.put(
        f"/v1/feedback/{number}", json=ANSWER, headers=stranger.headers(matching_settings)
    )
    assert never.status_code == 409
    assert never.headers["content-type"].startswith("application/problem+json")
    assert never.json()["type"].endswith("/feedback-without-push")
    assert "no push of" in never.json()["detail"]

    foreign = await matching_client.put(
        f"/v1/inbox/{pushes[1]['push_id']}/feedback",
        json=ANSWER,
        headers=stranger.headers(matching_settings),
    )
    assert foreign.status_code == 404
    assert foreign.json()["type"].endswith("/push-unknown")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"prospect_score": 6}, "prospect_score"),
        ({"prospect_score": 0}, "prospect_score"),
        ({"will_implement": "maybe"}, "will_implement"),
        ({"market_evaluation": "great"}, "market_evaluation"),
        ({"wants_cooperation": "yes"}, "wants_cooperation"),
        ({"royalty": 5}, "royalty"),
    ],
)
async def test_bad_feedback_values_are_422_naming_the_field(
    matching_client: httpx.AsyncClient,
    matching_settings: MatchingSettings,
    pushed: tuple[Org, list[dict]],
    change: dict,
    field: str,
) -> None:
    enterprise, pushes = pushed
    response = await matching_client.put(
        f"/v1/inbox/{pushes[0]['push_id']}/feedback",
        json={**ANSWER, **change},
        headers=enterprise.headers(matching_settings),
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in response.text


async def test_affinities_per_division_from_the_answers(
    matching_client: httpx.AsyncClient,
    matching_settings: MatchingSettings,
    pushed: tuple[Org, list[dict]],
) -> None:
    enterprise, pushes = pushed
    battery, software = (p["application_number"] for p in pushes)
    welcome = {
        **ANSWER,
        "will_implement": "yes",
        "market_evaluation": "positive",
        "prospect_score": 5,
    }
    refuse = {
        **ANSWER,
        "will_implement": "no",
        "market_evaluation": "negative",
        "prospect_score": 1,
    }
    for number, answer in ((battery, welcome), (software, refuse)):
        response = await matching_client.put(
            f"/v1/feedback/{number}", json=answer, headers=enterprise.headers(matching_settings)
        )
        assert response.status_code == 200, response.text

    engine = create_async_engine(matching_settings.database_url)
    try:
        async with AsyncSession(engine) as session:
            affinities = await FeedbackRepository(session).affinities(enterprise.uscc)
    finally:
        await engine.dispose()
    assert affinities == {"C38": 0.5, "I65": -0.5}
