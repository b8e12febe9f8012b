"""The technology-contract registration office over HTTP (the contract: docs/registry.md).

Every answer becomes one of ``domain/office.py``'s values; nothing the office does raises
out of here, so a worker never dies of a bad answer. Transport errors and 5xx are retried
inside one call with jittered exponential backoff; a call that still fails counts against
the circuit breaker, and while the circuit is open no request goes out at all.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from registry_sync.config import RegistrySyncSettings
from registry_sync.domain.office import (
    Duplicate,
    OfficeState,
    OfficeStatus,
    Refused,
    StatusOutcome,
    SubmissionOutcome,
    SubmissionReceipt,
    Unavailable,
    is_registration_number,
)
from registry_sync.domain.registration import OfficeReason, TechContractRegistration
from shared.circuit import CircuitBreaker, CircuitOpen, CircuitPolicy

log = logging.getLogger(__name__)


class _Garbage(Exception):
    """The office answered something that is not the contract's JSON."""


class _BadValue(Exception):
    """The office answered the contract's JSON with a value it may not hold (a
    registration number that is not 16 digits): one contract's trouble, not a sign that
    the office is down, so the circuit does not count it."""


def contract_body(registration: TechContractRegistration) -> dict[str, Any]:
    """The submission as the office's contract spells it."""
    return {
        "category": registration.category.value,
        "parties": [
            {
                "role": p.role.value,
                "name": p.name,
                "uscc": p.uscc,
                "country": p.country,
                "region_code": p.region_code,
            }
            for p in registration.parties
        ],
        "technical_field": registration.technical_field,
        "ip_type": None if registration.ip_type is None else registration.ip_type.value,
        "contract_value": _money(registration.contract_value),
        "technology_value": _money(registration.technology_value),
        "currency": registration.currency,
        "signed_on": _day(registration.signed_on),
        "period": {
            "from": registration.effective_date.isoformat(),
            "until": _day(registration.period_end),
        },
        "patent": {
            "application_number": registration.application_number,
            "patent_number": registration.patent_number,
        },
    }


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


