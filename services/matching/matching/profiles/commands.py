"""What the profiles' use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Acting:
    """The organisation asking: its id and the USCC its token carries."""

    org_id: str
    uscc: str | None


@dataclass(frozen=True)
class ProfileInput:
    """A profile's facts as given, not yet checked (domain/profile.py checks them)."""

    name: str
    region_code: str
    industry_codes: tuple[str, ...]
    strategic_codes: tuple[str, ...]
    size: str
    qualifications: tuple[str, ...]
    products: str | None
    technical_needs: str | None


@dataclass(frozen=True)
class ConsentInput:
    push_consent: bool
    industries_opted_in: tuple[str, ...] = ()
    industries_opted_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class SaveOwnProfile:
    """An enterprise creates or replaces its own profile, consent included."""

    acting: Acting
    uscc: str
    profile: ProfileInput
    consent: ConsentInput


@dataclass(frozen=True)
class ChangeConsent:
    """An enterprise gives, changes or withdraws its consent to pushes."""

    acting: Acting
    consent: ConsentInput
