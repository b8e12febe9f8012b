"""Credit record use cases (信用监管): the regulator records, confirms or dismisses
candidates, revokes and decides objections; the party reads its records and objects;
the deadline watch ends records whose period ended and raises overdue objections.
Services never commit; the caller's unit of work does.

A record is the regulator's, the operator's and its party's business: anyone else
asking for one, or objecting to one, gets the 404 an id that does not exist gets."""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from dataclasses import dataclass

from license.credit.commands import (
    ConfirmCandidate,
    DecideObjection,
    DismissCandidate,
    FileObjection,
    ListCreditRecords,
    RecordCredit,
    RevokeCredit,
    SweepCredit,
)
from license.credit.repository import CreditRepository
from license.domain.credit import (
    RESTRICTIONS,
    CreditParty,
    CreditPeriod,
    CreditRecord,
    CreditState,
    Objection,
    Viewer,
    lift_reason,
)
from license.domain.errors_credit import RegulatorOnly, credit_record_unknown
from license.evidence.service import citable
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.domain.calendar import WorkingDayCalendar, shanghai_date
from shared.errors import NotFound
from shared.events.schemas import (
    CreditObjectionOverdue,
    CreditRestrictionImposed,
    CreditRestrictionLifted,
    OrgRef,
)

OVERSEERS = frozenset({OrgType.REGULATOR, OrgType.OPERATOR})
# What a party sees of its own records: a candidate is the regulator's working material.
PARTY_STATES = frozenset(CreditState) - {CreditState.CANDIDATE, CreditState.DISMISSED}

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CreditRecordView:
    record: CreditRecord
    objections: list[Objection]


def credit(uow: UnitOfWork) -> CreditRepository:
    return CreditRepository(uow.session)


def viewer(principal: Principal) -> Viewer:
    return Viewer(
        org_id=principal.org_id, uscc=principal.uscc, oversees=principal.org_type in OVERSEERS
    )


def _regulator(principal: Principal, what: str) -> None:
    if principal.org_type is not OrgType.REGULATOR:
        raise RegulatorOnly(f"only the regulator {what}")


async def record_credit(
    uow: UnitOfWork, principal: Principal, command: RecordCredit
) -> CreditRecord:
    _regulator(principal, "records dishonest conduct")
    evidence = await citable(uow, principal, command.evidence) if command.evidence else ()
    record = CreditRecord.record(
        record_id=str(uuid.uuid4()),
        party=CreditParty(uscc=command.party_uscc, name=command.party_name),
        kind=command.kind,
        facts=command.facts,
        evidence=evidence,
        period=CreditPeriod(command.period_from, command.period_until),
        license_id=command.license_id,
        by_org_id=principal.org_id,
        now=uow.clock.now(),
        today=uow.clock.today(),
    )
    await credit(uow).save(record)
    _imposed(uow, record)
    return record


async def confirm_candidate(
    uow: UnitOfWork, principal: Principal, command: ConfirmCandidate
) -> CreditRecord:
    _regulator(principal, "confirms a candidate record")
    repo = credit(uow)
    record = await _visible(repo, principal, command.record_id, for_update=True)
    evidence = await citable(uow, principal, command.evidence) if command.evidence else ()
    record.confirm(
        evidence=evidence,
        period=CreditPeriod(command.period_from, command.period_until),
        facts=command.facts,
        by_org_id=principal.org_id,
        now=uow.clock.now(),
        today=uow.clock.today(),
    )
    await repo.save(record)
    _imposed(uow, record)
    return record


async def dismiss_candidate(
    uow: UnitOfWork, principal: Principal, command: DismissCandidate
) -> CreditRecord:
    _regulator(principal, "dismisses a candidate record")
    repo = credit(uow)
    record = await _visible(repo, principal, command.record_id, for_update=True)
    record.dismiss(reason=command.reason, by_org_id=principal.org_id, now=uow.clock.now())
    await repo.save(record)
    return record


async def revoke_credit(
    uow: UnitOfWork, principal: Principal, command: RevokeCredit
) -> CreditRecord:
    _regulator(principal, "revokes a credit record")
    repo = credit(uow)
    record = await _visible(repo, principal, command.record_id, for_update=True)
    record.revoke(reason=command.reason, by_org_id=principal.org_id, now=uow.clock.now())
    await repo.save(record)
    _lifted(uow, record)
    return record


async def file_objection(
    uow: UnitOfWork, principal: Principal, command: FileObjection, calendar: WorkingDayCalendar
) -> Objection:
    repo = credit(uow)
    record = await _visible(repo, principal, command.record_id, for_update=True)
    evidence = await citable(uow, principal, command.evidence) if command.evidence else ()
    pending = any(o.pending for o in await repo.objections(record.id))
    objection = record.object(
        objection_id=str(uuid.uuid4()),
        grounds=command.grounds,
        evidence=evidence,
        viewer=viewer(principal),
        pending=pending,
        now=uow.clock.now(),
        today=uow.clock.today(),
        calendar=calendar,
    )
    await repo.add_objection(objection)
    await repo.save(record)
    return objection