class TechContractOfficeClient:
    """:class:`~registry_sync.domain.office.TechContractRegistryOffice` over HTTP."""

    def __init__(
        self,
        settings: RegistrySyncSettings,
        now: Callable[[], datetime],
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.now = now
        self.http = httpx.AsyncClient(
            base_url=settings.tech_contract_office_url,
            timeout=httpx.Timeout(
                settings.tech_office_read_timeout_s,
                connect=settings.tech_office_connect_timeout_s,
            ),
            transport=transport,
            **settings.tech_contract_office_credentials().client_options(),
        )
        self.circuit = CircuitBreaker(
            "tech-contract-office",
            CircuitPolicy(
                failure_threshold=settings.tech_office_circuit_failures,
                cooldown=timedelta(seconds=settings.tech_office_circuit_cooldown_s),
                disable_after=None,
            ),
        )

    async def close(self) -> None:
        await self.http.aclose()

    async def submit(self, registration: TechContractRegistration) -> SubmissionOutcome:
        try:
            response = await self._call(
                "POST",
                "/v1/contracts",
                json=contract_body(registration),
                headers={"Idempotency-Key": registration.idempotency_key},
            )
            outcome = _read_submission(response)
        except _Failure as failure:
            return failure.unavailable
        except (_Garbage, ValueError, TypeError) as exc:
            return self._garbage(exc)
        # A receipt, a duplicate or a refusal with reasons: the office answered.
        self.circuit.succeeded()
        return outcome

    async def status(self, office_reference: str) -> StatusOutcome:
        outcome: StatusOutcome
        try:
            response = await self._call("GET", f"/v1/contracts/{office_reference}")
            outcome = _read_status(office_reference, response)
        except _Failure as failure:
            return failure.unavailable
        except (_Garbage, ValueError, TypeError, InvalidOperation) as exc:
            return self._garbage(exc)
        except _BadValue as exc:
            outcome = Unavailable("garbage", str(exc))
            log.warning("the registration office answered a bad value", extra={"error": str(exc)})
        self.circuit.succeeded()
        return outcome

    def _garbage(self, exc: Exception) -> Unavailable:
        # A garbled answer says the office is unwell, as a 5xx does.
        self.circuit.failed(self.now())
        log.warning("the registration office answered garbage", extra={"error": str(exc)})
        return Unavailable("garbage", str(exc))

    async def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One call, retried for transport errors and 5xx; raises :class:`_Failure`."""
        try:
            self.circuit.check(self.now())
        except CircuitOpen as exc:
            raise _Failure(Unavailable("circuit_open", str(exc))) from exc
        attempts = self.settings.tech_office_retries + 1
        for attempt in range(1, attempts + 1):
            try:
                response = await self.http.request(method, path, **kwargs)
            except httpx.TimeoutException as exc:
                failure = Unavailable("timeout", f"{type(exc).__name__}: {exc}")
            except httpx.TransportError as exc:
                failure = Unavailable("connection", f"{type(exc).__name__}: {exc}")
            else:
                if response.status_code < 500:
                    return response  # an answer; the caller reads whether it is usable
                failure = Unavailable("server_error", f"the office answered {response.status_code}")
            if attempt < attempts:
                delay = self.settings.tech_office_retry_backoff_s * 2 ** (attempt - 1)
                await asyncio.sleep(delay * random.uniform(0.5, 1.5))
        self.circuit.failed(self.now())
        raise _Failure(failure)


class _Failure(Exception):
    def __init__(self, unavailable: Unavailable) -> None:
        super().__init__(unavailable.detail)
        self.unavailable = unavailable


def _read_submission(response: httpx.Response) -> SubmissionOutcome:
    body = _json(response)
    if response.status_code in (200, 201, 202):
        return SubmissionReceipt(
            office_reference=_text(body, "reference"),
            received_at=datetime.fromisoformat(_text(body, "received_at")),
        )
    if response.status_code == 409 and body.get("code") == "duplicate":
        return Duplicate(office_reference=_text(body, "reference"))
    if response.status_code in (400, 422):
        return Refused(tuple(_reason(r) for r in _list(body, "reasons")))
    raise _Garbage(f"unexpected status {response.status_code}")


def _read_status(office_reference: str, response: httpx.Response) -> OfficeStatus:
    if response.status_code != 200:
        raise _Garbage(f"unexpected status {response.status_code}")
    body = _json(response)
    state = OfficeState(_text(body, "status"))
    if state is OfficeState.REGISTERED:
        number = body.get("registration_number")
        if not is_registration_number(number):
            raise _BadValue(f"registration number {number!r} is not 16 digits")
        return OfficeStatus(
            office_reference,
            state,
            registration_number=str(number),
            registered_on=date.fromisoformat(_text(body, "registered_on")),
            certified_contract_value=_decimal(body.get("certified_contract_value")),
            certified_technology_value=_decimal(body.get("certified_technology_value")),
        )
    if state is OfficeState.REFUSED:
        reason = body.get("reason")
        reasons = (_reason(reason),) if isinstance(reason, dict) else ()
        return OfficeStatus(office_reference, state, reasons=reasons)
    return OfficeStatus(office_reference, state)


def _json(response: httpx.Response) -> dict[str, Any]:
    if not response.headers.get("content-type", "").startswith("application/json"):
        raise _Garbage(f"not JSON: {response.headers.get('content-type')}")
    body = response.json()
    if not isinstance(body, dict):
        raise _Garbage("the body is not a JSON object")
    return body


def _text(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise _Garbage(f"{name} is missing")
    return value


def _list(body: dict[str, Any], name: str) -> list[Any]:
    value = body.get(name)
    if not isinstance(value, list):
        raise _Garbage(f"{name} is not a list")
    return value


def _reason(raw: object) -> OfficeReason:
    if not isinstance(raw, dict):
        raise _Garbage("a reason is not an object")
    return OfficeReason(
        field=str(raw.get("field", "")),
        code=str(raw.get("code", "")),
        message=str(raw.get("message", ""))[:500],
    )


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))
