"""A patent's history across services, through listing's API on the real stack."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.events.schemas import LicenseGranted, LicenseKind, OrgRef, PledgeRegistered
from tests.listing.factories import declaration_body
from tests.listing.test_declarations import declare, publish, register
from tests.support.stack import eventually, org


async def test_the_timeline_gathers_every_service_and_hides_pledge_details_from_others(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "哈尔滨工业大学")
    number = await register(listing_client, listing_settings, owner)
    assert (
        await declare(listing_client, listing_settings, owner, declaration_body(number))
    ).status_code == 200
    licensee = OrgRef(name="哈尔滨某机器人有限公司", uscc="91230100MA1B00001X")
    await publish(
        listing_settings,
        LicenseGranted(
            license_id="lic-" + number,
            application_number=number,
            patent_number="ZL" + number,
            kind=LicenseKind.ORDINARY,
            licensors=[OrgRef(name=owner.name, uscc=owner.uscc)],
            licensee=licensee,
            effective_date=date(2026, 11, 1),
            term_end=date(2030, 12, 31),
            filing_deadline=date(2027, 2, 1),
        ),
    )
    await publish(
        listing_settings,
        PledgeRegistered(
            pledge_id="pl-" + number,
            application_numbers=[number],
            pledgor=OrgRef(name=owner.name, uscc=owner.uscc),
            pledgee=OrgRef(name="中国银行黑龙江省分行"),
            secured_amount="3000000",
            debt_term_end=date(2029, 6, 30),
            registered_on=date(2026, 11, 20),
            open_license_consented=True,
        ),
    )

    async def history(who: Any) -> list[dict[str, Any]]:
        r = await listing_client.get(
            f"/v1/patents/{number}/timeline", headers=who.headers(listing_settings)
        )
        assert r.status_code == 200, r.text
        items: list[dict[str, Any]] = r.json()["items"]
        return items

    # The timeline group reads four topics on its own schedule, and other services' events
    # (a registry-sync's 技术合同登记 for the licence) may join it: wait for the four
    # entries named here, not for any four.
    wanted = {"专利入库", "开放许可声明公告", "许可生效", "质押登记"}
    entries = await eventually(lambda: _with_labels(history(owner), wanted), timeout=30)
    labels = [e["label"] for e in entries]
    assert labels[:2] == ["专利入库", "开放许可声明公告"]
    assert {"许可生效", "质押登记"} <= set(labels)
    pledge = next(e for e in entries if e["label"] == "质押登记")
    assert pledge["data"]["secured_amount"] == "3000000"
    stranger = await history(org(OrgType.ENTERPRISE, "某尽调机构"))
    hidden = next(e for e in stranger if e["label"] == "质押登记")
    assert hidden["data"] is None
    bank = await history(org(OrgType.BANK, "某银行"))
    assert next(e for e in bank if e["label"] == "质押登记")["data"] is not None
    missing = await listing_client.get(
        "/v1/patents/201910000001.5/timeline", headers=owner.headers(listing_settings)
    )
    assert missing.status_code in (404, 422)


async def _with_labels(entries: Any, labels: set[str]) -> list[dict[str, Any]] | None:
    got: list[dict[str, Any]] = await entries
    return got if labels <= {e["label"] for e in got} else None
