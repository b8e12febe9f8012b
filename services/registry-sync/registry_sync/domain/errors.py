"""Why registry-sync refuses something."""

from __future__ import annotations

from shared.errors import Conflict, Forbidden, InvalidRequest, NotFound


class NoTaxEvidence(Conflict):
    slug = "tax-evidence-unavailable"
    title = "This registration has no tax evidence"


class RegistrationNotFound(NotFound):
    """Also what a caller who may not see a registration is told: word for word the same."""

    slug = "tech-contract-registration-not-found"
    title = "No such technology-contract registration"


class NotTheSeller(Forbidden):
    slug = "not-the-seller"
    title = "Only the seller registers the contract and changes its details"


class InvalidTransition(Conflict):
    slug = "registration-invalid-transition"
    title = "Not possible in the registration's current state"


class StaleVersion(Conflict):
    slug = "registration-version-stale"
    title = "The registration changed since it was read"


class TechnologyValueAboveContractValue(InvalidRequest):
    slug = "technology-value-above-contract-value"
    title = "The technology transaction value exceeds the contract value"


class PartyOutOfRange(InvalidRequest):
    slug = "registration-party-unknown"
    title = "No party at that position"


class UnknownLicense(Exception):
    """An event about a licence or patent this service never saw: it is dead-lettered
    with this reason rather than guessed at."""
