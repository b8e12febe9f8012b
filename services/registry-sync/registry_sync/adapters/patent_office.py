"""The patent office over HTTP (the contract assumed in docs/registry.md).

Every call has a bounded timeout; transport errors and 5xx are retried a few times with
exponential backoff and jitter, then reported as :class:`OfficeUnavailable`, as is an
answer that is not the contract's JSON. A submission carries the recordal's id as its
``Idempotency-Key``, so a retry after a lost answer is the same submission at the office.
A circuit breaker stops calling an office that keeps failing; a refusal or a duplicate
is an answer and counts as a success.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from registry_sync.adapters.credentials import OfficeCredentials
from registry_sync.domain.patent_office import (
    DuplicateSubmission,
    LegalStatusEntry,
    LegalStatusEvent,
    LicenseFilingRequest,
    OfficeDecision,
    OfficeOutcome,
    OfficeParty,
    OfficeUnavailable,
    SubmissionRefused,
    TransferRegistrationRequest,
)
from shared.circuit import CircuitBreaker, CircuitOpen, CircuitPolicy
from shared.clock import Clock, SystemClock


@dataclass(frozen=True)
class HttpPolicy:
    timeout_s: float = 10.0
    attempts: int = 3
    backoff_s: float = 0.5


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


_AnswerT = TypeVar("_AnswerT", bound=_Answer)


class _Receipt(_Answer):
    reference: str = Field(min_length=1, max_length=64)


class _Refusal(_Answer):
    reasons: list[str] = Field(min_length=1)


class _Duplicate(_Answer):
    reference: str = Field(min_length=1, max_length=64)


class _FilingStatus(_Answer):
    status: Literal["processing", "filed", "refused"]
    filing_number: str | None = Field(default=None, max_length=40)
    filed_on: date | None = None
    reasons: list[str] = []


class _TransferStatus(_Answer):
    status: Literal["processing", "recorded", "refused"]
    recordal_number: str | None = Field(default=None, max_length=64)
    recorded_on: date | None = None
    announced_on: date | None = None
    reasons: list[str] = []


class _FeedEntry(_Answer):
    sequence: int = Field(ge=1)
    application_number: str = Field(min_length=1, max_length=20)
    event: LegalStatusEvent
    effective_on: date
    announced_on: date


class _Feed(_Answer):
    entries: list[_FeedEntry]


class HttpPatentOffice:
    """:class:`registry_sync.domain.patent_office.PatentOffice` over ``httpx``."""

    def __init__(
        self,
        base_url: str,
        *,
        policy: HttpPolicy | None = None,
        circuit: CircuitPolicy | None = None,
        clock: Clock | None = None,
        credentials: OfficeCredentials | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.policy = policy or HttpPolicy()
        self.clock = clock or SystemClock()
        self.circuit = CircuitBreaker(
            "patent-office",
            circuit or CircuitPolicy(cooldown=timedelta(seconds=30), disable_after=None),
        )
        self._client = httpx.AsyncClient(
            base_url=base_url,
            timeout=self.policy.timeout_s,
            transport=transport,
            **(credentials or OfficeCredentials()).client_options(),
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    # -- recordals -------------------------------------------------------------------------

    async def submit_license_filing(self, key: str, request: LicenseFilingRequest) -> str:
        body = {
            "application_number": request.application_number,
            "patent_number": request.patent_number,
            "licensors": [_party(p) for p in request.licensors],
            "licensee": _party(request.licensee),
            "kind": request.kind,
            "effective_date": request.effective_date.isoformat(),
            "term_end": request.term_end.isoformat(),
            "contract_value": _money(request.contract_value),
        }
        return await self._submit("/v1/license-filings", key, body)

    async def license_filing(self, reference: str) -> OfficeOutcome:
        answer = self._parse(
            _FilingStatus, await self._call("GET", f"/v1/license-filings/{reference}")
        )
        decision = OfficeDecision(answer.status)
        if decision is OfficeDecision.FILED and (
            answer.filing_number is None or not answer.filed_on
        ):
            raise OfficeUnavailable("the office answered filed without a filing number or date")
        return OfficeOutcome(
            decision,
            answer.filing_number,
            answer.filed_on,
            None,
            _reasons(decision, answer.reasons),
        )

    async def submit_transfer_registration(
        self, key: str, request: TransferRegistrationRequest
    ) -> str:
        body = {
            "application_number": request.application_number,
            "patent_number": request.patent_number,
            "transferors": [_party(p) for p in request.transferors],
            "transferees": [_party(p) for p in request.transferees],
            "signed_on": request.signed_on.isoformat(),
            "contract_value": _money(request.contract_value),
        }
        return await self._submit("/v1/transfer-registrations", key, body)

    async def transfer_registration(self, reference: str) -> OfficeOutcome:
        path = f"/v1/transfer-registrations/{reference}"
        answer = self._parse(_TransferStatus, await self._call("GET", path))
        decision = OfficeDecision(answer.status)
        if decision is OfficeDecision.RECORDED and (
            answer.recordal_number is None or answer.recorded_on is None
        ):
            raise OfficeUnavailable("the office answered recorded without a number or date")
        return OfficeOutcome(
            decision,
            answer.recordal_number,
            answer.recorded_on,
            answer.announced_on,
            _reasons(decision, answer.reasons),
        )

    # -- legal status ----------------------------------------------------------------------

    async def legal_status(self, after: int, limit: int) -> list[LegalStatusEntry]:
        response = await self._call(
            "GET", "/v1/legal-status", params={"after": after, "limit": limit}
        )
        feed = self._parse(_Feed, response)
        return [
            LegalStatusEntry(
                e.sequence, e.application_number, e.event, e.effective_on, e.announced_on
            )
            for e in feed.entries
        ]

    # -- the wire --------------------------------------------------------------------------

    async def _submit(self, path: str, key: str, body: dict[str, Any]) -> str:
        response = await self._call("POST", path, json=body, headers={"Idempotency-Key": key})
        if response.status_code == 409:
            raise DuplicateSubmission(self._parse(_Duplicate, response).reference)
        if response.status_code == 422:
            raise SubmissionRefused(tuple(self._parse(_Refusal, response).reasons))
        if response.status_code not in (200, 201, 202):
            raise OfficeUnavailable(f"the office answered {response.status_code}")
        return self._parse(_Receipt, response).reference

    async def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request, retried on transport errors and 5xx; an answer below 500 is
        returned as it is."""
        try:
            self.circuit.check(self._now())
        except CircuitOpen as exc:
            raise OfficeUnavailable(str(exc)) from exc
        error = "no attempt made"
        for attempt in range(1, self.policy.attempts + 1):
            try:
                response = await self._client.request(method, path, **kwargs)
            except httpx.TimeoutException:
                error = f"the office did not answer within {self.policy.timeout_s:g}s"
            except httpx.TransportError as exc:
                error = f"the office could not be reached: {type(exc).__name__}"
            else:
                if response.status_code < 500:
                    return response
                error = f"the office answered {response.status_code}"
            if attempt < self.policy.attempts:
                delay = self.policy.backoff_s * 2 ** (attempt - 1)
                await asyncio.sleep(delay * (1 + random.random() / 4))
        self.circuit.failed(self._now())
        raise OfficeUnavailable(error)

    def _parse(self, model: type[_AnswerT], response: httpx.Response) -> _AnswerT:
        """The answer as the contract describes it. Anything else is garbage: the office
        is unavailable for this call, and it counts against its circuit."""
        try:
            answer = model.model_validate_json(response.content)
        except ValidationError as exc:
            self.circuit.failed(self._now())
            kind = response.headers.get("content-type", "no content type")
            raise OfficeUnavailable(
                f"the office answered {response.status_code} with what is not the contract's "
                f"JSON ({kind}): {exc.error_count()} error(s)"
            ) from exc
        self.circuit.succeeded()
        return answer

    def _now(self) -> datetime:
        return self.clock.now().astimezone(UTC)


def _party(party: OfficeParty) -> dict[str, Any]:
    values: dict[str, Any] = {"name": party.name, "uscc": party.uscc}
    if party.share is not None:
        values["share"] = str(party.share)
    return values


def _money(value: Any) -> str | None:
    return None if value is None else str(value)


def _reasons(decision: OfficeDecision, reasons: list[str]) -> tuple[str, ...]:
    if decision is OfficeDecision.REFUSED and not reasons:
        raise OfficeUnavailable("the office answered refused without a reason")
    return tuple(reasons)
