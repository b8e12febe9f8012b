"""Why registry-sync refuses something."""

from __future__ import annotations

from shared.errors import Conflict, Forbidden


class NotAParty(Forbidden):
    slug = "not-party-to-contract"
    title = "Only the contract's parties, the operator or a regulator may see it"


class NoTaxEvidence(Conflict):
    slug = "tax-evidence-unavailable"
    title = "This registration has no tax evidence"
