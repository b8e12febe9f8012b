"""The contract with the patent office's recordal and legal-status service (国家知识产权局).

The office cannot be reached from here: docs/registry.md writes down what we assume of it,
``adapters/patent_office.py`` implements :class:`PatentOffice` over HTTP, and
``simulators/patent_office`` behaves like the office for the local run and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Protocol


@dataclass(frozen=True)
class OfficeParty:
    name: str
    uscc: str | None
    share: Decimal | None = None  # a transferee's share in percent


@dataclass(frozen=True)
class LicenseFilingRequest:
    """A licence contract to file (专利实施许可合同备案)."""

    application_number: str
    patent_number: str
    licensors: tuple[OfficeParty, ...]
    licensee: OfficeParty
    kind: str  # ordinary | sole | exclusive
    effective_date: date
    term_end: date
    contract_value: Decimal | None


@dataclass(frozen=True)
class TransferRegistrationRequest:
    """A transfer of the patent right to register (专利权转让登记)."""

    application_number: str
    patent_number: str
    transferors: tuple[OfficeParty, ...]
    transferees: tuple[OfficeParty, ...]
    signed_on: date
    contract_value: Decimal


class OfficeDecision(StrEnum):
    PROCESSING = "processing"
    FILED = "filed"  # a licence filing
    RECORDED = "recorded"  # a transfer registration
    REFUSED = "refused"


@dataclass(frozen=True)
class OfficeOutcome:
    """Where a submission stands: the number and dates once decided, the reasons if
    refused."""

    decision: OfficeDecision
    number: str | None = None
    decided_on: date | None = None
    announced_on: date | None = None
    reasons: tuple[str, ...] = ()


class LegalStatusEvent(StrEnum):
    FEES_UNPAID = "fees_unpaid"
    GRACE_PERIOD_ENDED = "grace_period_ended"
    TERMINATED = "terminated"
    INVALIDATED = "invalidated"
    PARTIALLY_INVALIDATED = "partially_invalidated"
    RESTORED = "restored"


@dataclass(frozen=True)
class LegalStatusEntry:
    """One entry of the office's legal-status feed."""

    sequence: int
    application_number: str
    event: LegalStatusEvent
    effective_on: date
    announced_on: date


class PatentOfficeError(Exception):
    """Base of what the office answers instead of a receipt or a status."""


class SubmissionRefused(PatentOfficeError):
    """The office refused the submission outright; ``reasons`` are its words."""

    def __init__(self, reasons: tuple[str, ...]) -> None:
        super().__init__("; ".join(reasons) or "refused without a reason")
        self.reasons = reasons


class DuplicateSubmission(PatentOfficeError):
    """The office already holds this filing under another key; ``office_reference`` is
    the first submission's receipt."""

    def __init__(self, office_reference: str) -> None:
        super().__init__(f"already submitted as {office_reference}")
        self.office_reference = office_reference


class OfficeUnavailable(PatentOfficeError):
    """The office could not be reached, answered late, failed or answered garbage (the
    reason says which); retry later."""


class PatentOffice(Protocol):
    async def submit_license_filing(self, key: str, request: LicenseFilingRequest) -> str:
        """Submit; returns the office's reference. Idempotent on ``key``."""
        ...

    async def license_filing(self, reference: str) -> OfficeOutcome: ...

    async def submit_transfer_registration(
        self, key: str, request: TransferRegistrationRequest
    ) -> str:
        """Submit; returns the office's reference. Idempotent on ``key``."""
        ...

    async def transfer_registration(self, reference: str) -> OfficeOutcome: ...

    async def legal_status(self, after: int, limit: int) -> list[LegalStatusEntry]:
        """The feed's entries after sequence ``after``, in the office's order (it may
        repeat an entry)."""
        ...
