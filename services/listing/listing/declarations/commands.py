"""What the declarations' use cases are asked to do (plain data: no HTTP)."""

from __future__ import annotations

from dataclasses import dataclass

from listing.domain.terms import LicenseTerms


@dataclass(frozen=True)
class CreateDeclaration:
    application_number: str
    terms: LicenseTerms
    description: str | None = None
    contact: str | None = None
    co_owner_consents: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # ids of uploaded documents


@dataclass(frozen=True)
class SubmitDeclaration:
    declaration_id: str


@dataclass(frozen=True)
class ChangeTerms:
    declaration_id: str
    terms: LicenseTerms


@dataclass(frozen=True)
class RequestWithdrawal:
    declaration_id: str
    reason: str | None = None


@dataclass(frozen=True)
class AnnounceWithdrawal:
    declaration_id: str
