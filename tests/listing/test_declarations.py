"""Open-licence declarations through the HTTP API on the real stack: each refusal rule
with its own problem type, and publication to every platform."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.events import topics
from shared.events.envelope import CloudEvent
from shared.events.schemas import EventData, LicenseGranted, LicenseKind, OrgRef, PledgeRegistered
from tests.listing.factories import declaration_body, patent_body
from tests.support.stack import OPERATOR_SCOPES, Org, eventually, org, read_topic


async def register(
    client: httpx.AsyncClient, settings: ListingSettings, owner: Org, **kw: Any
) -> str:
    response = await client.post(
        "/v1/patents", json=patent_body(owner, **kw), headers=owner.headers(settings)
    )
    assert response.status_code == 201, response.text
    number: str = response.json()["application_number"]
    return number


async def declare(
    client: httpx.AsyncClient, settings: ListingSettings, owner: Org, body: dict[str, Any]
) -> httpx.Response:
    draft = await client.post("/v1/declarations", json=body, headers=owner.headers(settings))
    if draft.status_code != 201:
        return draft
    return await client.post(
        f"/v1/declarations/{draft.json()['id']}/submit", headers=owner.headers(settings)
    )


def assert_refused(response: httpx.Response, slug: str, *words: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/" + slug), problem
    for word in words:
        assert word in problem["detail"], problem


async def publish(
    settings: ListingSettings, event: EventData, *, at: datetime | None = None
) -> CloudEvent:
    """Produce another service's event; ``at`` is when that service says it happened.
    Gives back the CloudEvent sent (its ``id`` is what listing's inbox records)."""
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers)
    await producer.start()
    try:
        ce = CloudEvent(
            source="/ipmarket/test",
            type=event.event_type,
            data=event.model_dump(mode="json"),
            subject=event.subject(),
            partitionkey=event.partition_key(),
            **({"time": at} if at is not None else {}),
        )
        await producer.send_and_wait(
            event.topic,
            value=ce.kafka_value(),
            key=event.partition_key().encode(),
            headers=ce.kafka_headers(),
        )
    finally:
        await producer.stop()
    return ce


async def test_announced_declaration_is_published_with_its_terms(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "清华大学")
    number = await register(listing_client, listing_settings, owner)
    response = await declare(listing_client, listing_settings, owner, declaration_body(number))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "announced"
    assert body["terms"]["royalty_rate"] == "3.5"
    events = await read_topic(
        listing_settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda evs: any(
            e.type.endswith("declaration.published.v1") and e.subject == number for e in evs
        ),
    )
    published = next(
        e for e in events if e.type.endswith("declaration.published.v1") and e.subject == number
    )
    assert published.data["declaration_id"] == body["id"]
    assert published.data["terms_version"] == 1
    assert published.data["terms"]["royalty_base"] == "net_sales"


async def test_register_facts_refuse_a_declaration(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "北京大学")
    operator = org(OrgType.OPERATOR, "平台运营方")
    ops = operator.headers(listing_settings, scopes=OPERATOR_SCOPES)
    cases = [
        ({"legal_status": "invalidated"}, "declaration-patent-not-valid", "invalidated"),
        ({"annual_fee_status": "unpaid"}, "declaration-annual-fees-unpaid", "annual fees"),
        ({"suspended": True}, "declaration-patent-suspended", "suspended"),
        ({"under_preservation": True}, "declaration-patent-suspended", "preservation"),
    ]
    for change, slug, word in cases:
        number = await register(listing_client, listing_settings, owner)
        draft = await listing_client.post(
            "/v1/declarations",
            json=declaration_body(number),
            headers=owner.headers(listing_settings),
        )
        assert draft.status_code == 201
        status = await listing_client.patch(
            f"/v1/patents/{number}/status", json=change, headers=ops
        )
        assert status.status_code == 200, status.text
        submitted = await listing_client.post(
            f"/v1/declarations/{draft.json()['id']}/submit", headers=owner.headers(listing_settings)
        )
        assert_refused(submitted, slug, word)


