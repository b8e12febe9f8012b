"""Mediation use cases (专利纠纷调解): the request, the other party's answer, the
mediator's acceptance or refusal, sessions, extensions, the settlement and its
signatures, termination and withdrawal (the deadline watch's: ``mediation.watch``). Load
through the repositories, apply the domain's rules, save, stage events; services never
commit, the caller's unit of work does.

A case is read by the mediation organisation the requester named, the licence's parties,
the operator and the regulator; anyone else gets the 404 an id that does not exist gets,
word for word. A reader who may not do what it asks (a party accepting a case) gets a
403 naming who may.
"""

from __future__ import annotations

import uuid

from license.domain.dispute import (
    CaseParty,
    CaseViewer,
    LicenseTerm,
    Mediator,
    Side,
    Signature,
)
from license.domain.errors_mediation import (
    NotMediator,
    NotPartyToMediation,
    SettlementNotRunningRoyalty,
)
from license.domain.license import PatentLicense
from license.domain.mediation import MediationCase
from license.domain.royalty import RoyaltyRateAmendment
from license.licenses.amendments import amend_royalty_rate
from license.licenses.service import licenses, visible_license
from license.mediation.commands import (
    AcceptMediation,
    AnswerMediation,
    CloseAsSettled,
    ExtendMediation,
    HoldSession,
    ListMediationCases,
    RecordProceeding,
    RecordSettlement,
    RefuseMediation,
    RequestMediation,
    SignSettlement,
    TerminateMediation,
    WithdrawMediation,
)
from license.mediation.repository import MediationCaseRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.domain.calendar import WorkingDayCalendar
from shared.errors import NotFound
from shared.events.schemas import (
    MediationAccepted,
    MediationExtended,
    MediationRefused,
    MediationRequested,
    MediationSettled,
    MediationTerminated,
    OrgRef,
)

_READS_ALL = frozenset({OrgType.OPERATOR, OrgType.REGULATOR})


def cases(uow: UnitOfWork) -> MediationCaseRepository:
    return MediationCaseRepository(uow.session, uow.clock)


def case_viewer(principal: Principal) -> CaseViewer:
    return CaseViewer(
        org_id=principal.org_id,
        uscc=principal.uscc,
        is_mediator=principal.org_type is OrgType.MEDIATOR,
        reads_all=principal.org_type in _READS_ALL,
    )


async def visible_case(
    repo: MediationCaseRepository, principal: Principal, case_id: str, *, for_update: bool = False
) -> MediationCase:
    """The case, if ``principal`` may know it exists; 404 otherwise."""
    case = await repo.get(case_id, for_update=for_update)
    if case is None or not case.may_be_seen_by(case_viewer(principal)):
        raise NotFound(f"mediation case {case_id} does not exist")
    return case


def license_term(licence: PatentLicense) -> LicenseTerm:
    """When the licence was in force: from its effect to its end, the day it ended
    (terminated, rescinded or expired) or else its term's end. The end day counts: a
    dispute over the ending itself arises on it."""
    return LicenseTerm(licence.effective_date, licence.ended_on or licence.term_end)


async def request_mediation(
    uow: UnitOfWork,
    principal: Principal,
    command: RequestMediation,
    calendar: WorkingDayCalendar,
) -> MediationCase:
    """A party to the licence asks the named mediation organisation to mediate; the
    acceptance deadline is counted in ``calendar``, or waits for the year it lacks."""
    licence = await visible_license(licenses(uow), principal, command.license_id)
    if licence.is_licensee(principal.org_id, principal.uscc):
        side = Side.LICENSEE
    elif licence.is_licensor(principal.uscc):
        side = Side.LICENSOR
    else:
        raise NotPartyToMediation(
            f"only the licensee or a licensor of licence {licence.id} asks for mediation of "
            "a dispute over it"
        )
    case = MediationCase.request(
        case_id=str(uuid.uuid4()),
        license_id=licence.id,
        application_number=licence.application_number,
        patent_number=licence.patent_number,
        licensee=CaseParty(licence.licensee.name, licence.licensee.uscc, licence.licensee.org_id),
        licensors=tuple(CaseParty(p.name, p.uscc) for p in licence.licensors),
        requester_side=side,
        requester=CaseParty(principal.org_name, principal.uscc, principal.org_id),
        mediator=Mediator(command.mediator_org_id, command.mediator_name),
        claims=command.claims,
        dispute_arose_on=command.dispute_arose_on,
        known_proceedings=command.known_proceedings,
        term=license_term(licence),
        today=uow.clock.today(),
        calendar=calendar,
    )
    await cases(uow).add(case)
    uow.emit(
        MediationRequested(
            **about_case(case),
            patent_number=case.patent_number,
            requester=_org(case.requester),
            requester_side=case.requester_side.value,
            dispute_arose_on=case.dispute_arose_on,
            requested_on=case.requested_on,
            acceptance_deadline=case.acceptance_deadline,
            acceptance_deadline_pending=case.acceptance_deadline_pending,
        )
    )
    return case


