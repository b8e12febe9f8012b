"""Every query of the pledge service."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col, or_, select

from pledge.domain.pledge import ENCUMBERING
from pledge.models import (
    BankPolicyRecord,
    BankTopicRecord,
    CompensationClaimRecord,
    DeclarationViewRecord,
    InsuranceClaimRecord,
    InsurancePolicyRecord,
    InsuranceProductRecord,
    LicenseViewRecord,
    PatentViewRecord,
    PledgeConsentRecord,
    PledgePatentRecord,
    PledgeRecord,
    RiskProgrammeRecord,
    ValuationRecord,
)
from shared.events.schemas import ConsentSubject


class PledgeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- views ---------------------------------------------------------------------------

    async def upsert_patent_view(self, values: dict[str, Any]) -> None:
        statement = insert(PatentViewRecord).values(**values, updated_at=datetime.now(UTC))
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["application_number"],
                set_={k: statement.excluded[k] for k in (*values, "updated_at")},
            )
        )

    async def update_patent_view(
        self, application_number: str, *, legal_event: bool = False, **values: Any
    ) -> bool:
        """Update the view; ``legal_event`` also counts a status change (for valuation)."""
        if legal_event:
            values["status_change_count"] = col(PatentViewRecord.status_change_count) + 1
        result = await self.session.execute(
            update(PatentViewRecord)
            .where(col(PatentViewRecord.application_number) == application_number)
            .values(**values, updated_at=datetime.now(UTC))
            .returning(col(PatentViewRecord.application_number))
        )
        return result.first() is not None

    async def patent_views(
        self, numbers: list[str], *, for_update: bool = False
    ) -> dict[str, PatentViewRecord]:
        query = (
            select(PatentViewRecord)
            .where(col(PatentViewRecord.application_number).in_(numbers))
            # A fixed order, so two transactions locking overlapping sets cannot deadlock.
            .order_by(col(PatentViewRecord.application_number))
        )
        if for_update:
            query = query.with_for_update()
        rows = (await self.session.execute(query)).scalars()
        return {r.application_number: r for r in rows}

    async def set_declaration_view(
        self, declaration_id: str, application_number: str, status: str
    ) -> None:
        statement = insert(DeclarationViewRecord).values(
            declaration_id=declaration_id,
            application_number=application_number,
            status=status,
            updated_at=datetime.now(UTC),
        )
        # A withdrawal, lapse or expiry is final, whatever arrives after it.
        still_open = col(DeclarationViewRecord.status).not_in(["withdrawn", "lapsed", "expired"])
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["declaration_id"],
                set_={
                    "status": statement.excluded.status,
                    "updated_at": statement.excluded.updated_at,
                },
                where=still_open,
            )
        )

    async def add_license_view(self, record: LicenseViewRecord) -> None:
        await self.session.execute(
            insert(LicenseViewRecord)
            .values(**record.model_dump())
            .on_conflict_do_nothing(index_elements=["license_id"])
        )

    # -- pledges -------------------------------------------------------------------------

    async def add_pledge(self, pledge: PledgeRecord) -> None:
        self.session.add(pledge)
        await self.session.flush()
        for number in pledge.application_numbers:
            self.session.add(PledgePatentRecord(pledge_id=pledge.id, application_number=number))
        await self.session.flush()

    async def get_pledge(self, pledge_id: str, *, for_update: bool = False) -> PledgeRecord | None:
        query = select(PledgeRecord).where(col(PledgeRecord.id) == pledge_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def pledged_numbers(
        self, numbers: list[str], *, excluding: str | None = None
    ) -> set[str]:
        """Which of ``numbers`` a registered pledge covers."""
        query = (
            select(PledgePatentRecord.application_number)
            .join(PledgeRecord, col(PledgeRecord.id) == col(PledgePatentRecord.pledge_id))
            .where(
                col(PledgePatentRecord.application_number).in_(numbers),
                col(PledgeRecord.status).in_([s.value for s in ENCUMBERING]),
            )
        )
        if excluding is not None:
            query = query.where(col(PledgeRecord.id) != excluding)
        return set((await self.session.execute(query)).scalars())

    async def pledges_covering(self, number: str, statuses: list[str]) -> list[PledgeRecord]:
        """Pledges of a patent in the given states, locked for update."""
        query = (
            select(PledgeRecord)
            .join(PledgePatentRecord, col(PledgeRecord.id) == col(PledgePatentRecord.pledge_id))
            .where(
                col(PledgePatentRecord.application_number) == number,
                col(PledgeRecord.status).in_(statuses),
            )
            .order_by(col(PledgeRecord.id))
            .with_for_update(of=PledgeRecord)
        )
        return list((await self.session.execute(query)).scalars())

    async def list_pledges(
        self,
        *,
        limit: int,
        after: tuple[datetime, str] | None,
        org_id: str | None,
    ) -> list[PledgeRecord]:
        p = PledgeRecord
        query = select(p).order_by(col(p.created_at).desc(), col(p.id).desc()).limit(limit)
        if org_id is not None:
            query = query.where(
                or_(
                    # A bank does not see drafts addressed to it until they are submitted.
                    (col(p.pledgee_org_id) == org_id) & (col(p.status) != "draft"),
                    col(p.pledgor_org_id) == org_id,
                )
            )
        if after is not None:
            created_at, last_id = after
            query = query.where(
                or_(
                    col(p.created_at) < created_at,
                    (col(p.created_at) == created_at) & (col(p.id) < last_id),
                )
            )
        return list((await self.session.execute(query)).scalars())

    async def encumbering_pledges_of(
        self, application_number: str, *, for_update: bool = False
    ) -> list[PledgeRecord]:
        """The pledges that encumber one patent (registered, defaulted, in disposal)."""
        query = (
            select(PledgeRecord)
            .join(PledgePatentRecord, col(PledgeRecord.id) == col(PledgePatentRecord.pledge_id))
            .where(
                col(PledgePatentRecord.application_number) == application_number,
                col(PledgeRecord.status).in_([s.value for s in ENCUMBERING]),
            )
            .order_by(col(PledgeRecord.id))
        )
        if for_update:
            query = query.with_for_update(of=PledgeRecord)
        return list((await self.session.execute(query)).scalars())

    async def declared_numbers(self, numbers: list[str]) -> set[str]:
        """Which of ``numbers`` carry an announced open-licence declaration."""
        query = select(DeclarationViewRecord.application_number).where(
            col(DeclarationViewRecord.application_number).in_(numbers),
            col(DeclarationViewRecord.status) == "announced",
        )
        return set((await self.session.execute(query)).scalars())

    # -- consents ------------------------------------------------------------------------

    async def add_consent(self, consent: PledgeConsentRecord) -> None:
        self.session.add(consent)
        await self.session.flush()

    async def has_consent(self, pledge_id: str, subject: ConsentSubject) -> bool:
        query = select(PledgeConsentRecord.id).where(
            col(PledgeConsentRecord.pledge_id) == pledge_id,
            col(PledgeConsentRecord.consent_to) == subject.value,
        )
        return (await self.session.execute(query.limit(1))).first() is not None

    async def consents(self, pledge_id: str) -> list[PledgeConsentRecord]:
        query = (
            select(PledgeConsentRecord)
            .where(col(PledgeConsentRecord.pledge_id) == pledge_id)
            .order_by(col(PledgeConsentRecord.created_at), col(PledgeConsentRecord.id))
        )
        return list((await self.session.execute(query)).scalars())

    # -- banks ---------------------------------------------------------------------------

    async def bank_policy(self, bank_org_id: str) -> BankPolicyRecord | None:
        return await self.session.get(BankPolicyRecord, bank_org_id)

    async def put_bank_policy(self, values: dict[str, Any]) -> BankPolicyRecord:
        statement = insert(BankPolicyRecord).values(**values, updated_at=datetime.now(UTC))
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["bank_org_id"],
                set_={k: statement.excluded[k] for k in (*values, "updated_at")},
            )
        )
        policy = await self.session.get(
            BankPolicyRecord, values["bank_org_id"], populate_existing=True
        )
        assert policy is not None
        return policy

    async def bank_topic_known(self, bank_org_id: str) -> bool:
        return await self.session.get(BankTopicRecord, bank_org_id) is not None

    async def add_bank_topic(self, bank_org_id: str, topic: str) -> None:
        await self.session.execute(
            insert(BankTopicRecord)
            .values(bank_org_id=bank_org_id, topic=topic, created_at=datetime.now(UTC))
            .on_conflict_do_nothing(index_elements=["bank_org_id"])
        )

    # -- risk-compensation programmes ------------------------------------------------------

    async def add_programme(self, programme: RiskProgrammeRecord) -> None:
        self.session.add(programme)
        await self.session.flush()

    async def get_programme(
        self, programme_id: str, *, for_update: bool = False
    ) -> RiskProgrammeRecord | None:
        query = select(RiskProgrammeRecord).where(col(RiskProgrammeRecord.id) == programme_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def add_claim(self, claim: CompensationClaimRecord) -> None:
        self.session.add(claim)
        await self.session.flush()

    async def claim_of(self, pledge_id: str) -> CompensationClaimRecord | None:
        query = select(CompensationClaimRecord).where(
            col(CompensationClaimRecord.pledge_id) == pledge_id
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    # -- valuations ----------------------------------------------------------------------

    async def licensing_history(self, numbers: list[str]) -> dict[str, tuple[int, Decimal]]:
        """Per patent: licences on record and the sum of their contract values."""
        query = (
            select(
                col(LicenseViewRecord.application_number),
                func.count(),
                func.coalesce(func.sum(col(LicenseViewRecord.contract_value)), 0),
            )
            .where(col(LicenseViewRecord.application_number).in_(numbers))
            .group_by(col(LicenseViewRecord.application_number))
        )
        rows = (await self.session.execute(query)).all()
        return {number: (int(count), Decimal(total or 0)) for number, count, total in rows}

    async def add_valuation(self, valuation: ValuationRecord) -> None:
        self.session.add(valuation)
        await self.session.flush()

    async def get_valuation(self, valuation_id: str) -> ValuationRecord | None:
        return await self.session.get(ValuationRecord, valuation_id)

    # -- insurance -----------------------------------------------------------------------

    async def add(self, record: SQLModel) -> None:
        self.session.add(record)
        await self.session.flush()

    async def product(self, product_id: str) -> InsuranceProductRecord | None:
        return await self.session.get(InsuranceProductRecord, product_id)

    async def policy(
        self, policy_id: str, *, for_update: bool = False
    ) -> InsurancePolicyRecord | None:
        query = select(InsurancePolicyRecord).where(col(InsurancePolicyRecord.id) == policy_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def insurance_claim(
        self, claim_id: str, *, for_update: bool = False
    ) -> InsuranceClaimRecord | None:
        query = select(InsuranceClaimRecord).where(col(InsuranceClaimRecord.id) == claim_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def license_view(self, license_id: str) -> LicenseViewRecord | None:
        return await self.session.get(LicenseViewRecord, license_id)
