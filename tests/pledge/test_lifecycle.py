"""The life of a pledge through the bank's actions, on the real stack."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from pledge.config import PledgeSettings
from shared.auth import OrgType
from shared.events import topics
from shared.events.schemas import DeclarationExpired, PatentStatusChanged
from tests.pledge.factories import (
    about,
    application,
    assert_refused,
    bank_action,
    declaration,
    known_patent,
    publish,
    registered,
    registered_pledge,
)
from tests.support.stack import OPERATOR_SCOPES, Org, eventually, org, read_topic


async def test_review_correction_refusal(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "四川大学")
    bank = org(OrgType.BANK, "成都银行")
    number = await known_patent(pledge_client, pledge_settings, registered([owner]))
    created = await pledge_client.post(
        "/v1/pledges", json=application(number, bank), headers=owner.headers(pledge_settings)
    )
    pledge_id = created.json()["id"]

    asked = await bank_action(
        pledge_client,
        pledge_settings,
        bank,
        pledge_id,
        "correction-request",
        {"reason": "请补充评估报告"},
    )
    assert asked["status"] == "correction_requested"
    assert asked["correction_reason"] == "请补充评估报告"
    # The bank cannot approve what is being corrected, nor can it resubmit for the pledgor.
    refused = await pledge_client.post(
        f"/v1/pledges/{pledge_id}/approval",
        json={"approved_on": "2026-11-21"},
        headers=bank.headers(pledge_settings),
    )
    assert_refused(refused, 409, "invalid-state-transition", "correction_requested", "approved")
    stranger = org(OrgType.UNIVERSITY, "电子科技大学")
    assert_refused(
        await pledge_client.post(
            f"/v1/pledges/{pledge_id}/resubmission",
            json={},
            headers=stranger.headers(pledge_settings),
        ),
        404,
        "not-found",
    )
    # A correction still meets every pre-check rule.
    assert_refused(
        await pledge_client.post(
            f"/v1/pledges/{pledge_id}/resubmission",
            json={"debt_term_end": "2040-01-01"},
            headers=owner.headers(pledge_settings),
        ),
        422,
        "pledge-debt-term-past-expiry",
        "2038-06-14",
    )
    again = await bank_action(
        pledge_client,
        pledge_settings,
        owner,
        pledge_id,
        "resubmission",
        {"secured_amount": {"amount": "2500000.00", "currency": "CNY"}},
    )
    assert again["status"] == "submitted"
    assert again["secured_amount"]["amount"] == "2500000.00"
    assert again["correction_reason"] is None

    approved = await bank_action(
        pledge_client, pledge_settings, bank, pledge_id, "approval", {"approved_on": "2026-11-21"}
    )
    assert approved["status"] == "approved"
    final = await bank_action(
        pledge_client, pledge_settings, bank, pledge_id, "refusal", {"reason": "授信额度不足"}
    )
    assert final["status"] == "refused"
    assert final["refusal_reason"] == "授信额度不足"
    assert_refused(
        await pledge_client.post(
            f"/v1/pledges/{pledge_id}/registration",
            json={"registration_number": "Y1", "registered_on": "2026-11-22"},
            headers=bank.headers(pledge_settings),
        ),
        409,
        "invalid-state-transition",
        "refused",
    )
    assert_refused(
        await pledge_client.post(
            f"/v1/pledges/{pledge_id}/refusal",
            json={"reason": ""},
            headers=bank.headers(pledge_settings),
        ),
        422,
        "validation-error",
    )

    events = await read_topic(
        pledge_settings.kafka_bootstrap_servers,
        topics.PLEDGE,
        until=lambda evs: any(
            e.subject == pledge_id and e.type.endswith("refused.v1") for e in evs
        ),
    )
    assert [e.type.split(".")[-2] for e in about(events, pledge_id)] == [
        "submitted",
        "correction_requested",
        "submitted",
        "approved",
        "refused",
    ]


async def test_bank_policy_minimum_remaining_term(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "西南交通大学")
    bank = org(OrgType.BANK, "四川银行")
    other_bank = org(OrgType.BANK, "绵阳商业银行")
    operator = org(OrgType.OPERATOR, "平台运营方")
    policy_path = f"/v1/bank-policies/{bank.org_id}"
    assert_refused(
        await pledge_client.put(
            policy_path,
            json={"min_remaining_term_years": 5, "loan_to_value_percent": "50"},
            headers=other_bank.headers(pledge_settings),
        ),
        403,
        "not-the-bank",
        bank.org_id,
    )
    bad = await pledge_client.put(
        policy_path,
        json={"min_remaining_term_years": 5, "loan_to_value_percent": "70"},
        headers=bank.headers(pledge_settings),
    )
    assert_refused(bad, 422, "validation-error")
    assert "40 and 60" in bad.text
    ok = await pledge_client.put(
        policy_path,
        json={"min_remaining_term_years": 15, "loan_to_value_percent": "50"},
        headers=bank.headers(pledge_settings),
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["loan_to_value_percent"] == "50"
    seen = await pledge_client.get(
        policy_path, headers=operator.headers(pledge_settings, scopes=OPERATOR_SCOPES)
    )
    assert seen.json()["min_remaining_term_years"] == 15

    number = await known_patent(pledge_client, pledge_settings, registered([owner]))
    short = await pledge_client.post(
        "/v1/pledges", json=application(number, bank), headers=owner.headers(pledge_settings)
    )
    assert_refused(short, 422, "pledge-remaining-term-too-short", number, "2038-06-14", "15 years")
    assert short.json()["min_remaining_term_years"] == 15
    # Another bank without that policy takes the same patent.
    elsewhere = await pledge_client.post(
        "/v1/pledges", json=application(number, other_bank), headers=owner.headers(pledge_settings)
    )
    assert elsewhere.status_code == 201, elsewhere.text
    # The bank relaxes its rule; the application passes.
    await pledge_client.put(
        policy_path,
        json={"min_remaining_term_years": 5, "loan_to_value_percent": "45.5"},
        headers=bank.headers(pledge_settings),
    )
    passes = await pledge_client.post(
        "/v1/pledges", json=application(number, bank), headers=owner.headers(pledge_settings)
    )
    assert passes.status_code == 201, passes.text


async def test_open_license_blocks_registration_until_the_bank_consents(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "暨南大学")
    bank = org(OrgType.BANK, "广州银行")
    number = await known_patent(pledge_client, pledge_settings, registered([owner]))
    # The declaration, then a fee lapse and its cure, all keyed by the patent: once the
    # lapse is seen, so is the declaration (one partition, handled in order).
    await publish(pledge_settings, declaration(number, owner))
    created = await _after_a_fee_lapse_and_cure(pledge_client, pledge_settings, owner, bank, number)
    pledge_id = created["id"]
    registration = {"registration_number": "Y2026980000555", "registered_on": "2026-11-22"}
    assert_refused(
        await pledge_client.post(
            f"/v1/pledges/{pledge_id}/registration",
            json=registration,
            headers=bank.headers(pledge_settings),
        ),
        422,
        "pledge-open-license-without-consent",
        number,
    )
    consent = await bank_action(
        pledge_client,
        pledge_settings,
        bank,
        pledge_id,
        "consents",
        {"consent_to": "open_license", "recorded_on": "2026-11-22", "document_sha256": "ab" * 32},
        expect=201,
    )
    assert consent["consent_to"] == "open_license"
    done = await bank_action(
        pledge_client, pledge_settings, bank, pledge_id, "registration", registration
    )
    assert done["status"] == "registered"
    listed = await pledge_client.get(
        f"/v1/pledges/{pledge_id}/consents", headers=owner.headers(pledge_settings)
    )
    assert [c["consent_to"] for c in listed.json()] == ["open_license"]

    events = await read_topic(
        pledge_settings.kafka_bootstrap_servers,
        topics.PLEDGE,
        until=lambda evs: any(
            e.subject == pledge_id and e.type.endswith("registered.v1") for e in evs
        ),
    )
    mine = about(events, pledge_id)
    assert [e.type for e in mine] == [
        "cn.ipmarket.pledge.pledge.submitted.v1",
        "cn.ipmarket.pledge.consent.recorded.v1",
        "cn.ipmarket.pledge.pledge.registered.v1",
    ]
    assert mine[1].data["consent_to"] == "open_license"
    assert mine[1].data["pledgee"]["org_id"] == bank.org_id
    assert mine[2].data["open_license_consented"] is True


def _applied(
    client: httpx.AsyncClient, settings: PledgeSettings, owner: Org, bank: Org, number: str
) -> Callable[[], Awaitable[dict[str, Any] | None]]:
    """Apply until the view has taken the last status change (fees paid again)."""

    async def attempt() -> dict[str, Any] | None:
        response = await client.post(
            "/v1/pledges", json=application(number, bank), headers=owner.headers(settings)
        )
        if response.status_code == 201:
            created: dict[str, Any] = response.json()
            return created
        return None

    return attempt


async def test_loan_repayments_change_and_idempotent_retries(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    owner = org(OrgType.ENTERPRISE, "深圳某电池科技有限公司")
    bank = org(OrgType.BANK, "平安银行深圳分行")
    pledge_id = await registered_pledge(pledge_client, pledge_settings, owner, bank)
    act = bank_action

    assert_refused(
        await pledge_client.post(
            f"/v1/pledges/{pledge_id}/repayments",
            json={"amount": {"amount": "1.00", "currency": "CNY"}, "repaid_on": "2026-12-01"},
            headers=bank.headers(pledge_settings),
        ),
        422,
        "pledge-nothing-outstanding",
    )
    assert_refused(
        await pledge_client.post(
            f"/v1/pledges/{pledge_id}/disbursement",
            json={"amount": {"amount": "3000000.01"}, "disbursed_on": "2026-11-25"},
            headers=bank.headers(pledge_settings),
        ),
        422,
        "pledge-disbursement-exceeds-secured-amount",
        "3000000.00",
    )
    paid_out = await act(
        pledge_client,
        pledge_settings,
        bank,
        pledge_id,
        "disbursement",
        {"amount": {"amount": "2000000.00"}, "disbursed_on": "2026-11-25"},
    )
    assert paid_out["outstanding"]["amount"] == "2000000.00"
    assert_refused(
        await pledge_client.post(
            f"/v1/pledges/{pledge_id}/disbursement",
            json={"amount": {"amount": "1.00"}, "disbursed_on": "2026-11-26"},
            headers=bank.headers(pledge_settings),
        ),
        409,
        "pledge-already-disbursed",
    )

    # A retried repayment with its Idempotency-Key is recorded once.
    repayment = {"amount": {"amount": "500000.00"}, "repaid_on": "2026-12-31"}
    headers = {**bank.headers(pledge_settings), "Idempotency-Key": f"repay-{pledge_id}"}
    first = await pledge_client.post(
        f"/v1/pledges/{pledge_id}/repayments", json=repayment, headers=headers
    )
    retry = await pledge_client.post(
        f"/v1/pledges/{pledge_id}/repayments", json=repayment, headers=headers
    )
    assert first.status_code == retry.status_code == 200, retry.text
    assert retry.headers.get("idempotent-replayed") == "true"
    assert retry.json() == first.json()
    assert first.json()["outstanding"]["amount"] == "1500000.00"
    other_body = await pledge_client.post(
        f"/v1/pledges/{pledge_id}/repayments",
        json={**repayment, "repaid_on": "2027-01-01"},
        headers=headers,
    )
    assert_refused(other_body, 422, "idempotency-key-reused")
    now = await pledge_client.get(f"/v1/pledges/{pledge_id}", headers=bank.headers(pledge_settings))
    assert now.json()["outstanding"]["amount"] == "1500000.00"

    assert_refused(
        await pledge_client.post(
            f"/v1/pledges/{pledge_id}/repayments",
            json={"amount": {"amount": "1500000.01"}, "repaid_on": "2027-01-31"},
            headers=bank.headers(pledge_settings),
        ),
        422,
        "pledge-repayment-exceeds-outstanding",
        "1500000.00",
    )
    late = await act(
        pledge_client, pledge_settings, bank, pledge_id, "overdue", {"overdue_since": "2027-02-01"}
    )
    assert late["status"] == "registered"
    assert late["overdue_since"] == "2027-02-01"

    changed = await act(
        pledge_client,
        pledge_settings,
        bank,
        pledge_id,
        "changes",
        {
            "debt_term_end": "2030-06-30",
            "pledgee_name": "平安银行深圳分行(变更)",
            "changed_on": "2027-02-10",
        },
    )
    assert changed["status"] == "registered"
    assert changed["debt_term_end"] == "2030-06-30"
    assert_refused(
        await pledge_client.post(
            f"/v1/pledges/{pledge_id}/changes",
            json={"debt_term_end": "2030-06-30", "changed_on": "2027-02-11"},
            headers=bank.headers(pledge_settings),
        ),
        422,
        "pledge-change-empty",
    )
    assert_refused(
        await pledge_client.post(
            f"/v1/pledges/{pledge_id}/changes",
            json={"debt_term_end": "2039-01-01", "changed_on": "2027-02-11"},
            headers=bank.headers(pledge_settings),
        ),
        422,
        "pledge-debt-term-past-expiry",
    )

    repaid = await act(
        pledge_client,
        pledge_settings,
        bank,
        pledge_id,
        "repayments",
        {"amount": {"amount": "1500000.00"}, "repaid_on": "2027-03-01"},
    )
    assert repaid["outstanding"]["amount"] == "0.00"
    assert repaid["overdue_since"] is None
    assert_refused(
        await pledge_client.post(
            f"/v1/pledges/{pledge_id}/cancellation",
            json={"reason": "realised", "cancelled_on": "2027-03-02"},
            headers=bank.headers(pledge_settings),
        ),
        422,
        "pledge-cancellation-reason-not-allowed",
        "repaid",
    )
    done = await act(
        pledge_client,
        pledge_settings,
        bank,
        pledge_id,
        "cancellation",
        {"reason": "repaid", "cancelled_on": "2027-03-02"},
    )
    assert done["status"] == "cancelled"

    events = await read_topic(
        pledge_settings.kafka_bootstrap_servers,
        topics.PLEDGE,
        until=lambda evs: any(
            e.subject == pledge_id and e.type.endswith("cancelled.v1") for e in evs
        ),
    )
    mine = about(events, pledge_id)
    assert [e.type.removeprefix("cn.ipmarket.pledge.") for e in mine] == [
        "pledge.submitted.v1",
        "pledge.registered.v1",
        "loan.disbursed.v1",
        "loan.repayment_recorded.v1",
        "loan.overdue.v1",
        "pledge.changed.v1",
        "loan.repayment_recorded.v1",
        "pledge.cancelled.v1",
    ]
    assert mine[3].data["outstanding"] == "1500000.00"
    assert mine[3].data["fully_repaid"] is False
    assert mine[5].data["changed_fields"] == ["debt_term_end", "pledgee_name"]
    assert mine[6].data["fully_repaid"] is True


async def test_a_lapsed_patent_ends_the_pledge(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "哈尔滨工业大学")
    bank = org(OrgType.BANK, "哈尔滨银行")
    pledge_id = await registered_pledge(pledge_client, pledge_settings, owner, bank)
    pledge = await pledge_client.get(
        f"/v1/pledges/{pledge_id}", headers=bank.headers(pledge_settings)
    )
    number = pledge.json()["application_numbers"][0]
    await publish(
        pledge_settings,
        PatentStatusChanged(
            application_number=number,
            legal_status="lapsed",
            annual_fee_status="unpaid",
            suspended=False,
            under_preservation=False,
            reason="未缴年费终止",
        ),
    )

    async def lapsed() -> bool:
        response = await pledge_client.get(
            f"/v1/pledges/{pledge_id}", headers=bank.headers(pledge_settings)
        )
        return response.json()["status"] == "patent_lapsed"

    await eventually(lapsed)
    assert_refused(
        await pledge_client.post(
            f"/v1/pledges/{pledge_id}/cancellation",
            json={"reason": "repaid", "cancelled_on": "2027-01-05"},
            headers=bank.headers(pledge_settings),
        ),
        422,
        "pledge-cancellation-reason-not-allowed",
        "patent_lapsed",
    )
    done = await bank_action(
        pledge_client,
        pledge_settings,
        bank,
        pledge_id,
        "cancellation",
        {"reason": "patent_lapsed", "cancelled_on": "2027-01-05"},
    )
    assert done["cancellation_reason"] == "patent_lapsed"
    events = await read_topic(
        pledge_settings.kafka_bootstrap_servers,
        topics.PLEDGE,
        until=lambda evs: any(
            e.subject == pledge_id and e.type.endswith("cancelled.v1") for e in evs
        ),
    )
    lapse = next(e for e in events if e.subject == pledge_id and "patent_lapsed" in e.type)
    assert lapse.data["lapsed_application_number"] == number


async def test_a_draft_is_the_pledgors_own_until_submitted(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    s = pledge_settings
    owner = org(OrgType.UNIVERSITY, "东南大学")
    bank = org(OrgType.BANK, "江苏银行")
    number = await known_patent(pledge_client, s, registered([owner]))
    # A draft is saved even with a term past expiry: rules run on submission.
    created = await pledge_client.post(
        "/v1/pledges",
        json=application(number, bank, submit=False, debt_term_end="2039-01-01"),
        headers=owner.headers(s),
    )
    assert created.status_code == 201, created.text
    draft = created.json()
    assert draft["status"] == "draft"
    path = f"/v1/pledges/{draft['id']}"
    assert_refused(await pledge_client.get(path, headers=bank.headers(s)), 404, "not-found")
    assert (await pledge_client.get("/v1/pledges", headers=bank.headers(s))).json()["items"] == []
    assert_refused(
        await pledge_client.post(
            f"{path}/approval", json={"approved_on": "2026-11-21"}, headers=bank.headers(s)
        ),
        404,
        "not-found",
    )
    assert_refused(
        await pledge_client.post(f"{path}/submission", json={}, headers=owner.headers(s)),
        422,
        "pledge-debt-term-past-expiry",
        "2039-01-01",
    )
    submitted = await bank_action(
        pledge_client, s, owner, draft["id"], "submission", {"debt_term_end": "2030-12-31"}
    )
    assert submitted["status"] == "submitted"
    assert (await pledge_client.get(path, headers=bank.headers(s))).status_code == 200
    events = await read_topic(
        s.kafka_bootstrap_servers,
        topics.bank_pledge_topic(bank.org_id),
        until=lambda evs: any(e.subject == draft["id"] for e in evs),
    )
    (event,) = about(events, draft["id"])
    assert event.type == "cn.ipmarket.pledge.pledge.submitted.v1"
    assert event.data["resubmission"] is False
    assert event.data["debt_term_end"] == "2030-12-31"


async def test_a_declaration_that_expired_no_longer_blocks_registration(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "汕头大学")
    bank = org(OrgType.BANK, "汕头农商银行")
    number = await known_patent(pledge_client, pledge_settings, registered([owner]))
    declared = declaration(number, owner)
    await publish(pledge_settings, declared)
    # Listing ends the declaration (its term is over); a later copy of the announcement
    # (a redelivery) does not bring it back.
    await publish(
        pledge_settings,
        DeclarationExpired(
            declaration_id=declared.declaration_id,
            application_number=number,
            term_end=date(2026, 11, 30),
            effective_at=datetime(2026, 12, 1, tzinfo=UTC),
        ),
    )
    await publish(pledge_settings, declared)
    # A fee lapse and its cure, keyed by the patent too: once the cure is seen (the
    # application passes), the three declaration events before them have been handled.
    created = await _after_a_fee_lapse_and_cure(pledge_client, pledge_settings, owner, bank, number)
    registered_now = await pledge_client.post(
        f"/v1/pledges/{created['id']}/registration",
        json={"registration_number": "Y2026980000777", "registered_on": "2026-12-02"},
        headers=bank.headers(pledge_settings),
    )
    assert registered_now.status_code == 200, registered_now.text


async def test_a_declaration_announced_before_a_registration_suspends_it_until_consent(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    """The race, pledge side: listing announced an open licence, the bank registered the
    pledge before that announcement reached this service. The declaration took effect
    first: the pledge is suspended, with an event naming it, until the bank consents."""
    owner = org(OrgType.UNIVERSITY, "深圳大学")
    bank = org(OrgType.BANK, "深圳农商银行")
    pledge_id = await registered_pledge(pledge_client, pledge_settings, owner, bank)
    url = f"/v1/pledges/{pledge_id}"
    number = (await pledge_client.get(url, headers=bank.headers(pledge_settings))).json()[
        "application_numbers"
    ][0]
    declared = declaration(number, owner).model_copy(
        update={"announced_at": datetime.now(UTC) - timedelta(minutes=5)}
    )
    await publish(pledge_settings, declared)

    async def status() -> str:
        r = await pledge_client.get(url, headers=bank.headers(pledge_settings))
        return str(r.json()["status"])

    await eventually(lambda: _is(status, "suspended"))
    consent = await bank_action(
        pledge_client,
        pledge_settings,
        bank,
        pledge_id,
        "consents",
        {"consent_to": "open_license", "recorded_on": "2026-11-23"},
        expect=201,
    )
    assert consent["consent_to"] == "open_license"
    assert await status() == "registered"
    events = await read_topic(
        pledge_settings.kafka_bootstrap_servers,
        topics.bank_pledge_topic(bank.org_id),
        until=lambda es: any(e.type.endswith("pledge.reinstated.v1") for e in es),
    )
    mine = [e for e in events if e.subject == pledge_id]
    kinds = [e.type.split(".")[-2] for e in mine]
    assert kinds.index("suspended") < kinds.index("reinstated")
    suspended = next(e for e in mine if e.type.endswith("pledge.suspended.v1"))
    assert declared.declaration_id in suspended.data["reason"]


async def test_a_declaration_announced_after_the_registration_leaves_it_standing(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "南方科技大学")
    bank = org(OrgType.BANK, "前海微众银行")
    pledge_id = await registered_pledge(pledge_client, pledge_settings, owner, bank)
    url = f"/v1/pledges/{pledge_id}"
    number = (await pledge_client.get(url, headers=bank.headers(pledge_settings))).json()[
        "application_numbers"
    ][0]
    later = declaration(number, owner).model_copy(
        update={"announced_at": datetime.now(UTC) + timedelta(seconds=1)}
    )
    await publish(pledge_settings, later)
    # Same key, so handled after the declaration: once the fee lapse shows, the
    # declaration has been seen too.
    await publish(
        pledge_settings,
        PatentStatusChanged(
            application_number=number,
            legal_status="valid",
            annual_fee_status="unpaid",
            suspended=False,
            under_preservation=False,
        ),
    )

    async def lapse_seen() -> bool:
        other = org(OrgType.BANK, "另一家银行")
        r = await pledge_client.post(
            "/v1/pledges", json=application(number, other), headers=owner.headers(pledge_settings)
        )
        return bool(r.json().get("type", "").endswith("/pledge-annual-fees-unpaid"))

    await eventually(lapse_seen)
    r = await pledge_client.get(url, headers=bank.headers(pledge_settings))
    assert r.json()["status"] == "registered"


async def _is(check: Callable[[], Awaitable[str]], wanted: str) -> bool:
    return await check() == wanted


async def _after_a_fee_lapse_and_cure(
    pledge_client: httpx.AsyncClient,
    pledge_settings: PledgeSettings,
    owner: Org,
    bank: Org,
    number: str,
) -> dict[str, Any]:
    """Publish a fee lapse and its cure for the patent and wait until pledge has seen
    both (an application is refused, then passes); returns the application. Keyed by
    the patent, so every earlier event about it has been handled too."""
    for fees in ("unpaid", "paid"):
        await publish(
            pledge_settings,
            PatentStatusChanged(
                application_number=number,
                legal_status="valid",
                annual_fee_status=fees,
                suspended=False,
                under_preservation=False,
            ),
        )
        if fees == "unpaid":

            async def fees_unpaid_seen() -> bool:
                response = await pledge_client.post(
                    "/v1/pledges",
                    json=application(number, bank),
                    headers=owner.headers(pledge_settings),
                )
                return bool(response.json().get("type", "").endswith("/pledge-annual-fees-unpaid"))

            await eventually(fees_unpaid_seen)
    created: dict[str, Any] = await eventually(
        _applied(pledge_client, pledge_settings, owner, bank, number)
    )
    return created
