"""The technology-contract registration office's routes (the contract: docs/registry.md).

State lives in memory: this is a simulator, restarted empty. A contract is decided once
``SIM_TECH_REGISTRATION_WORKING_DAYS`` working days have passed on the simulator's clock
since its receipt; the decision is taken when it is first asked for after that.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Body, FastAPI, Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from pydantic_settings import SettingsConfigDict

from shared.domain.errors import InvalidIdentifier
from shared.domain.region import RegionCode
from shared.domain.uscc import Uscc
from simulators.base import Office, SimulatorSettings

Category = Literal[
    "development",
    "transfer_patent_right",
    "transfer_application_right",
    "transfer_know_how",
    "license",
    "consulting",
    "service",
]


class TechOfficeSettings(SimulatorSettings):
    model_config = SettingsConfigDict(env_prefix="SIM_", extra="ignore")

    tech_registration_working_days: int = Field(default=3, ge=0)


class Party(BaseModel):
    role: Literal["seller", "buyer"]
    name: str = Field(min_length=1, max_length=200)
    uscc: str | None = None
    country: str = Field(pattern=r"^[A-Z]{2}$")
    region_code: str | None = None


class Period(BaseModel):
    from_: date = Field(alias="from")
    until: date | None = None


class PatentRef(BaseModel):
    application_number: str
    patent_number: str | None = None


class ContractSubmission(BaseModel):
    category: Category
    parties: list[Party] = Field(min_length=2)
    technical_field: str = Field(min_length=1, max_length=200)
    ip_type: str
    contract_value: Decimal = Field(ge=0)
    technology_value: Decimal = Field(ge=0)
    currency: str = "CNY"
    signed_on: date
    period: Period
    patent: PatentRef


@dataclass
class Contract:
    reference: str
    key: str
    fingerprint: tuple[object, ...]
    submission: ContractSubmission
    received_at: datetime
    status: str = "processing"
    registration_number: str | None = None
    registered_on: date | None = None
    reason: dict[str, str] | None = None
    regressed: bool = False


@dataclass
class TechOffice:
    """The office's memory, and what the tests told it to do next."""

    contracts: dict[str, Contract] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)
    refuse_next: list[dict[str, str]] = field(default_factory=list)
    malformed_next: int = 0
    numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))


def _refusals(body: ContractSubmission) -> list[dict[str, str]]:
    reasons: list[dict[str, str]] = []

    def refuse(field_: str, code: str, message: str) -> None:
        reasons.append({"field": field_, "code": code, "message": message})

    if body.technology_value > body.contract_value:
        refuse("technology_value", "above_contract_value", "技术交易额不得超过合同成交额")
    roles = {p.role for p in body.parties}
    if roles != {"seller", "buyer"}:
        refuse("parties", "roles", "合同须有卖方和买方")
    for index, party in enumerate(body.parties):
        if party.uscc is not None:
            try:
                Uscc.parse(party.uscc)
            except InvalidIdentifier as exc:
                refuse(f"parties[{index}].uscc", "invalid_uscc", f"统一社会信用代码无效: {exc}")
        if party.country == "CN":
            if party.region_code is None:
                refuse(f"parties[{index}].region_code", "required", "境内当事人须填写行政区划代码")
            else:
                try:
                    RegionCode.parse(party.region_code)
                except InvalidIdentifier:
                    refuse(f"parties[{index}].region_code", "invalid", "行政区划代码无效")
    if body.period.until is not None and body.period.until < body.period.from_:
        refuse("period.until", "before_from", "合同有效期止日早于起日")
    return reasons


def _receipt(contract: Contract) -> dict[str, str]:
    return {"reference": contract.reference, "received_at": contract.received_at.isoformat()}


