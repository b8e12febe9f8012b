"""Breach register use cases: recording the breaches of late royalty reports and
payments (the deadline watch), and the operator's view of the register. Services never
commit; the caller's unit of work does."""

from __future__ import annotations

import uuid

from license.breaches.commands import ListBreaches, RecordOverdueRoyalties
from license.credit.service import credit
from license.domain.breach import Breach
from license.domain.credit import CreditParty, CreditRecord
from license.domain.errors import OperatorOnly
from license.licenses.service import licensee_ref, licenses
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.events.schemas import LicenseBreachRecorded


async def record_overdue_royalties(uow: UnitOfWork, command: RecordOverdueRoyalties) -> int:
    """Record a breach against the licensee for each period whose report or payment is
    late; each once, even with several instances watching (rows locked, others skipped,
    the flag set in the same transaction). Returns how many were recorded."""
    repo = licenses(uow)
    today = command.today
    recorded = 0
    for period, licence in await repo.royalty_periods_past_due(today=today, limit=command.limit):
        kind = period.breach_due(today)
        if kind is None:
            continue
        breach = Breach.of_royalty_period(
            breach_id=str(uuid.uuid4()),
            licence=licence,
            period=period,
            kind=kind,
            recorded_at=uow.clock.now(),
        )
        period.mark_breach_recorded(kind)
        await repo.save_royalty_period(period)
        if await repo.add_breach(breach):
            recorded += 1
            outstanding = breach.amount_outstanding
            uow.emit(
                LicenseBreachRecorded(
                    breach_id=breach.id,
                    license_id=licence.id,
                    application_number=licence.application_number,
                    kind=kind.value,
                    party=licensee_ref(licence),
                    period_id=period.id,
                    period_start=period.start,
                    period_end=period.end,
                    due_date=period.due_date,
                    amount_outstanding=outstanding.amount if outstanding else None,
                )
            )
            await _propose_credit_record(uow, breach)
    return recorded


async def _propose_credit_record(uow: UnitOfWork, breach: Breach) -> None:
    """Put the breach before the regulator as a candidate credit record: a late report
    or payment is not dishonest conduct until the regulator says so (after notice), so
    the candidate restricts nobody. A party known without a USCC cannot be recorded."""
    if breach.party_uscc is None:
        return
    period = f"period {breach.period_id} " if breach.period_id else ""
    candidate = CreditRecord.candidate(
        record_id=str(uuid.uuid4()),
        party=CreditParty(uscc=breach.party_uscc, name=breach.party_name),
        facts=(
            f"{breach.kind.value}: licence {breach.license_id} "
            f"({breach.application_number}), {period}due {breach.due_date}"
        ),
        license_id=breach.license_id,
        breach_id=breach.id,
        now=breach.recorded_at,
    )
    await credit(uow).add(candidate)


async def list_breaches(uow: UnitOfWork, principal: Principal, query: ListBreaches) -> list[Breach]:
    if principal.org_type is not OrgType.OPERATOR:
        raise OperatorOnly("the breach register is kept for the platform operator")
    return await licenses(uow).list_breaches(
        limit=query.limit,
        after=query.after,
        party_uscc=query.party_uscc,
        license_id=query.license_id,
        kind=query.kind,
    )
