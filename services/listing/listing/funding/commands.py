"""What the funding use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from listing.domain.funding import ImplementationKind


@dataclass(frozen=True)
class RecordImplementation:
    """The owning institution (or the operator) declares the patent implemented, or a
    justified reason (正当理由) for not implementing it, with evidence documents."""

    application_number: str
    kind: ImplementationKind
    occurred_on: date
    description: str
    evidence_document_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordLicenseTaken:
    """A licence of any kind on the patent is in force (license's ``LicenseGranted``)."""

    license_id: str
    application_number: str
    effective_date: date
