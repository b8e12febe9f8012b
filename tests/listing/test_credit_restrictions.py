"""Credit restrictions in listing, from the license service's events: a patent whose
patentee is restricted by a credit record in force may not be declared for open
licensing (neither drafted nor announced); a lift ends that, and a lift that arrives
before its imposition keeps the record lifted."""

from __future__ import annotations

import uuid

import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.domain.calendar import add_months
from shared.events.schemas import CreditRestrictionImposed, CreditRestrictionLifted, OrgRef
from tests.listing.factories import declaration_body
from tests.listing.test_declarations import assert_refused, declare, publish, register
from tests.support.stack import Org, consumed, org, real_today


def imposed(party: Org, record_id: str) -> CreditRestrictionImposed:
    today = real_today()
    return CreditRestrictionImposed(
        record_id=record_id,
        party=OrgRef(name=party.name, uscc=party.uscc),
        kind="false_materials",
        restricted_from=today,
        restricted_until=add_months(today, 12),
        restrictions=["open_license_declaration"],
    )


def lifted(party: Org, record_id: str) -> CreditRestrictionLifted:
    return CreditRestrictionLifted(
        record_id=record_id,
        party=OrgRef(name=party.name, uscc=party.uscc),
        reason="objection_upheld",
        lifted_at=f"{real_today()}T08:00:00+08:00",  # type: ignore[arg-type]
    )


async def test_a_restricted_patentee_may_not_declare_until_the_restriction_is_lifted(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.ENTERPRISE, "深圳市失信示例科技有限公司")
    number = await register(listing_client, listing_settings, owner)
    headers = owner.headers(listing_settings)
    # A draft made before the restriction is refused at its announcement.
    draft = await listing_client.post(
        "/v1/declarations", json=declaration_body(number), headers=headers
    )
    assert draft.status_code == 201, draft.text
    record_id = str(uuid.uuid4())
    await consumed(
        listing_settings, (await publish(listing_settings, imposed(owner, record_id))).id
    )
    submitted = await listing_client.post(
        f"/v1/declarations/{draft.json()['id']}/submit", headers=headers
    )
    assert_refused(submitted, "declaration-party-restricted", record_id, owner.uscc or "")
    assert submitted.json()["record_id"] == record_id
    # And a new draft is refused at once.
    refused = await declare(listing_client, listing_settings, owner, declaration_body(number))
    assert_refused(refused, "declaration-party-restricted", record_id)

    await consumed(listing_settings, (await publish(listing_settings, lifted(owner, record_id))).id)
    accepted = await listing_client.post(
        f"/v1/declarations/{draft.json()['id']}/submit", headers=headers
    )
    assert accepted.status_code == 200, accepted.text


async def test_a_lift_before_its_imposition_keeps_the_record_lifted(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "某某理工大学")
    number = await register(listing_client, listing_settings, owner)
    record_id = str(uuid.uuid4())
    await consumed(listing_settings, (await publish(listing_settings, lifted(owner, record_id))).id)
    await consumed(
        listing_settings, (await publish(listing_settings, imposed(owner, record_id))).id
    )
    accepted = await declare(listing_client, listing_settings, owner, declaration_body(number))
    assert accepted.status_code == 200, accepted.text
