"""The patent office recordal and legal-status service's routes (the contract is in
docs/registry.md).

Licence filings (专利实施许可合同备案) and transfer registrations (专利权转让登记) are
received with a receipt and decided after ``decision_working_days`` working days on the
office's clock: filed or recorded, unless a test told the office to refuse the patent's
recordals. A submission missing what the office needs is refused at once (422 with the
reasons); the same ``Idempotency-Key`` gets the same receipt; the same filing under
another key is a duplicate (409 with the first reference). The legal-status feed serves
the entries the tests post to ``/_control/legal-status``, repeating each now and then, as
a real feed may. All state lives in memory.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, FastAPI, Header, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from simulators.base import Office, SimulatorSettings


class PatentOfficeSettings(SimulatorSettings):
    # Working days between a receipt and the office's decision (0: decided the same day).
    decision_working_days: int = Field(default=3, ge=0)
    # A share (0..1) of feed answers that repeat their first entry.
    feed_repeat_rate: float = Field(default=0.2, ge=0, le=1)


class Party(BaseModel):
    name: str = Field(min_length=1)
    uscc: str | None = None
    share: str | None = None


class LicenseFiling(BaseModel):
    application_number: str = Field(min_length=1)
    patent_number: str = Field(min_length=1)
    licensors: list[Party]
    licensee: Party
    kind: str
    effective_date: date
    term_end: date
    contract_value: str | None = None


class TransferRegistration(BaseModel):
    application_number: str = Field(min_length=1)
    patent_number: str = Field(min_length=1)
    transferors: list[Party]
    transferees: list[Party]
    signed_on: date
    contract_value: str


class LegalStatusEntryIn(BaseModel):
    application_number: str
    event: str
    effective_on: date
    announced_on: date


@dataclass
class Submission:
    reference: str
    identity: tuple[Any, ...]
    received_on: date
    number: str | None = None
    reasons: list[str] = field(default_factory=list)


@dataclass
class Desk:
    """One kind of submission: receipts by key, first submissions by what they file."""

    prefix: str
    by_key: dict[str, Submission] = field(default_factory=dict)
    by_identity: dict[tuple[Any, ...], Submission] = field(default_factory=dict)
    by_reference: dict[str, Submission] = field(default_factory=dict)


USCC_LENGTH = 18


def _party_reasons(role: str, parties: list[Party]) -> list[str]:
    reasons = [] if parties else [f"{role}缺失"]
    for party in parties:
        if not party.uscc or len(party.uscc) != USCC_LENGTH:
            reasons.append(f"{role}“{party.name}”的统一社会信用代码缺失或格式不符")
    return reasons


def create_app(settings: PatentOfficeSettings | None = None) -> FastAPI:
    settings = settings or PatentOfficeSettings()
    office = Office(settings)
    state = _State(settings)
    router = APIRouter()

    def receive(
        desk: Desk, key: str, identity: tuple[Any, ...], reasons: list[str]
    ) -> JSONResponse:
        if key in desk.by_key:
            return JSONResponse({"reference": desk.by_key[key].reference}, status_code=202)
        if reasons:
            return JSONResponse({"reasons": reasons}, status_code=422)
        first = desk.by_identity.get(identity)
        if first is not None:
            return JSONResponse(
                {"reasons": ["重复提交"], "reference": first.reference}, status_code=409
            )
        reference = f"{desk.prefix}{next(state.counter):010d}"
        submission = Submission(reference, identity, office.clock.today())
        desk.by_key[key] = desk.by_identity[identity] = desk.by_reference[reference] = submission
        return JSONResponse({"reference": reference}, status_code=202)

    def decision(submission: Submission, number_prefix: str) -> tuple[str, date | None]:
        """Where the submission stands on the office's clock today."""
        due = office.calendar.add_working_days(submission.received_on, state.decision_days)
        if office.clock.today() < due:
            return "processing", None
        if submission.reasons:
            return "refused", due
        application_number = submission.identity[0]
        if submission.number is None and application_number in state.refusing:
            submission.reasons = state.refusing[application_number]
            return "refused", due
        if submission.number is None:
            submission.number = f"{due.year}{number_prefix}{next(state.counter):07d}"
        return "decided", due

    @router.post("/v1/license-filings")
    async def submit_license_filing(
        body: LicenseFiling, key: Annotated[str, Header(alias="Idempotency-Key", min_length=1)]
    ) -> JSONResponse:
        reasons = _party_reasons("许可人", body.licensors) + _party_reasons(
            "被许可人", [body.licensee]
        )
        if body.term_end <= body.effective_date:
            reasons.append("合同期限届满日早于生效日")
        if body.kind not in ("ordinary", "sole", "exclusive"):
            reasons.append("许可类型不明")
        identity = (body.application_number, body.licensee.uscc, body.kind, body.effective_date)
        return receive(state.filings, key, identity, reasons)

    @router.get("/v1/license-filings/{reference}")
    async def license_filing(reference: str) -> JSONResponse:
        submission = state.filings.by_reference.get(reference)
        if submission is None:
            return JSONResponse({"reasons": ["无此受理号"]}, status_code=404)
        status, on = decision(submission, "99")
        if status == "decided":
            return JSONResponse(
                {"status": "filed", "filing_number": submission.number, "filed_on": str(on)}
            )
        return JSONResponse({"status": status, "reasons": submission.reasons})

    @router.post("/v1/transfer-registrations")
    async def submit_transfer_registration(
        body: TransferRegistration,
        key: Annotated[str, Header(alias="Idempotency-Key", min_length=1)],
    ) -> JSONResponse:
        reasons = _party_reasons("转让人", body.transferors) + _party_reasons(
            "受让人", body.transferees
        )
        transferees = tuple(sorted(p.uscc or "" for p in body.transferees))
        identity = (body.application_number, transferees, body.signed_on)
        return receive(state.transfers, key, identity, reasons)

    @router.get("/v1/transfer-registrations/{reference}")
    async def transfer_registration(reference: str) -> JSONResponse:
        submission = state.transfers.by_reference.get(reference)
        if submission is None:
            return JSONResponse({"reasons": ["无此受理号"]}, status_code=404)
        status, on = decision(submission, "ZR")
        if status == "decided" and on is not None:
            announced = office.calendar.add_working_days(on, 1)
            return JSONResponse(
                {
                    "status": "recorded",
                    "recordal_number": submission.number,
                    "recorded_on": str(on),
                    "announced_on": str(announced),
                }
            )
        return JSONResponse({"status": status, "reasons": submission.reasons})

    @router.get("/v1/legal-status")
    async def legal_status(
        after: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=500)] = 100
    ) -> JSONResponse:
        entries = [e for e in state.feed if e["sequence"] > after][:limit]
        if entries and office.faults.random.random() < settings.feed_repeat_rate:
            entries.append(entries[0])  # a real feed may repeat what it already sent
        return JSONResponse({"entries": entries})

    control = APIRouter(include_in_schema=False)

    @control.post("/_control/legal-status")
    async def add_legal_status(
        entries: Annotated[list[LegalStatusEntryIn], Body(embed=True)],
    ) -> dict[str, Any]:
        for entry in entries:
            state.feed.append({"sequence": len(state.feed) + 1, **entry.model_dump(mode="json")})
        return {"last_sequence": len(state.feed)}

    @control.post("/_control/decisions")
    async def set_decisions(
        working_days: Annotated[int | None, Body(embed=True, ge=0)] = None,
        refuse: Annotated[dict[str, list[str]] | None, Body(embed=True)] = None,
    ) -> dict[str, Any]:
        """How many working days decisions take; which patents' recordals the office
        refuses, with its reasons (an empty list of reasons takes a patent off)."""
        if working_days is not None:
            state.decision_days = working_days
        for number, reasons in (refuse or {}).items():
            if reasons:
                state.refusing[number] = reasons
            else:
                state.refusing.pop(number, None)
        return {"working_days": state.decision_days, "refusing": state.refusing}

    @control.get("/_control/submissions")
    async def submissions(application_number: str | None = None) -> dict[str, int]:
        """How many submissions each desk holds (of one patent, when named): the tests
        count double submissions."""

        def count(desk: Desk) -> int:
            return sum(
                application_number in (None, s.identity[0]) for s in desk.by_reference.values()
            )

        return {
            "license_filings": count(state.filings),
            "transfer_registrations": count(state.transfers),
        }

    return office.app("patent office recordal and legal status (simulator)", [control, router])


class _State:
    def __init__(self, settings: PatentOfficeSettings) -> None:
        self.counter = itertools.count(1)
        self.decision_days = settings.decision_working_days
        self.refusing: dict[str, list[str]] = {}
        self.filings = Desk("BA")
        self.transfers = Desk("ZY")
        self.feed: list[dict[str, Any]] = []
