"""A known set of events, all in 2011 (other packages' events on the session's broker take
effect in other years, so the figures of 2011 are this scenario's alone), published in
two phases: after the first, a patent's facts are known without its attributes and a
pledge effective in February is still to come; the second brings both.

Patents: P1 (university A, Shenzhen 440305, C3841), P2 (institute B, Beijing 110108,
I6510), P3 (enterprise E, Guangzhou 440106, C2710: registered only in phase 2) and P4
(university A, Nanjing 320102, C3899, transferred to E in April)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

from ip_statistics.config import StatisticsSettings
from shared.auth import OrgType
from shared.domain.terms import LicenseKind, MarketEvaluation, WillImplement
from shared.events.envelope import CloudEvent
from shared.events.schemas import (
    InventoryRecorded,
    LicenseGranted,
    MatchFeedbackRecorded,
    MatchPushed,
    MediationRefused,
    MediationRequested,
    MediationSettled,
    PatentOwnerChanged,
    PatentRegistered,
    PledgeCancelled,
    PledgeChanged,
    PledgeRegistered,
    PushOpened,
    TechContractRegistered,
    TechContractRegistrationDetailsChanged,
    TierChanged,
    TransferRecorded,
)
from tests.support.events import envelope, patentee, publish, ref
from tests.support.stack import Org, application_number, org

YEAR = {"from": "2011-01", "to": "2011-12"}


def at(month: int, day: int) -> datetime:
    """Noon in Shanghai that day."""
    return datetime(2011, month, day, 4, tzinfo=UTC)


@dataclass
class Scenario:
    university: Org
    institute: Org
    enterprise: Org
    bank: Org
    other_bank: Org
    patents: dict[str, str]
    # Answers read after the first phase: {name: JSON}.
    before: dict[str, Any] = field(default_factory=dict)


def registered(number: str, owner: Org, region: str, industry: str) -> PatentRegistered:
    return PatentRegistered(
        application_number=number,
        patent_number=f"ZL{number}",
        patent_type="invention",
        title="一种锂电池健康状态检测方法",
        industry_codes=[industry],
        patentees=[patentee(owner)],
        region_code=region,
        filing_date=date(2009, 3, 1),
        grant_date=date(2010, 5, 10),
        expiry_date=date(2029, 3, 1),
        legal_status="valid",
        annual_fee_status="paid",
    )


def pledge(
    pledge_id: str, number: str, pledgor: Org, bank: Org, amount: str, on: date
) -> PledgeRegistered:
    return PledgeRegistered(
        pledge_id=pledge_id,
        application_numbers=[number],
        pledgor=ref(pledgor),
        pledgee=ref(bank),
        secured_amount=Decimal(amount),
        debt_term_end=on + timedelta(days=365),
        registered_on=on,
    )


def license_granted(
    number: str, licensor: Org, licensee: Org, kind: LicenseKind, on: date, **extra: Any
) -> LicenseGranted:
    return LicenseGranted(
        license_id=str(uuid.uuid4()),
        application_number=number,
        patent_number=f"ZL{number}",
        kind=kind,
        licensors=[ref(licensor)],
        licensee=ref(licensee),
        effective_date=on,
        term_end=on + timedelta(days=730),
        filing_deadline=on + timedelta(days=90),
        **extra,
    )


def tech_contract(number: str, registration_id: str, contract: str, tech: str, on: date) -> Any:
    return TechContractRegistered(
        registration_id=registration_id,
        application_number=number,
        source_reference="L1",
        source_kind="open_license",
        contract_category="license",
        registration_number="2011440300000001",
        registered_on=on,
        certified_contract_value=Decimal(contract),
        certified_technology_value=Decimal(tech),
    )


async def publish_scenario(settings: StatisticsSettings, client: httpx.AsyncClient) -> Scenario:
    a = org(OrgType.UNIVERSITY, "甲大学")
    b = org(OrgType.RESEARCH_INSTITUTE, "乙研究所")
    e = org(OrgType.ENTERPRISE, "丙科技有限公司")
    k1 = org(OrgType.BANK, "丁银行")
    k2 = org(OrgType.BANK, "戊银行")
    p1, p2, p3, p4 = (application_number(2009) for _ in range(4))
    s = Scenario(a, b, e, k1, k2, {"P1": p1, "P2": p2, "P3": p3, "P4": p4})
    pl3 = envelope(pledge("pl3-" + p3, p3, e, k1, "2000000.00", date(2011, 3, 20)), at(3, 20))
    case_1, case_2 = str(uuid.uuid4()), str(uuid.uuid4())
    l2 = license_granted(p2, b, e, LicenseKind.EXCLUSIVE, date(2011, 3, 15))
    mediation = {
        "license_id": l2.license_id,
        "mediator": ref(org(OrgType.MEDIATOR, "己调解中心")),
    }
    first = [
        envelope(registered(p1, a, "440305", "C3841"), at(1, 10)),
        envelope(registered(p2, b, "110108", "I6510"), at(1, 20)),
        envelope(registered(p4, a, "320102", "C3899"), at(1, 28)),
        envelope(pledge("pl1-" + p1, p1, a, k1, "1000000.00", date(2011, 2, 15)), at(2, 15)),
        envelope(pledge("pl2-" + p2, p2, b, k2, "500000.50", date(2011, 3, 3)), at(3, 3)),
        pl3,
        envelope(
            PledgeChanged(
                pledge_id="pl2-" + p2,
                application_numbers=[p2],
                pledgor=ref(b),
                pledgee=ref(k2),
                secured_amount=Decimal("600000.00"),
                debt_term_end=date(2012, 3, 3),
                changed_fields=["secured_amount"],
                changed_on=date(2011, 5, 1),
            ),
            at(5, 1),
        ),
        envelope(
            PledgeCancelled(
                pledge_id="pl1-" + p1,
                application_numbers=[p1],
                reason="repaid",
                cancelled_on=date(2011, 6, 1),
            ),
            at(6, 1),
        ),
        envelope(
            license_granted(
                p1,
                a,
                e,
                LicenseKind.ORDINARY,
                date(2011, 2, 1),
                declaration_id="D1",
                contract_value=Decimal("10000.00"),
            ),
            at(2, 1),
        ),
        envelope(l2.model_copy(update={"contract_value": Decimal("200000.00")}), at(3, 15)),
        envelope(
            license_granted(
                p2, b, e, LicenseKind.ORDINARY, date(2011, 6, 1), contract_value=Decimal("50000")
            ),
            at(6, 1),
        ),
        envelope(
            PatentOwnerChanged(
                application_number=p4,
                previous_patentees=[patentee(a)],
                patentees=[patentee(e)],
                effective_date=date(2011, 4, 20),
            ),
            at(4, 20),
        ),
        envelope(
            TransferRecorded(
                deal_id="D-" + p4,
                application_number=p4,
                patent_number=f"ZL{p4}",
                transferors=[patentee(a)],
                transferees=[patentee(e)],
                recordal_number="2011110123456.7",
                recorded_on=date(2011, 4, 20),
                contract_value=Decimal("300000.00"),
            ),
            at(4, 20),
        ),
        envelope(license_granted(p4, e, e, LicenseKind.ORDINARY, date(2011, 5, 10)), at(5, 10)),
        envelope(
            TechContractRegistrationDetailsChanged(
                registration_id="R1-" + p1,
                application_number=p1,
                source_reference="L1",
                contract_category="license",
                cause="corrected",
                status="ready",
            ),
            at(4, 1),
        ),
        envelope(
            tech_contract(p1, "R1-" + p1, "10000.00", "8000.00", date(2011, 4, 10)), at(4, 10)
        ),
        envelope(
            tech_contract(p1, "R1-" + p1, "12000.00", "9000.00", date(2011, 4, 12)), at(4, 12)
        ),
        envelope(
            InventoryRecorded(
                application_number=p1,
                institution=ref(a),
                willingness="willing",
                intended_modes=["license"],
                portfolios=[],
                state_funded=False,
            ),
            at(1, 15),
        ),
        envelope(
            InventoryRecorded(
                application_number=p2,
                institution=ref(b),
                willingness="undecided",
                intended_modes=[],
                portfolios=[],
                state_funded=True,
            ),
            at(2, 10),
        ),
        envelope(
            TierChanged(
                application_number=p1,
                tier="A",
                previous_tier=None,
                source="rule",
                rule_version="2011-v1",
            ),
            at(2, 5),
        ),
        envelope(
            TierChanged(
                application_number=p2,
                tier="B",
                previous_tier=None,
                source="rule",
                rule_version="2011-v1",
            ),
            at(3, 1),
        ),
        envelope(
            TierChanged(
                application_number=p2,
                tier="C",
                previous_tier="B",
                source="override",
                rule_version=None,
            ),
            at(6, 1),
        ),
        envelope(
            MatchPushed(
                push_id="U1-" + p1[:20],
                application_number=p1,
                enterprise=ref(e),
                institution=ref(a),
                score=0.9,
                weights_version="v1",
                industry_codes=["C3841"],
                pushed_at=at(3, 1),
            ),
            at(3, 1),
        ),
        envelope(
            PushOpened(
                push_id="U1-" + p1[:20],
                application_number=p1,
                enterprise=ref(e),
                opened_at=at(3, 2),
            ),
            at(3, 2),
        ),
        envelope(feedback(p1, e, WillImplement.YES, at(3, 3)), at(3, 3)),
        envelope(feedback(p1, e, WillImplement.NO, at(3, 4)), at(3, 4)),
        envelope(mediation_requested(p2, case_1, e, mediation, date(2011, 4, 1)), at(4, 1)),
        envelope(mediation_requested(p2, case_2, e, mediation, date(2011, 4, 2)), at(4, 2)),
        envelope(
            MediationSettled(
                mediation_case_id=case_1,
                application_number=p2,
                **mediation,
                settled_on=date(2011, 5, 20),
                royalty_rate=Decimal("3"),
                effective_from=date(2011, 6, 1),
            ),
            at(5, 20),
        ),
        envelope(
            MediationRefused(
                mediation_case_id=case_2,
                application_number=p2,
                **mediation,
                reason="lawsuit_filed",
                refused_on=date(2011, 4, 9),
            ),
            at(4, 9),
        ),
    ]
    await publish(settings, *first)
    regulator = regulator_headers(settings)
    for name, params in BEFORE.items():
        answer = await client.get("/v1/statistics/figures", params=params, headers=regulator)
        s.before[name] = answer.json()
    # Phase 2: pl3 again (a redelivery: same id), P3's attributes after its pledge, and a
    # pledge effective in February published after everything in March and May.
    late = [
        CloudEvent.model_validate(pl3.model_dump()),
        envelope(registered(p3, e, "440106", "C2710"), at(1, 25)),
        envelope(pledge("pl4-" + p1, p1, a, k1, "300000.00", date(2011, 2, 28)), at(2, 28)),
        envelope(
            PledgeCancelled(
                pledge_id="pl3-" + p3,
                application_numbers=[p3],
                reason="repaid",
                cancelled_on=date(2011, 7, 1),
            ),
            at(7, 1),
        ),
    ]
    await publish(settings, *late)
    return s


BEFORE = {"pledges": {"measure": "pledges", "group_by": "month,province", **YEAR}}


def feedback(number: str, enterprise: Org, verdict: WillImplement, when: datetime) -> Any:
    return MatchFeedbackRecorded(
        feedback_id="F1-" + number,
        application_number=number,
        enterprise=ref(enterprise),
        will_implement=verdict,
        wants_cooperation=True,
        market_evaluation=MarketEvaluation.POSITIVE,
        recorded_at=when,
    )


def mediation_requested(
    number: str, case: str, requester: Org, mediation: dict[str, Any], on: date
) -> MediationRequested:
    return MediationRequested(
        mediation_case_id=case,
        application_number=number,
        patent_number=f"ZL{number}",
        requester=ref(requester),
        requester_side="licensee",
        dispute_arose_on=on,
        requested_on=on,
        acceptance_deadline=on + timedelta(days=7),
        **mediation,
    )


def regulator_headers(settings: StatisticsSettings) -> dict[str, str]:
    return org(OrgType.REGULATOR, "国家知识产权局").headers(settings)
