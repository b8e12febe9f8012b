"""Running royalties through the HTTP API: periods from the declared schedule, reports
with the amount due rounded half-up to the fen, payments matched to reports, and the
breaches recorded when a report or a payment is late."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx

from license.config import LicenseSettings
from shared.auth import OrgType
from shared.events import topics
from shared.events.envelope import CloudEvent
from shared.events.schemas import LicenseBreachRecorded, PaymentMode, RoyaltyReported
from tests.license.client import accept, assert_problem, events_of, learned
from tests.license.factories import EventFeed, declaration_published, payment_body, terms
from tests.support.stack import OPERATOR_SCOPES, Org, eventually, org, read_topic, real_today

YEAR = real_today().year


async def royalty_licence(
    client: httpx.AsyncClient, settings: LicenseSettings, feed: EventFeed, licensee: Org
) -> dict[str, Any]:
    """A running royalty of 2.5 % of net sales, due each 31 March for the year before,
    in force since 1 January two years ago."""
    university = org(OrgType.UNIVERSITY, "华南理工大学")
    published = declaration_published(
        university,
        declared_terms=terms(
            PaymentMode.RUNNING_ROYALTY,
            royalty_rate=Decimal("2.5"),
            payment_schedule="每年3月31日前按上一年度净销售额支付",
            term_start=date(YEAR - 2, 1, 1),
        ),
    )
    await feed.publish(published)
    await learned(client, settings, published.declaration_id)
    licence = (await accept(client, settings, licensee, published.declaration_id)).json()
    paid = await client.post(
        f"/v1/licenses/{licence['id']}/payments",
        json=payment_body("0.00", paid_on=date(YEAR - 2, 1, 1)),
        headers=licensee.headers(settings),
    )
    assert paid.status_code == 201, paid.text
    assert paid.json()["effective_date"] == str(date(YEAR - 2, 1, 1))
    body: dict[str, Any] = paid.json()
    return body


async def test_reports_fix_the_amount_due_and_payments_settle_them(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    licensee = org(OrgType.ENTERPRISE, "广州小鹏汽车科技有限公司")
    headers = licensee.headers(license_settings)
    licence = await royalty_licence(license_client, license_settings, feed, licensee)
    url = f"/v1/licenses/{licence['id']}/royalties"

    periods = (await license_client.get(url, headers=headers)).json()
    first, second, current = periods[0], periods[1], periods[2]
    assert (first["period_start"], first["period_end"]) == (
        f"{YEAR - 2}-01-01",
        f"{YEAR - 2}-12-31",
    )
    assert first["due_date"] == f"{YEAR - 1}-03-31"
    assert (first["royalty_base"], first["royalty_rate"]) == ("net_sales", "2.5")
    assert current["period_start"] == f"{YEAR}-01-01"
    assert periods[-1]["period_end"] == str(date(YEAR + 4, 12, 31))

    reported = await license_client.post(
        f"{url}/{first['id']}/report",
        json={"base_amount": {"amount": "1000000.00", "currency": "CNY"}},
        headers=headers,
    )
    assert reported.status_code == 200, reported.text
    assert reported.json()["amount_due"] == {"amount": "25000.00", "currency": "CNY"}
    # 2.5 % of 1.00 is 0.025: half-up gives 0.03 (banker's rounding would give 0.02).
    tiny = await license_client.post(
        f"{url}/{second['id']}/report",
        json={"base_amount": {"amount": "1.00", "currency": "CNY"}},
        headers=headers,
    )
    assert tiny.json()["amount_due"]["amount"] == "0.03"
    [event] = [
        e
        for e in await events_of(
            license_settings, RoyaltyReported.event_type, licence["id"], count=2
        )
        if e.data["period_id"] == first["id"]
    ]
    assert Decimal(event.data["amount_due"]) == Decimal("25000.00")
    assert event.data["royalty_base"] == "net_sales"

    assert_problem(
        await license_client.post(
            f"{url}/{first['id']}/report",
            json={"base_amount": {"amount": "1.00", "currency": "CNY"}},
            headers=headers,
        ),
        409,
        "royalty-already-reported",
        "already reported",
    )
    assert_problem(
        await license_client.post(
            f"{url}/{current['id']}/report",
            json={"base_amount": {"amount": "1.00", "currency": "CNY"}},
            headers=headers,
        ),
        422,
        "royalty-period-not-ended",
        current["period_end"],
    )
    assert_problem(
        await license_client.post(
            f"{url}/nope/report",
            json={"base_amount": {"amount": "1.00", "currency": "CNY"}},
            headers=headers,
        ),
        404,
        "royalty-period-unknown",
        "nope",
    )

    payments = f"/v1/licenses/{licence['id']}/payments"
    paid = await license_client.post(
        payments, json=payment_body("25000.00", royalty_period_id=first["id"]), headers=headers
    )
    assert paid.status_code == 201, paid.text
    assert paid.json()["payments"][-1]["royalty_period_id"] == first["id"]
    unreported = await license_client.post(
        payments, json=payment_body("10.00", royalty_period_id=current["id"]), headers=headers
    )
    assert_problem(unreported, 422, "royalty-period-not-reported", "not reported")
    settled = (await license_client.get(url, headers=headers)).json()
    assert settled[0]["amount_paid"]["amount"] == "25000.00"
    assert settled[2]["amount_paid"]["amount"] == "0.00"


async def test_late_reports_and_payments_are_recorded_against_the_licensee_once(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    licensee = org(OrgType.ENTERPRISE, "佛山某家电制造有限公司")
    headers = licensee.headers(license_settings)
    operator = org(OrgType.OPERATOR, "平台运营方").headers(license_settings, scopes=OPERATOR_SCOPES)
    licence = await royalty_licence(license_client, license_settings, feed, licensee)
    first = (
        await license_client.get(f"/v1/licenses/{licence['id']}/royalties", headers=headers)
    ).json()[0]

    async def breaches(**params: str) -> list[dict[str, Any]]:
        response = await license_client.get(
            "/v1/breaches", params={"license_id": licence["id"], **params}, headers=operator
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    async def of_first(kind: str) -> list[dict[str, Any]]:
        return [b for b in await breaches(kind=kind) if b["period_id"] == first["id"]]

    [late_report] = await eventually(lambda: of_first("royalty_report_overdue"))
    assert late_report["party_uscc"] == licensee.uscc
    assert late_report["party_name"] == "佛山某家电制造有限公司"
    assert late_report["due_date"] == first["due_date"]

    # Reported late, then only partly paid: the payment is late too.
    await license_client.post(
        f"/v1/licenses/{licence['id']}/royalties/{first['id']}/report",
        json={"base_amount": {"amount": "200000.00", "currency": "CNY"}},
        headers=headers,
    )
    await license_client.post(
        f"/v1/licenses/{licence['id']}/payments",
        json=payment_body("4000.00", royalty_period_id=first["id"]),
        headers=headers,
    )
    [late_payment] = await eventually(lambda: of_first("royalty_payment_overdue"))
    assert late_payment["amount_outstanding"]["amount"] in {"5000.00", "1000.00"}

    # Read until both breaches of the first period are there: counting the licence's
    # breaches is not enough, as the second period's report is overdue too and its breach
    # comes before the first period's late payment on the topic.
    def of_first_period(events: list[CloudEvent]) -> list[CloudEvent]:
        return [
            e
            for e in events
            if e.type == LicenseBreachRecorded.event_type
            and e.data.get("license_id") == licence["id"]
            and e.data.get("period_id") == first["id"]
        ]

    events = of_first_period(
        await read_topic(
            license_settings.kafka_bootstrap_servers,
            topics.LICENSE,
            until=lambda es: (
                {e.data["kind"] for e in of_first_period(es)}
                >= {"royalty_report_overdue", "royalty_payment_overdue"}
            ),
        )
    )
    kinds = [(e.data["kind"], e.data["period_id"]) for e in events]
    assert sorted(kinds) == [
        ("royalty_payment_overdue", first["id"]),
        ("royalty_report_overdue", first["id"]),
    ]
    assert events[0].data["party"]["uscc"] == licensee.uscc
    by_party = (
        await license_client.get(
            "/v1/breaches", params={"party_uscc": licensee.uscc}, headers=operator
        )
    ).json()["items"]
    assert {b["license_id"] for b in by_party} == {licence["id"]}
    assert_problem(
        await license_client.get("/v1/breaches", headers=headers), 403, "operator-only", "operator"
    )


async def test_a_lump_sum_licence_has_no_royalty_to_report(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "中山大学")
    licensee = org(OrgType.ENTERPRISE, "珠海格力电器股份有限公司")
    published = declaration_published(university)
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)
    licence = (
        await accept(license_client, license_settings, licensee, published.declaration_id)
    ).json()
    url = f"/v1/licenses/{licence['id']}/royalties"
    assert (await license_client.get(url, headers=licensee.headers(license_settings))).json() == []
    assert_problem(
        await license_client.post(
            f"{url}/any/report",
            json={"base_amount": {"amount": "1.00", "currency": "CNY"}},
            headers=licensee.headers(license_settings),
        ),
        422,
        "license-not-running-royalty",
        "lump_sum",
    )
    assert_problem(
        await license_client.post(
            f"{url}/any/report",
            json={"base_amount": {"amount": "1.00", "currency": "CNY"}},
            headers=university.headers(license_settings),
        ),
        403,
        "not-licensee",
    )