async def answer(uow: UnitOfWork, principal: Principal, command: AnswerMediation) -> MediationCase:
    """The other party agrees to mediation, or declines it (the case is then refused)."""
    repo = cases(uow)
    case = await visible_case(repo, principal, command.case_id, for_update=True)
    case.answer(_side(case, principal), command.agrees, uow.clock.today())
    await repo.save(case)
    return case


async def record_proceeding(
    uow: UnitOfWork, principal: Principal, command: RecordProceeding
) -> MediationCase:
    repo = cases(uow)
    case = await visible_case(repo, principal, command.case_id, for_update=True)
    case.record_proceeding(_side(case, principal), command.kind, command.note, uow.clock.today())
    await repo.save(case)
    return case


async def refuse(uow: UnitOfWork, principal: Principal, command: RefuseMediation) -> MediationCase:
    repo = cases(uow)
    case = await _mediators_case(repo, principal, command.case_id)
    today = uow.clock.today()
    case.refuse(command.reason, today)
    await repo.save(case)
    uow.emit(MediationRefused(**about_case(case), reason=command.reason.value, refused_on=today))
    return case


async def accept(
    uow: UnitOfWork,
    principal: Principal,
    command: AcceptMediation,
    calendar: WorkingDayCalendar,
) -> MediationCase:
    repo = cases(uow)
    case = await _mediators_case(repo, principal, command.case_id)
    case.accept(uow.clock.today(), calendar)
    await repo.save(case)
    assert case.accepted_on is not None
    assert case.closing_deadline is not None
    uow.emit(
        MediationAccepted(
            **about_case(case),
            accepted_on=case.accepted_on,
            closing_deadline=case.closing_deadline,
            closing_deadline_provisional=case.closing_deadline_provisional,
        )
    )
    return case


async def hold_session(
    uow: UnitOfWork, principal: Principal, command: HoldSession
) -> MediationCase:
    repo = cases(uow)
    case = await _mediators_case(repo, principal, command.case_id)
    case.hold_session(command.held_on, command.summary, uow.clock.today())
    await repo.save(case)
    return case


async def extend(
    uow: UnitOfWork,
    principal: Principal,
    command: ExtendMediation,
    calendar: WorkingDayCalendar,
) -> MediationCase:
    repo = cases(uow)
    case = await _mediators_case(repo, principal, command.case_id)
    case.extend(command.days, command.reason, uow.clock.today(), calendar)
    await repo.save(case)
    assert case.closing_deadline is not None
    uow.emit(
        MediationExtended(
            **about_case(case),
            days=command.days,
            closing_deadline=case.closing_deadline,
            closing_deadline_provisional=case.closing_deadline_provisional,
        )
    )
    return case


async def record_settlement(
    uow: UnitOfWork, principal: Principal, command: RecordSettlement
) -> MediationCase:
    """The mediator records the agreed terms; the parties then sign them."""
    repo = cases(uow)
    case = await _mediators_case(repo, principal, command.case_id)
    licence = await licenses(uow).get_license(case.license_id)
    assert licence is not None  # a case refers to a licence that exists
    if not licence.terms.has_running_royalty:
        raise SettlementNotRunningRoyalty(
            f"licence {licence.id} is on {licence.terms.payment_mode.value} terms without a "
            "running royalty; a settlement's new royalty rate has nothing to apply to"
        )
    case.propose_settlement(
        command.royalty_rate,
        command.effective_from,
        command.other_terms,
        license_term(licence),
        uow.clock.today(),
    )
    await repo.save(case)
    return case


