"""What the outcome tests start from.

Patents and outcome facts arrive as real events: CloudEvents in the project's envelope
produced to the session's broker, the way listing, license and pledge publish them, and
handled by matching's consumer. Pushes, feedback and campaigns are written with SQL here,
because the areas that make them are built beside this one; the end-to-end test
(``tests/e2e``) covers the real path from a push to a licence in the funnel.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import asyncpg

from matching.config import MatchingSettings
from shared.db.engine import asyncpg_dsn
from shared.domain.terms import LicenseKind
from shared.events.schemas import (
    InventoryRecorded,
    LicenseGranted,
    PatentOwnerChanged,
    PatentRegistered,
    PledgeRegistered,
    RoyaltyReported,
)
from tests.support.events import envelope, patentee, publish, ref
from tests.support.stack import Org, application_number


async def register_patent(
    settings: MatchingSettings, institution: Org, *, inventoried: bool = True
) -> str:
    """A patent of ``institution`` that listing registered (and, with ``inventoried``,
    that the institution inventoried)."""
    number = application_number(2020)
    events = [
        envelope(
            PatentRegistered(
                application_number=number,
                patent_number=f"ZL{number}",
                patent_type="invention",
                title="一种锂电池健康状态检测方法",
                abstract="基于阻抗谱的锂电池健康状态在线检测。",
                ipc_codes=["H01M 10/48"],
                industry_codes=["C3841"],
                patentees=[patentee(institution)],
                region_code="110108",
                filing_date=date(2020, 3, 1),
                grant_date=date(2022, 5, 10),
                expiry_date=date(2040, 3, 1),
                legal_status="valid",
                annual_fee_status="paid",
            )
        )
    ]
    if inventoried:
        recorded = InventoryRecorded(
            application_number=number,
            institution=ref(institution),
            willingness="willing",
            intended_modes=["license"],
            portfolios=[],
            state_funded=False,
        )
        events.append(envelope(recorded))
    await publish(settings, *events)
    return number


def license_granted(
    number: str,
    licensor: Org,
    licensee: Org,
    effective: date,
    *,
    license_id: str | None = None,
    value: Decimal | None = None,
) -> LicenseGranted:
    return LicenseGranted(
        license_id=license_id or str(uuid.uuid4()),
        application_number=number,
        patent_number=f"ZL{number}",
        kind=LicenseKind.ORDINARY,
        licensors=[ref(licensor)],
        licensee=ref(licensee),
        effective_date=effective,
        term_end=effective + timedelta(days=730),
        filing_deadline=effective + timedelta(days=90),
        contract_value=value,
    )


def royalty_reported(
    license_id: str, number: str, amount: Decimal, period_end: date, *, period_id: str
) -> RoyaltyReported:
    return RoyaltyReported(
        license_id=license_id,
        application_number=number,
        period_id=period_id,
        period_start=period_end - timedelta(days=90),
        period_end=period_end,
        due_date=period_end + timedelta(days=30),
        royalty_base="net_sales",
        base_amount=amount * 20,
        royalty_rate=Decimal("5"),
        amount_due=amount,
    )


def owner_changed(
    number: str, previous: list[Org], owners: list[Org], effective: date
) -> PatentOwnerChanged:
    return PatentOwnerChanged(
        application_number=number,
        previous_patentees=[patentee(o) for o in previous],
        patentees=[patentee(o) for o in owners],
        transfer_reference=f"TR-{uuid.uuid4().hex[:10]}",
        effective_date=effective,
    )


def pledge_registered(
    numbers: list[str], pledgor: Org, pledgee: Org, on: date, amount: Decimal
) -> PledgeRegistered:
    return PledgeRegistered(
        pledge_id=str(uuid.uuid4()),
        application_numbers=numbers,
        pledgor=ref(pledgor),
        pledgee=ref(pledgee),
        secured_amount=amount,
        debt_term_end=on + timedelta(days=365),
        registered_on=on,
    )


async def _execute(settings: MatchingSettings, sql: str, *args: object) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(settings.database_url))
    try:
        await conn.execute(sql, *args)
    finally:
        await conn.close()


async def seed_push(
    settings: MatchingSettings,
    number: str,
    enterprise: Org,
    pushed_at: datetime,
    *,
    opened: bool = False,
    campaign_id: str | None = None,
    revision: int = 1,
) -> str:
    push_id = str(uuid.uuid4())
    await _execute(
        settings,
        "INSERT INTO pushes (push_id, enterprise_uscc, application_number, patent_revision,"
        " score, explanation, weights_version, campaign_id, pushed_at, opened_at)"
        " VALUES ($1, $2, $3, $4, 0.8, '{}'::jsonb, 'test', $5, $6, $7)",
        push_id,
        enterprise.uscc,
        number,
        revision,
        campaign_id,
        pushed_at,
        pushed_at + timedelta(hours=2) if opened else None,
    )
    return push_id


async def seed_feedback(
    settings: MatchingSettings,
    number: str,
    enterprise: Org,
    push_id: str,
    *,
    will_implement: str,
    market_evaluation: str,
) -> None:
    await _execute(
        settings,
        "INSERT INTO feedback (feedback_id, enterprise_uscc, application_number, push_id,"
        " will_implement, wants_cooperation, market_evaluation, prospect_score,"
        " improvement_needs, comment, recorded_at)"
        " VALUES ($1, $2, $3, $4, $5, false, $6, 3, '', '', now())",
        str(uuid.uuid4()),
        enterprise.uscc,
        number,
        push_id,
        will_implement,
        market_evaluation,
    )


async def seed_campaign(settings: MatchingSettings) -> str:
    campaign_id = str(uuid.uuid4())
    await _execute(
        settings,
        "INSERT INTO campaigns (campaign_id, name, industry_codes, region_codes, tiers,"
        " per_enterprise_limit, state, enterprises, launched_by_org_id, launched_at)"
        " VALUES ($1, '锂电池产业对接', '{C3841}', '{110000}', '{A,B}', 5, 'running', 3,"
        " 'operator-1', now())",
        campaign_id,
    )
    return campaign_id


async def fact_count(settings: MatchingSettings, kind: str, fact_id: str) -> int:
    conn = await asyncpg.connect(asyncpg_dsn(settings.database_url))
    try:
        return int(
            await conn.fetchval(
                "SELECT count(*) FROM outcome_facts WHERE kind = $1 AND fact_id = $2",
                kind,
                fact_id,
            )
        )
    finally:
        await conn.close()
