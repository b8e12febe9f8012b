"""Why pledge refuses something. Each rule has its own problem type."""

from __future__ import annotations

from shared.errors import Conflict, Forbidden, ProblemError, RuleViolation


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


class CancellationReasonNotAllowed(RuleViolation):
    slug = "pledge-cancellation-reason-not-allowed"
    title = "This cancellation reason does not fit the pledge's state"


class RemainingTermTooShort(PledgeRefused):
    slug = "pledge-remaining-term-too-short"
    title = "The patent's remaining term is under the bank's minimum"


class PatentBeingTransferred(PledgeRefused):
    slug = "pledge-patent-being-transferred"
    title = "The patent's transfer is agreed and awaits its recordal"


class OpenLicenseWithoutConsent(PledgeRefused):
    slug = "pledge-open-license-without-consent"
    title = "An open licence is declared on the patent and the pledgee has not consented"


class DisbursementExceedsSecuredAmount(RuleViolation):
    slug = "pledge-disbursement-exceeds-secured-amount"
    title = "The disbursement exceeds the secured amount"


class AlreadyDisbursed(Conflict):
    slug = "pledge-already-disbursed"
    title = "The loan was already disbursed"


class RepaymentExceedsOutstanding(RuleViolation):
    slug = "pledge-repayment-exceeds-outstanding"
    title = "The repayment exceeds the outstanding principal"


class NothingOutstanding(RuleViolation):
    slug = "pledge-nothing-outstanding"
    title = "No principal is outstanding"


class NotTheBank(Forbidden):
    slug = "not-the-bank"
    title = "Only the bank itself or the operator may do this"


class BrokerUnavailable(ProblemError):
    status = 503
    slug = "broker-unavailable"
    title = "The message broker cannot be reached; retry later"


class ProgrammeSharesInvalid(RuleViolation):
    slug = "risk-programme-shares-invalid"
    title = "Loss-sharing shares must add up to exactly 100"


class ProgrammeNotEligible(RuleViolation):
    slug = "risk-programme-not-eligible"
    title = "The pledge is not eligible for the risk-compensation programme"


class ProgrammeBudgetExhausted(RuleViolation):
    slug = "risk-programme-budget-exhausted"
    title = "The risk-compensation fund has no budget left"


class ChangeEmpty(RuleViolation):
    slug = "pledge-change-empty"
    title = "A change must change something"


class PolicySubjectMismatch(RuleViolation):
    slug = "insurance-policy-subject-mismatch"
    title = "The policy is not bound to what its product insures"


class CoverageAboveProductMaximum(RuleViolation):
    slug = "insurance-coverage-above-product-maximum"
    title = "The coverage exceeds the product's maximum"


class ClaimExceedsCoverage(RuleViolation):
    slug = "insurance-claim-exceeds-coverage"
    title = "The approved amount exceeds the claim or the remaining coverage"


class NotTheInsurer(Forbidden):
    slug = "not-the-insurer"
    title = "Only the product's insurer or the operator may do this"


class PolicySubjectInactive(Conflict):
    slug = "insurance-policy-subject-inactive"
    title = "The pledge is refused or cancelled: nothing left to insure"


class ClaimOutsidePolicyPeriod(RuleViolation):
    slug = "insurance-claim-outside-policy-period"
    title = "The insured event happened outside the policy's period"
