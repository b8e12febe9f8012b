"""Mediation's rules and bad input through the HTTP API: who may ask, answer, decide and
read; what rules out acceptance; refusals, termination and withdrawal; every refusal a
problem+json naming its rule, never a 500."""

from __future__ import annotations

from datetime import date

from shared.auth import OrgType
from tests.license.client import assert_problem
from tests.license.conftest import MediationApp
from tests.license.factories import EventFeed
from tests.license.mediation_client import (
    call,
    licence_in_dispute,
    of_type,
    ok,
    request_body,
    staged,
)
from tests.support.stack import OPERATOR_SCOPES, org


async def test_only_the_licence_parties_ask_and_the_dispute_lies_in_its_term(
    mediation_app: MediationApp, feed: EventFeed
) -> None:
    app = mediation_app
    app.set_today(date(2025, 3, 3))
    dispute = await licence_in_dispute(app, feed)
    stranger = org(OrgType.ENTERPRISE, "深圳市某电池有限公司")
    # A stranger to the licence learns nothing: the 404 of a licence that does not exist.
    for license_id in (dispute.license_id, "no-such-licence"):
        assert_problem(
            await call(app, stranger, "", request_body(dispute, license_id=license_id)),
            404,
            "not-found",
        )
    assert_problem(
        await call(app, dispute.licensee, "", request_body(dispute, dispute_arose_on="2023-12-31")),
        422,
        "mediation-dispute-outside-license-term",
        "2024-01-01",
    )
    assert_problem(
        await call(app, dispute.licensee, "", request_body(dispute, dispute_arose_on="2025-03-04")),
        422,
        "mediation-dispute-date-in-future",
    )
    # Bad bodies: the field and the rule, never a 500.
    for bad in (
        request_body(dispute, claims=""),
        request_body(dispute, dispute_arose_on="2025-02-30"),
        request_body(dispute, other_proceedings=["appeal"]),
        request_body(dispute, mediator={"org_id": "", "name": "某调解委员会"}),
        {**request_body(dispute), "unexpected": 1},
    ):
        response = await call(app, dispute.licensee, "", bad)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
    assert (await call(app, dispute.mediator, "", request_body(dispute))).status_code == 403


async def test_a_mediator_sees_its_own_cases_a_party_its_own_overseers_all(
    mediation_app: MediationApp, feed: EventFeed
) -> None:
    app = mediation_app
    app.set_today(date(2025, 3, 3))
    dispute = await licence_in_dispute(app, feed)
    case = await ok(app, dispute.licensee, "", request_body(dispute))
    other_mediator = org(OrgType.MEDIATOR, "北京市知识产权纠纷调解中心")
    stranger = org(OrgType.ENTERPRISE, "深圳市某电池有限公司")
    operator = org(OrgType.OPERATOR, "平台运营方")
    regulator = org(OrgType.REGULATOR, "广东省知识产权局")

    async def read(who: str, headers: dict[str, str]) -> int:
        response = await app.client.get(f"/v1/mediation-cases/{case['id']}", headers=headers)
        if response.status_code == 200:
            assert response.json()["claims"] == case["claims"], who
        return response.status_code

    settings = app.settings
    assert await read("mediator", dispute.mediator.headers(settings)) == 200
    assert await read("licensee", dispute.licensee.headers(settings)) == 200
    assert await read("licensor", dispute.licensor.headers(settings)) == 200
    assert await read("operator", operator.headers(settings, OPERATOR_SCOPES)) == 200
    assert await read("regulator", regulator.headers(settings)) == 200
    assert await read("other mediator", other_mediator.headers(settings)) == 404
    assert await read("stranger", stranger.headers(settings)) == 404
    missing = await app.client.get(
        "/v1/mediation-cases/no-such-case", headers=stranger.headers(settings)
    )
    hidden = await app.client.get(
        f"/v1/mediation-cases/{case['id']}", headers=stranger.headers(settings)
    )
    assert missing.json()["detail"].replace("no-such-case", case["id"]) == hidden.json()["detail"]
    # Another mediation organisation cannot act on it either, nor learn that it exists.
    assert_problem(await call(app, other_mediator, f"/{case['id']}/acceptance"), 404, "not-found")
    answer = {"agrees": True}
    assert_problem(await call(app, stranger, f"/{case['id']}/response", answer), 404, "not-found")

    async def listed(headers: dict[str, str]) -> set[str]:
        response = await app.client.get(
            "/v1/mediation-cases", params={"limit": 100}, headers=headers
        )
        assert response.status_code == 200, response.text
        return {c["id"] for c in response.json()["items"]}

    assert case["id"] in await listed(dispute.mediator.headers(settings))
    assert case["id"] in await listed(dispute.licensor.headers(settings))
    assert case["id"] in await listed(regulator.headers(settings))
    assert case["id"] not in await listed(other_mediator.headers(settings))
    assert await listed(stranger.headers(settings)) == set()


