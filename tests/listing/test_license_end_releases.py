"""An exclusive or sole licence that ends (license's ``LicenseEnded``) releases the
patent in listing: the encumbrance is kept as history with ``released_at``, a
declaration it suspended comes back, and a new declaration is accepted."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.events.schemas import LicenseEnded, LicenseGranted, LicenseKind, OrgRef
from tests.listing.factories import declaration_body
from tests.listing.test_declarations import assert_refused, declare, publish, register
from tests.support.stack import Org, eventually, org


def granted(number: str, owner: Org, kind: LicenseKind) -> LicenseGranted:
    return LicenseGranted(
        license_id=f"lic-{kind.value}-{number}",
        application_number=number,
        patent_number="ZL" + number,
        kind=kind,
        licensors=[OrgRef(name=owner.name, uscc=owner.uscc)],
        licensee=OrgRef(name="苏州某精密机械有限公司"),
        effective_date=date(2025, 1, 1),
        term_end=date(2030, 12, 31),
        filing_deadline=date(2025, 4, 1),
    )


def ended(licence: LicenseGranted, reason: str = "terminated") -> LicenseEnded:
    return LicenseEnded(
        license_id=licence.license_id,
        application_number=licence.application_number,
        patent_number=licence.patent_number,
        kind=licence.kind,
        licensors=licence.licensors,
        licensee=licence.licensee,
        reason=reason,  # type: ignore[arg-type]
        ended_on=date(2026, 12, 1),
        effective_date=licence.effective_date,
        term_end=licence.term_end,
    )


async def encumbrances(
    client: httpx.AsyncClient, settings: ListingSettings, owner: Org, number: str, **params: Any
) -> list[dict[str, Any]]:
    response = await client.get(
        f"/v1/patents/{number}/encumbrances", params=params, headers=owner.headers(settings)
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_an_ended_exclusive_licence_releases_the_patent_for_a_declaration(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "苏州大学")
    number = await register(listing_client, listing_settings, owner)
    licence = granted(number, owner, LicenseKind.EXCLUSIVE)
    await publish(listing_settings, licence)
    await eventually(lambda: encumbrances(listing_client, listing_settings, owner, number))
    assert_refused(
        await declare(listing_client, listing_settings, owner, declaration_body(number)),
        "declaration-exclusive-license-in-force",
    )

    await publish(listing_settings, ended(licence))

    async def released() -> bool:
        return not await encumbrances(listing_client, listing_settings, owner, number)

    await eventually(released)
    [history] = await encumbrances(
        listing_client, listing_settings, owner, number, include_released="true"
    )
    assert history["reference_id"] == licence.license_id
    assert history["released_at"] is not None
    accepted = await declare(listing_client, listing_settings, owner, declaration_body(number))
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "announced"


async def test_a_declaration_a_sole_licence_suspended_comes_back_when_the_licence_ends(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "东华大学")
    number = await register(listing_client, listing_settings, owner)
    announced = await declare(listing_client, listing_settings, owner, declaration_body(number))
    assert announced.status_code == 200, announced.text
    declaration = announced.json()
    announced_at = datetime.fromisoformat(declaration["announced_at"])
    licence = granted(number, owner, LicenseKind.SOLE)
    # License granted the sole licence a second before the announcement; it arrives late.
    await publish(listing_settings, licence, at=announced_at - timedelta(seconds=1))

    async def status() -> str | None:
        response = await listing_client.get(
            f"/v1/declarations/{declaration['id']}", headers=owner.headers(listing_settings)
        )
        body = response.json()
        return f"{body['status']}: {body.get('status_reason')}"

    suspended = await eventually(lambda: _when(status, lambda s: s.startswith("suspended") and s))
    assert licence.license_id in suspended
    await publish(listing_settings, ended(licence, "rescinded"))
    reinstated = await eventually(lambda: _when(status, lambda s: s.startswith("announced") and s))
    assert "rescinded" in reinstated


async def test_an_ordinary_licence_ending_changes_nothing(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "江南大学")
    number = await register(listing_client, listing_settings, owner)
    exclusive = granted(number, owner, LicenseKind.EXCLUSIVE)
    await publish(listing_settings, exclusive)
    await eventually(lambda: encumbrances(listing_client, listing_settings, owner, number))
    # An ordinary licence with the exclusive one's id would release it if kinds were
    # ignored; published after, it is handled after (same key).
    ordinary = exclusive.model_copy(update={"kind": LicenseKind.ORDINARY})
    await publish(listing_settings, ended(ordinary))
    marker = granted(number, owner, LicenseKind.SOLE)
    await publish(listing_settings, marker)

    async def both() -> list[dict[str, Any]] | None:
        items = await encumbrances(listing_client, listing_settings, owner, number)
        return items if len(items) == 2 else None

    items = await eventually(both)
    assert {i["reference_id"] for i in items} == {exclusive.license_id, marker.license_id}


async def _when(check: Any, accept: Any) -> Any:
    return accept(await check())
