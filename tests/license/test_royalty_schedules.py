"""A licence's royalty periods through the HTTP API on the real stack: they follow the
schedule declared in the terms the licence accepted (quarterly, half-yearly, yearly with
a due day), are fixed by that terms version even when the terms change before the
licence takes effect, and for terms announced before schedules were declared they are
read from the text and labelled as inferred."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Any

import httpx

from license.config import LicenseSettings
from shared.auth import OrgType
from shared.events.schemas import (
    DeclarationPublished,
    OpenLicenseRoyaltySchedule,
    PaymentMode,
    ReportingPeriod,
)
from tests.license.client import accept, learned, licence_of
from tests.license.factories import EventFeed, declaration_published, payment_body, terms
from tests.support.stack import Org, org, real_today

YEAR = real_today().year


def spans(periods: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(p["period_start"], p["period_end"], p["due_date"]) for p in periods]


async def announce(
    client: httpx.AsyncClient, settings: LicenseSettings, feed: EventFeed, **overrides: Any
) -> DeclarationPublished:
    """A running royalty of 3.5 % of net sales, as listing announces it."""
    published = declaration_published(
        org(OrgType.UNIVERSITY, "电子科技大学"),
        declared_terms=terms(PaymentMode.RUNNING_ROYALTY, **overrides),
    )
    await feed.publish(published)
    await learned(client, settings, published.declaration_id)
    return published


async def licensed(
    client: httpx.AsyncClient,
    settings: LicenseSettings,
    licensee: Org,
    declaration_id: str,
    *,
    paid: str = "0.00",
    effective: date,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Accept the declaration, pay to take effect on ``effective``; the licence and its
    royalty periods."""
    licence = (await accept(client, settings, licensee, declaration_id)).json()
    activated = await client.post(
        f"/v1/licenses/{licence['id']}/payments",
        json=payment_body(paid, paid_on=effective),
        headers=licensee.headers(settings),
    )
    assert activated.status_code == 201, activated.text
    assert activated.json()["effective_date"] == str(effective)
    periods = await client.get(
        f"/v1/licenses/{licence['id']}/royalties", headers=licensee.headers(settings)
    )
    assert periods.status_code == 200, periods.text
    body: list[dict[str, Any]] = periods.json()
    return activated.json(), body


