"""Request and response bodies of the mediation endpoints (专利纠纷调解)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from license.api.schemas import InputModel
from license.domain.dispute import (
    CaseParty,
    MediationStatus,
    ProceedingKind,
    RefusalReason,
    Side,
    TerminationReason,
)
from license.domain.mediation import MediationCase
from shared.http.types import RatePercent, VisibleStr


class MediatorRef(BaseModel):
    """The mediation organisation (调解组织), as its platform account names it."""

    org_id: str = Field(min_length=1, max_length=64, description="Its platform org id.")
    name: VisibleStr = Field(max_length=255, examples=["广东省知识产权纠纷人民调解委员会"])


class MediationCaseCreate(InputModel):
    """A request for mediation of a dispute over a licence (调解请求)."""

    license_id: str = Field(min_length=1, max_length=36, description="The licence disputed.")
    mediator: MediatorRef
    claims: VisibleStr = Field(
        max_length=5000,
        description="The requester's claims and their grounds (调解请求及理由); read by the "
        "case's parties and mediator only, never published.",
    )
    dispute_arose_on: date = Field(
        description="When the dispute arose: within the licence's term, not after today."
    )
    other_proceedings: list[ProceedingKind] = Field(
        default_factory=list,
        max_length=3,
        description="Proceedings on the dispute the requester knows of: lawsuit 已起诉或法院已"
        "受理 | arbitration 已申请仲裁 | decision 已作出处理. Any of them makes the case one "
        "to refuse.",
    )


class MediationResponseCreate(InputModel):
    """The other party's answer to the request (是否同意调解)."""

    agrees: bool = Field(description="false: the other party declines; the case is refused.")


class MediationProceedingCreate(InputModel):
    """A lawsuit, an arbitration or a decision on the dispute, recorded by a party."""

    kind: ProceedingKind
    note: VisibleStr | None = Field(
        default=None, max_length=1000, description="Court, case number and the like."
    )


class MediationRefusalCreate(InputModel):
    """The mediation organisation's refusal (不予受理) and its reason code."""

    reason: RefusalReason = Field(
        description="other_party_declined | lawsuit_filed | arbitration_applied | "
        "dispute_decided; the case must hold the fact (the answer, or the proceeding)."
    )


class MediationSessionCreate(InputModel):
    """A mediation session held (调解会议)."""

    held_on: date = Field(description="Between the acceptance and today.")
    summary: VisibleStr = Field(max_length=5000, description="Never published.")


class MediationExtensionCreate(InputModel):
    """An extension of the mediation period (延长调解期限), with its reason."""

    days: int = Field(ge=1, le=30, description="Calendar days added to the period.")
    reason: VisibleStr = Field(max_length=1000, description="Why; kept in the case's history.")


class MediationSettlementCreate(InputModel):
    """The settlement agreement (调解协议) the mediator records for the parties to sign."""

    royalty_rate: RatePercent = Field(description="The new royalty rate, percent of the base.")
    effective_from: date = Field(
        description="Royalty periods starting on or after this day that are not yet "
        "reported use the new rate; within the licence's term."
    )
    other_terms: VisibleStr | None = Field(
        default=None, max_length=5000, description="Other agreed terms, in words."
    )


class MediationTerminationCreate(InputModel):
    """The mediator ends the mediation without a settlement (终止调解)."""

    reason_code: TerminationReason = Field(
        description="no_agreement | party_withdrew | proceedings_started | deadline_passed "
        "(withdrawn is the requester's own withdrawal)."
    )
    note: VisibleStr | None = Field(default=None, max_length=1000)


class MediationPartyOut(BaseModel):
    name: str
    uscc: str | None
    org_id: str | None


class MediationProceedingOut(BaseModel):
    kind: ProceedingKind
    recorded_by: Side
    recorded_on: date
    note: str | None


class MediationSessionOut(BaseModel):
    held_on: date
    summary: str


class MediationExtensionOut(BaseModel):
    days: int
    reason: str
    recorded_on: date
    closing_deadline: date = Field(description="The closing deadline this extension set.")
    provisional: bool = Field(
        default=False,
        description="The working-day calendar lacked its year then: the plain calendar day "
        "(the case's closing_deadline is the one running).",
    )


class MediationSignatureOut(BaseModel):
    side: Side
    org_id: str
    name: str
    signed_at: datetime


class MediationSettlementOut(BaseModel):
    royalty_rate: str = Field(examples=["2.0"])
    effective_from: date
    other_terms: str
    recorded_on: date
    signatures: list[MediationSignatureOut]
    in_effect: bool = Field(description="Both parties signed and the case closed on it.")


