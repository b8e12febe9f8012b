"""The contract with the technology-contract registration office.

The office cannot be reached from here; a later issue builds the HTTP adapter that
implements :class:`TechContractRegistryOffice` and a local server that behaves like the
office (delays, refusals, duplicates) for its tests. This module fixes what the service
may expect of any implementation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from registry_sync.domain.registration import TechContractRegistration


@dataclass(frozen=True)
class SubmissionReceipt:
    """The office's acknowledgement of a submission (受理回执)."""

    office_reference: str
    submitted_on: date


class OfficeStatus(StrEnum):
    PROCESSING = "processing"
    REGISTERED = "registered"
    REFUSED = "refused"


class OfficeError(Exception):
    """Base of what the office answers instead of a receipt."""


class Refused(OfficeError):
    """The office refused the registration; the reason is the office's text."""


class Duplicate(OfficeError):
    """The office already holds this contract; ``office_reference`` identifies it."""

    def __init__(self, office_reference: str) -> None:
        super().__init__(f"already registered as {office_reference}")
        self.office_reference = office_reference


class Unavailable(OfficeError):
    """The office could not be reached or answered late; retry later."""


class TechContractRegistryOffice(Protocol):
    async def submit(self, registration: TechContractRegistration) -> SubmissionReceipt:
        """Submit; idempotent on ``registration.id`` (a retry returns the same receipt)."""
        ...

    async def status(self, receipt: SubmissionReceipt) -> OfficeStatus:
        """Where the submission stands at the office."""
        ...