async def decide_objection(
    uow: UnitOfWork, principal: Principal, command: DecideObjection
) -> CreditRecordView:
    _regulator(principal, "decides an objection")
    repo = credit(uow)
    record = await _visible(repo, principal, command.record_id, for_update=True)
    objection = await repo.get_objection(record.id, command.objection_id)
    if objection is None:
        raise NotFound(f"objection {command.objection_id} does not exist")
    was_in_force = record.restricts
    record.decide(
        objection,
        upheld=command.upheld,
        reason=command.reason,
        by_org_id=principal.org_id,
        now=uow.clock.now(),
    )
    await repo.save_objection(objection)
    await repo.save(record)
    if was_in_force and not record.restricts:
        _lifted(uow, record)
    return CreditRecordView(record, await repo.objections(record.id))


async def get_credit_record(
    uow: UnitOfWork, principal: Principal, record_id: str
) -> CreditRecordView:
    repo = credit(uow)
    record = await _visible(repo, principal, record_id)
    return CreditRecordView(record, await repo.objections(record.id))


async def list_credit_records(
    uow: UnitOfWork, principal: Principal, query: ListCreditRecords
) -> list[CreditRecord]:
    """The regulator and the operator: every record, filtered; a party: its own (by its
    USCC), candidates and dismissed ones aside."""
    oversees = principal.org_type in OVERSEERS
    if not oversees and principal.uscc is None:
        return []
    return await credit(uow).page(
        limit=query.limit,
        after=query.after,
        party_uscc=query.party_uscc if oversees else principal.uscc,
        state=query.state,
        kind=query.kind,
        visible_states=None if oversees else PARTY_STATES,
    )


async def sweep_credit(uow: UnitOfWork, command: SweepCredit, calendar: WorkingDayCalendar) -> int:
    """Expire the records whose period ended (lifting their restriction), count the
    decision day of objections filed while the calendar lacked its year, and raise an
    overdue event for each objection the regulator did not decide in time; each once,
    even with several instances watching. Returns how many were acted on."""
    repo = credit(uow)
    acted = await _count_decision_days(repo, command.limit, calendar)
    now = uow.clock.now()
    for record in await repo.periods_ended(today=command.today, limit=command.limit):
        if record.expire_if_ended(command.today, now):
            await repo.save(record)
            _lifted(uow, record)
            acted += 1
    for objection, record in await repo.objections_overdue(
        today=command.today, limit=command.limit
    ):
        objection.overdue_alerted = True
        await repo.save_objection(objection)
        uow.emit(
            CreditObjectionOverdue(
                record_id=record.id,
                party=_party(record),
                objection_id=objection.id,
                filed_on=shanghai_date(objection.filed_at),
                decide_by=objection.decide_by,
            )
        )
        acted += 1
    return acted


async def _count_decision_days(
    repo: CreditRepository, limit: int, calendar: WorkingDayCalendar
) -> int:
    """Keep the decision day of the pending objections the calendar now covers; the
    others wait (one warning per year they wait for) and never stop the sweep."""
    counted = 0
    waiting: Counter[int] = Counter()
    for objection in await repo.objections_without_due_day(limit=limit):
        due = objection.count_decision_due(calendar)
        if due.awaits_year is not None:
            waiting[due.awaits_year] += 1
            continue
        await repo.save_objection(objection)
        counted += 1
    for year, objections in sorted(waiting.items()):
        log.warning(
            "%s credit objection(s) wait for the working-day calendar's %s to count the "
            "regulator's decision day: add that year's State Council holiday notice to "
            "the calendar file and restart",
            objections,
            year,
            extra={"year": year, "objections": objections},
        )
    return counted


async def _visible(
    repo: CreditRepository, principal: Principal, record_id: str, *, for_update: bool = False
) -> CreditRecord:
    record = await repo.get(record_id, for_update=for_update)
    if record is None or not record.may_be_seen_by(viewer(principal)):
        raise credit_record_unknown(record_id)
    return record


def _party(record: CreditRecord) -> OrgRef:
    return OrgRef(name=record.party.name, uscc=record.party.uscc)


def _imposed(uow: UnitOfWork, record: CreditRecord) -> None:
    assert record.period is not None
    uow.emit(
        CreditRestrictionImposed(
            record_id=record.id,
            party=_party(record),
            kind=record.kind.value,
            restricted_from=record.period.start,
            restricted_until=record.period.end,
            restrictions=[r.value for r in RESTRICTIONS],
        )
    )


def _lifted(uow: UnitOfWork, record: CreditRecord) -> None:
    uow.emit(
        CreditRestrictionLifted(
            record_id=record.id,
            party=_party(record),
            reason=lift_reason(record).value,
            lifted_at=record.ended_at or uow.clock.now(),
        )
    )