async def test_terms_rules(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "上海交通大学")
    number = await register(listing_client, listing_settings, owner, filing_date="2019-03-15")
    cases = [
        (
            {"term_start": "2026-01-01", "term_end": "2026-06-30"},
            "declaration-term-not-allowed",
            "at least one year",
        ),
        (
            {"term_start": "2030-01-01", "term_end": "2040-01-01"},
            "declaration-term-not-allowed",
            "2039-03-14",
        ),
        ({"royalty_rate": "25"}, "declaration-fee-over-cap", "20 %"),
        ({"royalty_base": "profit", "royalty_rate": "41"}, "declaration-fee-over-cap", "40 %"),
        (
            {
                "payment_mode": "lump_sum",
                "royalty_base": None,
                "royalty_rate": None,
                "lump_sum_fee": "20000000.01",
            },
            "declaration-fee-over-cap",
            "20000000",
        ),
        (
            {"payment_mode": "lump_sum", "royalty_base": None, "royalty_rate": None},
            "declaration-terms-incomplete",
            "lump_sum_fee",
        ),
        ({"payment_mode": "free"}, "declaration-terms-incomplete", "takes no"),
    ]
    for terms, slug, word in cases:
        body = declaration_body(number, **terms)
        body["terms"] = {k: v for k, v in body["terms"].items() if v is not None}
        response = await listing_client.post(
            "/v1/declarations", json=body, headers=owner.headers(listing_settings)
        )
        assert_refused(response, slug, word)


async def test_wording_evaluation_report_and_co_owners(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "浙江大学")
    partner = org(OrgType.ENTERPRISE, "杭州海康威视数字技术股份有限公司")
    number = await register(listing_client, listing_settings, owner)
    promo = declaration_body(number)
    promo["description"] = "国际领先的检测技术，保证盈利。"
    assert_refused(
        await declare(listing_client, listing_settings, owner, promo),
        "declaration-promotional-wording",
        "国际领先",
    )

    utility = await register(
        listing_client,
        listing_settings,
        owner,
        application_number=_utility_number(),
        filing_date="2020-01-10",
    )
    body = declaration_body(utility, term_start="2026-01-01", term_end="2029-12-31")
    assert_refused(
        await declare(listing_client, listing_settings, owner, body),
        "declaration-evaluation-report-missing",
        "evaluation report",
    )
    # A report on file whose conclusion is unfavourable is refused as what it is.
    unfavourable = await upload(
        listing_client,
        listing_settings,
        owner,
        utility,
        "evaluation_report",
        conclusion="unfavourable",
    )
    body["evidence"] = [unfavourable["id"]]
    assert_refused(
        await declare(listing_client, listing_settings, owner, body),
        "declaration-evaluation-report-unfavourable",
        unfavourable["id"],
        "unfavourable",
    )

    shared_patent = await register(
        listing_client,
        listing_settings,
        owner,
        patentees=[
            {"name": owner.name, "uscc": owner.uscc, "share": "60", "party_type": "university"},
            {"name": partner.name, "uscc": partner.uscc, "share": "40", "party_type": "enterprise"},
        ],
    )
    refused = await declare(
        listing_client, listing_settings, owner, declaration_body(shared_patent)
    )
    assert_refused(refused, "declaration-co-owner-consent-missing", str(partner.uscc))
    consented = declaration_body(shared_patent)
    consented["co_owner_consents"] = [partner.uscc]
    # Consent stated but its letter is not among the evidence.
    assert_refused(
        await declare(listing_client, listing_settings, owner, consented),
        "declaration-co-owner-consent-missing",
        "consent letters",
        str(partner.uscc),
    )
    letter = await upload(
        listing_client,
        listing_settings,
        owner,
        shared_patent,
        "co_owner_consent",
        party_uscc=partner.uscc,
    )
    consented["evidence"] = [letter["id"]]
    assert (await declare(listing_client, listing_settings, owner, consented)).status_code == 200

    # A utility model is declared with a favourable evaluation report among its evidence.
    report = await upload(
        listing_client,
        listing_settings,
        owner,
        utility,
        "evaluation_report",
        conclusion="favourable",
    )
    body["evidence"] = [report["id"]]
    assert (await declare(listing_client, listing_settings, owner, body)).status_code == 200