async def test_declared_quarters_are_due_the_declared_days_after_each_quarter(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    published = await announce(
        license_client,
        license_settings,
        feed,
        term_start=date(YEAR - 1, 2, 10),
        payment_schedule="每季度结束后45日内按该季度净销售额报告并支付",
        royalty_schedule=OpenLicenseRoyaltySchedule(
            period=ReportingPeriod.QUARTERLY, due_days_after_period=45
        ),
    )
    view = await learned(license_client, license_settings, published.declaration_id)
    assert view["terms"]["royalty_schedule"] == {
        "period": "quarterly",
        "due_days_after_period": 45,
        "annual_due": None,
    }
    licensee = org(OrgType.ENTERPRISE, "成都京东方光电科技有限公司")
    licence, periods = await licensed(
        license_client,
        license_settings,
        licensee,
        published.declaration_id,
        effective=date(YEAR - 1, 2, 10),
    )
    assert licence["terms"]["royalty_schedule"]["period"] == "quarterly"
    last = YEAR - 1
    assert spans(periods)[:5] == [
        (f"{last}-02-10", f"{last}-03-31", f"{last}-05-15"),
        (f"{last}-04-01", f"{last}-06-30", f"{last}-08-14"),
        (f"{last}-07-01", f"{last}-09-30", f"{last}-11-14"),
        (f"{last}-10-01", f"{last}-12-31", f"{YEAR}-02-14"),
        (f"{YEAR}-01-01", f"{YEAR}-03-31", f"{YEAR}-05-15"),
    ]
    assert spans(periods)[-1] == (f"{YEAR + 4}-10-01", f"{YEAR + 4}-12-31", f"{YEAR + 5}-02-14")
    assert len(periods) == 4 * 6  # the last year's and the next five years' quarters
    assert {p["schedule_source"] for p in periods} == {"declared"}


async def test_declared_half_years_with_an_entry_fee(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    published = await announce(
        license_client,
        license_settings,
        feed,
        payment_mode=PaymentMode.ENTRY_FEE_PLUS_ROYALTY,
        entry_fee=Decimal("80000.00"),
        term_start=date(YEAR - 1, 1, 1),
        payment_schedule="入门费于许可生效时支付；提成费每半年结束后60日内支付",
        royalty_schedule=OpenLicenseRoyaltySchedule(
            period=ReportingPeriod.SEMIANNUAL, due_days_after_period=60
        ),
    )
    licensee = org(OrgType.ENTERPRISE, "四川长虹电器股份有限公司")
    _, periods = await licensed(
        license_client,
        license_settings,
        licensee,
        published.declaration_id,
        paid="80000.00",
        effective=date(YEAR - 1, 1, 1),
    )
    # 31 December + 60 days: 1 March, or 29 February in a leap year.
    after_december = f"{YEAR}-02-29" if calendar.isleap(YEAR) else f"{YEAR}-03-01"
    assert spans(periods)[:3] == [
        (f"{YEAR - 1}-01-01", f"{YEAR - 1}-06-30", f"{YEAR - 1}-08-29"),
        (f"{YEAR - 1}-07-01", f"{YEAR - 1}-12-31", after_december),
        (f"{YEAR}-01-01", f"{YEAR}-06-30", f"{YEAR}-08-29"),
    ]
    assert len(periods) == 2 * 6
    assert {p["schedule_source"] for p in periods} == {"declared"}


async def test_a_declared_annual_due_day_governs_whatever_the_text_says(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    # Read as text this would be yearly, due 30 days after each year (30 January).
    published = await announce(
        license_client,
        license_settings,
        feed,
        term_start=date(YEAR - 1, 7, 1),
        payment_schedule="按年度净销售额结算提成费",
        royalty_schedule=OpenLicenseRoyaltySchedule(
            period=ReportingPeriod.ANNUAL, annual_due="06-30"
        ),
    )
    licensee = org(OrgType.ENTERPRISE, "成都先进功率半导体股份有限公司")
    _, periods = await licensed(
        license_client,
        license_settings,
        licensee,
        published.declaration_id,
        effective=date(YEAR - 1, 7, 1),
    )
    assert spans(periods)[:2] == [
        (f"{YEAR - 1}-07-01", f"{YEAR - 1}-12-31", f"{YEAR}-06-30"),
        (f"{YEAR}-01-01", f"{YEAR}-12-31", f"{YEAR + 1}-06-30"),
    ]
    assert spans(periods)[-1] == (f"{YEAR + 4}-01-01", f"{YEAR + 4}-12-31", f"{YEAR + 5}-06-30")
    assert {p["schedule_source"] for p in periods} == {"declared"}


async def test_terms_announced_without_a_schedule_get_one_inferred_from_their_text(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    published = declaration_published(
        org(OrgType.UNIVERSITY, "西南交通大学"),
        declared_terms=terms(
            PaymentMode.RUNNING_ROYALTY,
            term_start=date(YEAR - 1, 1, 1),
            payment_schedule="每年3月31日前按上一年度净销售额支付",
        ),
    )
    # Exactly what listing published before schedules were declared: no such key at all.
    data = published.model_dump(mode="json")
    del data["terms"]["royalty_schedule"]
    await feed.publish(published, data=data)
    view = await learned(license_client, license_settings, published.declaration_id)
    assert view["terms"]["royalty_schedule"] is None

    licensee = org(OrgType.ENTERPRISE, "中国东方电气集团有限公司")
    licence, periods = await licensed(
        license_client,
        license_settings,
        licensee,
        published.declaration_id,
        effective=date(YEAR - 1, 1, 1),
    )
    assert licence["terms"]["royalty_schedule"] is None
    assert spans(periods)[:2] == [
        (f"{YEAR - 1}-01-01", f"{YEAR - 1}-12-31", f"{YEAR}-03-31"),
        (f"{YEAR}-01-01", f"{YEAR}-12-31", f"{YEAR + 1}-03-31"),
    ]
    assert {p["schedule_source"] for p in periods} == {"inferred"}


async def test_a_licence_keeps_the_schedule_of_the_terms_it_accepted(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    v1 = await announce(
        license_client,
        license_settings,
        feed,
        term_start=date(YEAR - 1, 1, 1),
        payment_schedule="每季度结束后45日内支付",
        royalty_schedule=OpenLicenseRoyaltySchedule(
            period=ReportingPeriod.QUARTERLY, due_days_after_period=45
        ),
    )
    early = org(OrgType.ENTERPRISE, "绵阳九洲电器集团有限责任公司")
    accepted = (await accept(license_client, license_settings, early, v1.declaration_id)).json()
    assert accepted["status"] == "awaiting_payment"

    v2 = v1.model_copy(
        update={
            "terms_version": 2,
            "terms": terms(
                PaymentMode.RUNNING_ROYALTY,
                term_start=date(YEAR - 1, 1, 1),
                payment_schedule="每月结束后10日内支付",
                royalty_schedule=OpenLicenseRoyaltySchedule(
                    period=ReportingPeriod.MONTHLY, due_days_after_period=10
                ),
            ),
        }
    )
    await feed.publish(v2)
    await learned(
        license_client, license_settings, v1.declaration_id, until=lambda v: v["terms_version"] == 2
    )

    # Paid (and so in effect) only after version 2 was announced: still version 1's quarters.
    paid = await license_client.post(
        f"/v1/licenses/{accepted['id']}/payments",
        json=payment_body("0.00", paid_on=date(YEAR - 1, 1, 1)),
        headers=early.headers(license_settings),
    )
    assert paid.status_code == 201, paid.text
    kept = await licence_of(license_client, license_settings, early, accepted["id"])
    assert kept["terms_version"] == 1
    assert kept["terms"]["royalty_schedule"]["period"] == "quarterly"
    quarters = (
        await license_client.get(
            f"/v1/licenses/{accepted['id']}/royalties", headers=early.headers(license_settings)
        )
    ).json()
    assert spans(quarters)[0] == (f"{YEAR - 1}-01-01", f"{YEAR - 1}-03-31", f"{YEAR - 1}-05-15")
    assert len(quarters) == 4 * 6

    late = org(OrgType.ENTERPRISE, "四川九洲北斗导航与位置服务有限公司")
    licence, months = await licensed(
        license_client,
        license_settings,
        late,
        v1.declaration_id,
        effective=date(YEAR - 1, 1, 1),
    )
    assert licence["terms_version"] == 2
    february_end = f"{YEAR - 1}-02-{calendar.monthrange(YEAR - 1, 2)[1]}"
    assert spans(months)[:2] == [
        (f"{YEAR - 1}-01-01", f"{YEAR - 1}-01-31", f"{YEAR - 1}-02-10"),
        (f"{YEAR - 1}-02-01", february_end, f"{YEAR - 1}-03-10"),
    ]
    assert len(months) == 12 * 6