def create_app(settings: TechOfficeSettings | None = None) -> FastAPI:
    settings = settings or TechOfficeSettings()
    office = Office(settings)
    state = TechOffice()
    router = APIRouter()

    def decide(contract: Contract) -> None:
        if contract.status != "processing" or contract.regressed:
            return
        received = contract.received_at.date()
        due = office.calendar.add_working_days(received, settings.tech_registration_working_days)
        today = office.clock.today()
        if today < due:
            return
        if state.refuse_next:
            contract.status = "refused"
            contract.reason = state.refuse_next.pop(0)
            return
        contract.status = "registered"
        contract.registered_on = today
        seller = next(p for p in contract.submission.parties if p.role == "seller")
        region = seller.region_code or "000000"
        number = f"{today.year}{region}{next(state.numbers):06d}"
        if state.malformed_next:
            state.malformed_next -= 1
            number = number[:-3] + "-X"
        contract.registration_number = number

    @router.post("/v1/contracts", status_code=202)
    async def submit(
        body: Annotated[dict[str, object], Body()],
        idempotency_key: Annotated[str, Header(min_length=1, max_length=100)],
    ) -> JSONResponse:
        known = state.by_key.get(idempotency_key)
        if known is not None:
            return JSONResponse(_receipt(state.contracts[known]), status_code=202)
        try:
            submission = ContractSubmission.model_validate(body)
        except ValidationError as exc:
            reasons = [
                {
                    "field": ".".join(str(p) for p in e["loc"]),
                    "code": e["type"],
                    "message": e["msg"],
                }
                for e in exc.errors()
            ]
            return JSONResponse({"reasons": reasons}, status_code=422)
        reasons = _refusals(submission)
        if reasons:
            return JSONResponse({"reasons": reasons}, status_code=422)
        fingerprint = (
            submission.category,
            tuple(sorted((p.role, p.uscc or p.name) for p in submission.parties)),
            submission.patent.application_number,
            submission.signed_on,
        )
        for other in state.contracts.values():
            if other.fingerprint == fingerprint and other.status != "refused":
                return JSONResponse(
                    {"code": "duplicate", "reference": other.reference}, status_code=409
                )
        now = office.clock.now()
        contract = Contract(
            reference=f"TC{now:%Y%m%d}{len(state.contracts) + 1:06d}",
            key=idempotency_key,
            fingerprint=fingerprint,
            submission=submission,
            received_at=now,
        )
        state.contracts[contract.reference] = contract
        state.by_key[idempotency_key] = contract.reference
        return JSONResponse(_receipt(contract), status_code=202)

    @router.get("/v1/contracts/{reference}")
    async def status(reference: str) -> JSONResponse:
        contract = state.contracts.get(reference)
        if contract is None:
            return JSONResponse({"code": "not_found"}, status_code=404)
        decide(contract)
        body: dict[str, object] = {"reference": reference, "status": contract.status}
        if contract.regressed:
            body["status"] = "processing"
        elif contract.status == "registered":
            body.update(
                registration_number=contract.registration_number,
                registered_on=str(contract.registered_on),
                certified_contract_value=str(contract.submission.contract_value),
                certified_technology_value=str(contract.submission.technology_value),
            )
        elif contract.status == "refused":
            body["reason"] = contract.reason
        return JSONResponse(body)

    @router.post("/_control/refuse-next", include_in_schema=False)
    async def refuse_next(
        field_: Annotated[str, Body(embed=True, alias="field")],
        code: Annotated[str, Body(embed=True)],
        message: Annotated[str, Body(embed=True)],
    ) -> dict[str, int]:
        """The next decision refuses the contract with this reason."""
        state.refuse_next.append({"field": field_, "code": code, "message": message})
        return {"queued": len(state.refuse_next)}

    @router.post("/_control/malformed-next-number", include_in_schema=False)
    async def malformed_next() -> dict[str, int]:
        """The next registration number is not 16 digits."""
        state.malformed_next += 1
        return {"queued": state.malformed_next}

    @router.post("/_control/contracts/{reference}/regress", include_in_schema=False)
    async def regress(reference: str) -> JSONResponse:
        """A decided contract reports ``processing`` again (a status going backwards)."""
        contract = state.contracts.get(reference)
        if contract is None:
            return JSONResponse({"code": "not_found"}, status_code=404)
        contract.regressed = True
        return JSONResponse({"reference": reference, "regressed": True})

    @router.post("/_control/contracts/{reference}/renumber", include_in_schema=False)
    async def renumber(reference: str) -> JSONResponse:
        """The office corrects a registered contract's malformed number."""
        contract = state.contracts.get(reference)
        if contract is None or contract.registration_number is None:
            return JSONResponse({"code": "not_found"}, status_code=404)
        contract.registration_number = "".join(
            c for c in contract.registration_number if c.isdigit()
        ).ljust(16, "0")[:16]
        return JSONResponse({"reference": reference, "number": contract.registration_number})

    @router.get("/_control/contracts", include_in_schema=False)
    async def received(application_number: str | None = None) -> list[dict[str, object]]:
        """Every contract received (one per submission, not per request)."""
        return [
            {"reference": c.reference, "key": c.key, "status": c.status}
            for c in state.contracts.values()
            if application_number in (None, c.submission.patent.application_number)
        ]

    return office.app("technology-contract registration office (simulator)", [router])