class MediationCasePublic(BaseModel):
    """A mediation case as its readers (the mediator, the parties, the operator and the
    regulator) see it."""

    id: str
    license_id: str
    application_number: str
    patent_number: str
    status: MediationStatus
    requester_side: Side
    requester: MediationPartyOut
    licensee: MediationPartyOut
    licensors: list[MediationPartyOut]
    mediator: MediatorRef
    claims: str
    dispute_arose_on: date
    requested_on: date
    acceptance_deadline: date | None = Field(
        description="5 working days after the request (the request day not counted, in the "
        "official working-day calendar). null while that calendar does not cover the year "
        "the count runs into (acceptance_deadline_pending); the request stands meanwhile."
    )
    acceptance_deadline_pending: int | None = Field(
        examples=[2027],
        description="The year the working-day calendar lacks to count the acceptance "
        "deadline (the State Council publishes next year's holidays each November and the "
        "operator adds them); null once the deadline is known.",
    )
    respondent_agrees: bool | None = Field(description="null until the other party answers.")
    answered_on: date | None
    proceedings: list[MediationProceedingOut]
    refusal_reason: RefusalReason | None
    accepted_on: date | None
    closing_deadline: date | None = Field(
        description="Acceptance + 30 days + extensions, rolled to the next working day; "
        "null before acceptance. Provisional (closing_deadline_provisional) while the "
        "working-day calendar does not cover its year: the plain calendar day, which can "
        "only move later, to the next working day."
    )
    closing_deadline_provisional: bool = Field(
        description="true while closing_deadline is the plain acceptance + 30 (+ "
        "extensions) days, not yet counted in the working-day calendar."
    )
    extensions: list[MediationExtensionOut]
    sessions: list[MediationSessionOut]
    settlement: MediationSettlementOut | None
    closed_on: date | None
    termination_reason: TerminationReason | None
    termination_note: str | None
    created_at: datetime | None

    @classmethod
    def of(cls, case: MediationCase) -> MediationCasePublic:
        settlement = None
        if case.settlement is not None:
            s = case.settlement
            settlement = MediationSettlementOut(
                royalty_rate=f"{s.royalty_rate.normalize():f}",
                effective_from=s.effective_from,
                other_terms=s.other_terms,
                recorded_on=s.recorded_on,
                signatures=[
                    MediationSignatureOut(
                        side=side, org_id=sig.org_id, name=sig.name, signed_at=sig.signed_at
                    )
                    for side, sig in s.signatures.items()
                ],
                in_effect=case.status is MediationStatus.SETTLED,
            )
        return cls(
            id=case.id,
            license_id=case.license_id,
            application_number=case.application_number,
            patent_number=case.patent_number,
            status=case.status,
            requester_side=case.requester_side,
            requester=_party(case.requester),
            licensee=_party(case.licensee),
            licensors=[_party(p) for p in case.licensors],
            mediator=MediatorRef(org_id=case.mediator.org_id, name=case.mediator.name),
            claims=case.claims,
            dispute_arose_on=case.dispute_arose_on,
            requested_on=case.requested_on,
            acceptance_deadline=case.acceptance_deadline,
            acceptance_deadline_pending=case.acceptance_deadline_pending,
            respondent_agrees=case.respondent_agrees,
            answered_on=case.answered_on,
            proceedings=[
                MediationProceedingOut(
                    kind=p.kind, recorded_by=p.recorded_by, recorded_on=p.recorded_on, note=p.note
                )
                for p in case.proceedings
            ],
            refusal_reason=case.refusal_reason,
            accepted_on=case.accepted_on,
            closing_deadline=case.closing_deadline,
            closing_deadline_provisional=case.closing_deadline_provisional,
            extensions=[
                MediationExtensionOut(
                    days=e.days,
                    reason=e.reason,
                    recorded_on=e.recorded_on,
                    closing_deadline=e.closing_deadline,
                    provisional=e.provisional,
                )
                for e in case.extensions
            ],
            sessions=[
                MediationSessionOut(held_on=s.held_on, summary=s.summary) for s in case.sessions
            ],
            settlement=settlement,
            closed_on=case.closed_on,
            termination_reason=case.termination_reason,
            termination_note=case.termination_note,
            created_at=case.created_at,
        )


def _party(party: CaseParty) -> MediationPartyOut:
    return MediationPartyOut(name=party.name, uscc=party.uscc, org_id=party.org_id)