async def test_acceptance_needs_the_other_partys_agreement_and_no_other_proceedings(
    mediation_app: MediationApp, feed: EventFeed
) -> None:
    app = mediation_app
    app.set_today(date(2025, 3, 3))
    dispute = await licence_in_dispute(app, feed)
    declined = await ok(app, dispute.licensee, "", request_body(dispute))
    path = f"/{declined['id']}"
    assert_problem(
        await call(app, dispute.mediator, f"{path}/acceptance"),
        422,
        "mediation-respondent-not-agreed",
        "not answered",
    )
    assert_problem(
        await call(app, dispute.licensee, f"{path}/response", {"agrees": True}),
        403,
        "mediation-not-respondent",
    )
    # Only the mediator decides; a party gets the organisation type's 403.
    assert (await call(app, dispute.licensor, f"{path}/acceptance")).status_code == 403
    await ok(app, dispute.licensor, f"{path}/response", {"agrees": False})
    assert_problem(
        await call(app, dispute.licensor, f"{path}/response", {"agrees": True}),
        409,
        "mediation-already-answered",
    )
    assert_problem(
        await call(app, dispute.mediator, f"{path}/acceptance"),
        422,
        "mediation-respondent-not-agreed",
        "declined",
    )
    assert_problem(
        await call(app, dispute.mediator, f"{path}/refusal", {"reason": "lawsuit_filed"}),
        422,
        "mediation-refusal-reason-unfounded",
    )
    refused = await ok(app, dispute.mediator, f"{path}/refusal", {"reason": "other_party_declined"})
    assert (refused["status"], refused["refusal_reason"]) == ("refused", "other_party_declined")
    [event] = of_type(await staged(app.settings, declined["id"]), "refused")
    assert event["reason"] == "other_party_declined"

    # A lawsuit the requester knew of, and an arbitration the other party records.
    known = await ok(
        app, dispute.licensee, "", request_body(dispute, other_proceedings=["lawsuit"])
    )
    await ok(app, dispute.licensor, f"/{known['id']}/response", {"agrees": True})
    assert_problem(
        await call(app, dispute.mediator, f"/{known['id']}/acceptance"),
        422,
        "mediation-proceedings-recorded",
        "lawsuit",
    )
    agreed = await ok(app, dispute.licensee, "", request_body(dispute))
    await ok(app, dispute.licensor, f"/{agreed['id']}/response", {"agrees": True})
    recorded = await ok(
        app,
        dispute.licensor,
        f"/{agreed['id']}/proceedings",
        {"kind": "arbitration", "note": "广州仲裁委员会已受理"},
    )
    assert recorded["proceedings"][0]["recorded_by"] == "licensor"
    assert_problem(
        await call(app, dispute.mediator, f"/{agreed['id']}/acceptance"),
        422,
        "mediation-proceedings-recorded",
        "arbitration",
    )
    await ok(app, dispute.mediator, f"/{agreed['id']}/refusal", {"reason": "arbitration_applied"})
    assert_problem(
        await call(app, dispute.mediator, f"/{agreed['id']}/acceptance"),
        409,
        "mediation-invalid-state",
    )