async def sign_settlement(
    uow: UnitOfWork, principal: Principal, command: SignSettlement
) -> MediationCase:
    repo = cases(uow)
    case = await visible_case(repo, principal, command.case_id, for_update=True)
    signer = Signature(principal.org_id, principal.org_name, uow.clock.now())
    case.sign_settlement(_side(case, principal), signer)
    await repo.save(case)
    return case


async def close_as_settled(
    uow: UnitOfWork, principal: Principal, command: CloseAsSettled
) -> MediationCase:
    """Close on the settlement both parties signed: its new royalty rate applies to the
    licence's royalty periods from ``effective_from`` that are not yet reported."""
    repo = cases(uow)
    case = await _mediators_case(repo, principal, command.case_id)
    today = uow.clock.today()
    settlement = case.close_as_settled(today)
    await repo.save(case)
    uow.emit(
        MediationSettled(
            **about_case(case),
            settled_on=today,
            royalty_rate=settlement.royalty_rate,
            effective_from=settlement.effective_from,
        )
    )
    await amend_royalty_rate(
        uow,
        case.license_id,
        RoyaltyRateAmendment(
            royalty_rate=settlement.royalty_rate,
            effective_from=settlement.effective_from,
            mediation_case_id=case.id,
            agreed_on=today,
        ),
    )
    return case


async def terminate(
    uow: UnitOfWork, principal: Principal, command: TerminateMediation
) -> MediationCase:
    repo = cases(uow)
    case = await _mediators_case(repo, principal, command.case_id)
    today = uow.clock.today()
    case.terminate(command.reason, command.note, today)
    await repo.save(case)
    uow.emit(
        MediationTerminated(**about_case(case), reason=command.reason.value, terminated_on=today)
    )
    return case


async def withdraw(
    uow: UnitOfWork, principal: Principal, command: WithdrawMediation
) -> MediationCase:
    repo = cases(uow)
    case = await visible_case(repo, principal, command.case_id, for_update=True)
    today = uow.clock.today()
    case.withdraw(case.side_of(principal.org_id, principal.uscc), today)
    await repo.save(case)
    assert case.termination_reason is not None
    uow.emit(
        MediationTerminated(
            **about_case(case), reason=case.termination_reason.value, terminated_on=today
        )
    )
    return case


async def get_case(uow: UnitOfWork, principal: Principal, case_id: str) -> MediationCase:
    return await visible_case(cases(uow), principal, case_id)


async def list_cases(
    uow: UnitOfWork, principal: Principal, query: ListMediationCases
) -> list[MediationCase]:
    return await cases(uow).list_cases(
        limit=query.limit,
        after=query.after,
        viewer=case_viewer(principal),
        license_id=query.license_id,
        status=query.status,
    )


async def _mediators_case(
    repo: MediationCaseRepository, principal: Principal, case_id: str
) -> MediationCase:
    case = await visible_case(repo, principal, case_id, for_update=True)
    if not case.is_mediator(case_viewer(principal)):
        raise NotMediator(
            f"only {case.mediator.name}, the mediation organisation named in the request, "
            "acts on this case"
        )
    return case


def _side(case: MediationCase, principal: Principal) -> Side:
    side = case.side_of(principal.org_id, principal.uscc)
    if side is None:
        raise NotPartyToMediation(
            f"only the licensee or a licensor of licence {case.license_id} may do this"
        )
    return side


def about_case(case: MediationCase) -> dict[str, object]:
    """What every mediation event says of its case."""
    return {
        "mediation_case_id": case.id,
        "license_id": case.license_id,
        "application_number": case.application_number,
        "mediator": OrgRef(org_id=case.mediator.org_id, name=case.mediator.name),
    }


def _org(party: CaseParty) -> OrgRef:
    return OrgRef(org_id=party.org_id, name=party.name, uscc=party.uscc)
