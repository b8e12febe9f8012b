"""What the declaration view is asked to learn, from listing's events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from license.domain.declaration import DeclarationStatus, Publication


@dataclass(frozen=True)
class RecordPublication:
    """A declaration announced, or a newer version of its terms published."""

    declaration_id: str
    application_number: str
    publication: Publication


@dataclass(frozen=True)
class RecordWithdrawal:
    declaration_id: str
    application_number: str
    effective_at: datetime


@dataclass(frozen=True)
class RecordEnd:
    """The declaration lapsed or expired."""

    declaration_id: str
    application_number: str
    status: DeclarationStatus
    effective_at: datetime


@dataclass(frozen=True)
class RecordSuspension:
    """The declaration was suspended (``suspended``) or reinstated."""

    declaration_id: str
    application_number: str
    suspended: bool
    effective_at: datetime


DeclarationChange = RecordWithdrawal | RecordEnd | RecordSuspension