async def test_sessions_settlements_termination_and_withdrawal(
    mediation_app: MediationApp, feed: EventFeed
) -> None:
    app = mediation_app
    app.set_today(date(2025, 3, 3))
    dispute = await licence_in_dispute(app, feed, mode="lump_sum")
    case = await ok(app, dispute.licensee, "", request_body(dispute))
    path = f"/{case['id']}"
    assert_problem(
        await call(
            app, dispute.mediator, f"{path}/sessions", {"held_on": "2025-03-03", "summary": "x"}
        ),
        409,
        "mediation-invalid-state",
    )
    await ok(app, dispute.licensor, f"{path}/response", {"agrees": True})
    await ok(app, dispute.mediator, f"{path}/acceptance")
    assert_problem(
        await call(
            app, dispute.mediator, f"{path}/sessions", {"held_on": "2025-03-04", "summary": "x"}
        ),
        422,
        "mediation-session-date-invalid",
    )
    for bad in ({"days": 0, "reason": "鉴定"}, {"days": 10, "reason": " "}, {"days": 10}):
        response = await call(app, dispute.mediator, f"{path}/extensions", bad)
        assert response.status_code == 422, response.text
    assert_problem(
        await call(
            app,
            dispute.mediator,
            f"{path}/settlement",
            {"royalty_rate": "2.0", "effective_from": "2025-04-01"},
        ),
        422,
        "mediation-settlement-not-running-royalty",
    )
    assert (
        await call(
            app,
            dispute.mediator,
            f"{path}/settlement",
            {"royalty_rate": "abc", "effective_from": "2025-04-01"},
        )
    ).status_code == 422
    assert_problem(
        await call(app, dispute.mediator, f"{path}/termination", {"reason_code": "withdrawn"}),
        422,
        "mediation-termination-reason-reserved",
    )
    assert_problem(
        await call(app, dispute.licensor, f"{path}/withdrawal"), 403, "mediation-not-requester"
    )
    terminated = await ok(
        app,
        dispute.mediator,
        f"{path}/termination",
        {"reason_code": "no_agreement", "note": "双方分歧较大"},
    )
    assert (terminated["status"], terminated["closed_on"]) == ("terminated", "2025-03-03")
    assert_problem(
        await call(app, dispute.licensee, f"{path}/withdrawal"), 409, "mediation-invalid-state"
    )

    withdrawn = await ok(app, dispute.licensee, "", request_body(dispute))
    done = await ok(app, dispute.licensee, f"/{withdrawn['id']}/withdrawal")
    assert (done["status"], done["termination_reason"]) == ("withdrawn", "withdrawn")
    [event] = of_type(await staged(app.settings, withdrawn["id"]), "terminated")
    assert event["reason"] == "withdrawn"
    [event] = of_type(await staged(app.settings, case["id"]), "terminated")
    assert event["reason"] == "no_agreement"
    assert "分歧" not in str(event)


async def test_an_ended_licence_is_mediated_for_disputes_of_its_term(
    mediation_app: MediationApp, feed: EventFeed
) -> None:
    app = mediation_app
    app.set_today(date(2025, 9, 1))
    # Terminated early by agreement: no longer in force from 2025-07-01.
    ended = await licence_in_dispute(app, feed)
    end = {"ended_on": "2025-07-01", "reason_code": "agreement", "note": "协商一致提前终止"}
    for party in (ended.licensee, ended.licensor):
        response = await app.client.post(
            f"/v1/licenses/{ended.license_id}/termination",
            json=end,
            headers=party.headers(app.settings),
        )
        assert response.status_code == 200, response.text
    assert response.json()["status"] == "terminated"
    # The end day counts (a dispute over the ending arises on it); the day after does not.
    case = await ok(app, ended.licensee, "", request_body(ended, dispute_arose_on="2025-07-01"))
    assert case["status"] == "requested"
    assert_problem(
        await call(app, ended.licensee, "", request_body(ended, dispute_arose_on="2025-07-02")),
        422,
        "mediation-dispute-outside-license-term",
        "2025-07-01",
    )
    # A licence whose term ran out is mediated for its term too.
    expired = await licence_in_dispute(app, feed, term_end=date(2025, 6, 30))
    case = await ok(app, expired.licensee, "", request_body(expired, dispute_arose_on="2025-06-30"))
    assert case["status"] == "requested"
    # A deadline in a year the working-day calendar lacks: the request stands, its
    # deadline unknown until the operator adds the year; never a deadline guessed without
    # its holidays, never a 503.
    app.set_today(date(2028, 1, 10))
    case = await ok(app, ended.licensee, "", request_body(ended, dispute_arose_on="2025-06-01"))
    assert (case["acceptance_deadline"], case["acceptance_deadline_pending"]) == (None, 2028)
    [requested] = of_type(await staged(app.settings, case["id"]), "requested")
    assert (requested["acceptance_deadline"], requested["acceptance_deadline_pending"]) == (
        None,
        2028,
    )
