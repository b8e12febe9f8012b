"""The contract with the technology-contract registration office (docs/registry.md).

The office cannot be reached from here: ``registry_sync.adapters.tech_contract_office``
implements :class:`TechContractRegistryOffice` over HTTP and ``simulators/`` runs a local
office for the tests and the local run. Every answer is a value, never an exception: a
worker records whatever the office said and carries on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from registry_sync.domain.registration import OfficeReason, TechContractRegistration

# Assumed: the office's registration numbers are 16 digits (docs/registry.md).
REGISTRATION_NUMBER = re.compile(r"\d{16}")


@dataclass(frozen=True)
class SubmissionReceipt:
    """The office's acknowledgement of a submission (受理回执)."""

    office_reference: str
    received_at: datetime


@dataclass(frozen=True)
class Duplicate:
    """The office already holds this contract under ``office_reference``: that submission
    is the one to follow, never a second."""

    office_reference: str


@dataclass(frozen=True)
class Refused:
    """The office refused the contract, with its reasons."""

    reasons: tuple[OfficeReason, ...]


@dataclass(frozen=True)
class Unavailable:
    """No usable answer: unreachable, timed out, 5xx, garbage, or the circuit is open.
    ``error`` is the class (``timeout``, ``server_error``, ``garbage``, ``circuit_open``,
    ``connection``); ``detail`` says what happened."""

    error: str
    detail: str


class OfficeState(StrEnum):
    PROCESSING = "processing"
    REGISTERED = "registered"
    REFUSED = "refused"


@dataclass(frozen=True)
class OfficeStatus:
    """Where a submission stands at the office. A ``registered`` status always carries a
    well-formed registration number (the adapter makes anything else ``Unavailable``)."""

    office_reference: str
    state: OfficeState
    registration_number: str | None = None
    registered_on: date | None = None
    certified_contract_value: Decimal | None = None
    certified_technology_value: Decimal | None = None
    reasons: tuple[OfficeReason, ...] = ()


SubmissionOutcome = SubmissionReceipt | Duplicate | Refused | Unavailable
StatusOutcome = OfficeStatus | Unavailable


def is_registration_number(value: object) -> bool:
    return isinstance(value, str) and REGISTRATION_NUMBER.fullmatch(value) is not None


class TechContractRegistryOffice(Protocol):
    async def submit(self, registration: TechContractRegistration) -> SubmissionOutcome:
        """Submit; idempotent on ``registration.idempotency_key`` (a retry returns the
        same receipt)."""
        ...

    async def status(self, office_reference: str) -> StatusOutcome:
        """Where the submission stands at the office."""
        ...
