"""Pledge's licence view learns that a licence ended (license's ``LicenseEnded``): the
row keeps its end date and reason, and the licence still counts as licensing history."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from pledge.config import PledgeSettings
from shared.auth import OrgType
from shared.db.engine import create_engine
from shared.events.schemas import LicenseEnded, LicenseGranted, LicenseKind, OrgRef
from tests.pledge.factories import publish
from tests.support.stack import application_number, eventually, org


@pytest.mark.usefixtures("pledge_client")  # its consumers keep the view
async def test_an_ended_licence_keeps_its_end_and_stays_licensing_history(
    pledge_settings: PledgeSettings,
) -> None:
    owner = org(OrgType.UNIVERSITY, "厦门大学")
    number = application_number(2020, 1)
    licence = LicenseGranted(
        license_id=str(uuid.uuid4()),
        application_number=number,
        patent_number="ZL" + number,
        kind=LicenseKind.EXCLUSIVE,
        licensors=[OrgRef(name=owner.name, uscc=owner.uscc)],
        licensee=OrgRef(name="厦门某光电有限公司"),
        effective_date=date(2025, 1, 1),
        term_end=date(2026, 11, 30),
        filing_deadline=date(2025, 4, 1),
        contract_value=Decimal("600000"),
    )
    await publish(pledge_settings, licence)
    await publish(
        pledge_settings,
        LicenseEnded(
            license_id=licence.license_id,
            application_number=number,
            patent_number=licence.patent_number,
            kind=licence.kind,
            licensors=licence.licensors,
            licensee=licence.licensee,
            reason="expired",
            ended_on=date(2026, 12, 1),
            effective_date=licence.effective_date,
            term_end=licence.term_end,
        ),
    )
    engine = create_engine(pledge_settings.database_url, pool_size=1)

    async def row() -> tuple[date, str, Decimal] | None:
        async with engine.connect() as conn:
            found = (
                await conn.execute(
                    text(
                        "SELECT ended_on, end_reason, contract_value FROM license_views "
                        "WHERE license_id = :id AND ended_on IS NOT NULL"
                    ),
                    {"id": licence.license_id},
                )
            ).first()
        return None if found is None else (found[0], found[1], found[2])

    try:
        assert await eventually(row) == (date(2026, 12, 1), "expired", Decimal("600000.00"))
    finally:
        await engine.dispose()
