"""Why pledge refuses something. Each rule has its own problem type."""

from __future__ import annotations

from shared.errors import Conflict, Forbidden, RuleViolation


class PledgeRefused(RuleViolation):
    slug = "pledge-refused"
    title = "Pledge refused"


class PatentUnknown(PledgeRefused):
    slug = "pledge-patent-unknown"
    title = "The patent is not in the catalogue (yet)"


class PledgorNotPatentee(PledgeRefused):
    slug = "pledge-pledgor-not-patentee"
    title = "The pledgor is not the registered patentee"


class PatentNotValid(PledgeRefused):
    slug = "pledge-patent-not-valid"
    title = "The patent is not granted, has lapsed or was invalidated"


class AnnualFeesUnpaid(PledgeRefused):
    slug = "pledge-annual-fees-unpaid"
    title = "Annual fees are unpaid"


class PatentSuspended(PledgeRefused):
    slug = "pledge-patent-suspended"
    title = "A suspension or preservation is active"


class DebtTermPastExpiry(PledgeRefused):
    slug = "pledge-debt-term-past-expiry"
    title = "The secured debt runs past the patent's expiry"


class ForfeitureClause(PledgeRefused):
    slug = "pledge-forfeiture-clause"
    title = "The contract has a forfeiture clause (流质条款)"


class CoOwnerConsentMissing(PledgeRefused):
    slug = "pledge-co-owner-consent-missing"
    title = "Every co-owner must consent"


class AlreadyPledged(Conflict):
    slug = "pledge-already-pledged"
    title = "The patent is already pledged"


class InvalidTransition(Conflict):
    slug = "invalid-state-transition"
    title = "Not possible in the current state"


class NotAParty(Forbidden):
    slug = "not-party-to-pledge"
    title = "Only the pledgor, the pledgee bank or the operator may do this"