async def upload(
    client: httpx.AsyncClient,
    settings: ListingSettings,
    owner: Org,
    number: str,
    kind: str,
    **meta: Any,
) -> dict[str, Any]:
    response = await client.post(
        "/v1/documents",
        params={"application_number": number, "kind": kind, **meta},
        content=b"%PDF-1.7\n" + kind.encode() + number.encode(),
        headers={**owner.headers(settings), "content-type": "application/pdf"},
    )
    assert response.status_code == 201, response.text
    document: dict[str, Any] = response.json()
    return document


async def test_pledges_and_exclusive_licences_from_events_refuse_a_declaration(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "中国科学技术大学")
    pledged = await register(listing_client, listing_settings, owner)
    consented = await register(listing_client, listing_settings, owner)
    exclusive = await register(listing_client, listing_settings, owner)
    bank = OrgRef(org_id="bank-1", name="中国建设银行合肥分行", uscc=None)
    for number, consent in ((pledged, False), (consented, True)):
        await publish(
            listing_settings,
            PledgeRegistered(
                pledge_id=f"pledge-{number}",
                application_numbers=[number],
                pledgor=OrgRef(name=owner.name),
                pledgee=bank,
                secured_amount="1000000.00",
                debt_term_end=date(2029, 1, 1),
                registered_on=date.today(),
                open_license_consented=consent,
            ),
        )
    await publish(
        listing_settings,
        LicenseGranted(
            license_id=f"lic-{exclusive}",
            application_number=exclusive,
            patent_number="ZL" + exclusive,
            kind=LicenseKind.EXCLUSIVE,
            licensors=[OrgRef(name=owner.name)],
            licensee=OrgRef(name="合肥某科技有限公司"),
            effective_date=date(2025, 1, 1),
            term_end=date(2030, 1, 1),
            filing_deadline=date(2025, 4, 1),
        ),
    )
    headers = owner.headers(listing_settings)

    async def known(number: str) -> bool:
        response = await listing_client.get(f"/v1/patents/{number}/encumbrances", headers=headers)
        return bool(response.json()["items"])

    for number in (pledged, consented, exclusive):
        await eventually(lambda n=number: known(n))  # type: ignore[misc]

    assert_refused(
        await declare(listing_client, listing_settings, owner, declaration_body(pledged)),
        "declaration-pledged-without-consent",
        "中国建设银行合肥分行",
    )
    assert (
        await declare(listing_client, listing_settings, owner, declaration_body(consented))
    ).status_code == 200
    assert_refused(
        await declare(listing_client, listing_settings, owner, declaration_body(exclusive)),
        "declaration-exclusive-license-in-force",
        "exclusive license",
    )


async def test_only_a_patentee_declares_and_only_a_draft_is_submitted(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "哈尔滨工业大学")
    stranger = org(OrgType.ENTERPRISE, "某科技有限公司")
    number = await register(listing_client, listing_settings, owner)
    denied = await listing_client.post(
        "/v1/declarations",
        json=declaration_body(number),
        headers=stranger.headers(listing_settings),
    )
    assert denied.status_code == 403
    announced = await declare(listing_client, listing_settings, owner, declaration_body(number))
    again = await listing_client.post(
        f"/v1/declarations/{announced.json()['id']}/submit", headers=owner.headers(listing_settings)
    )
    assert again.status_code == 409
    assert again.json()["type"].endswith("/invalid-state-transition")


def _utility_number() -> str:
    from tests.support.stack import application_number

    return application_number(2020, 2)
