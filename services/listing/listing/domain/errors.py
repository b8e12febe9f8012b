"""Why listing refuses something. Each rule has its own problem type."""

from __future__ import annotations

from shared.errors import Conflict, Forbidden, InvalidRequest, ProblemError, RuleViolation


class DeclarationRefused(RuleViolation):
    slug = "declaration-refused"
    title = "Open-licence declaration refused"


class ExclusiveLicenceInForce(DeclarationRefused):
    slug = "declaration-exclusive-license-in-force"
    title = "An exclusive or sole licence is in force"


class PledgedWithoutConsent(DeclarationRefused):
    slug = "declaration-pledged-without-consent"
    title = "The patent is pledged and the pledgee has not consented"


class AnnualFeesUnpaid(DeclarationRefused):
    slug = "declaration-annual-fees-unpaid"
    title = "Annual fees are unpaid"


class PatentSuspended(DeclarationRefused):
    slug = "declaration-patent-suspended"
    title = "The patent is suspended or under court preservation"


class PatentNotValid(DeclarationRefused):
    slug = "declaration-patent-not-valid"
    title = "The patent is not valid"


class EvaluationReportMissing(DeclarationRefused):
    slug = "declaration-evaluation-report-missing"
    title = "A favourable patent evaluation report (专利权评价报告) is required"


class EvaluationReportUnfavourable(DeclarationRefused):
    slug = "declaration-evaluation-report-unfavourable"
    title = "The patent evaluation report (专利权评价报告) on file is unfavourable"


class CoOwnerConsentMissing(DeclarationRefused):
    slug = "declaration-co-owner-consent-missing"
    title = "Every co-owner must consent"


class TermNotAllowed(DeclarationRefused):
    slug = "declaration-term-not-allowed"
    title = "The licence term is not allowed"


class FeeOverCap(DeclarationRefused):
    slug = "declaration-fee-over-cap"
    title = "A fee or rate exceeds the guidance cap"


class TermsIncomplete(DeclarationRefused):
    slug = "declaration-terms-incomplete"
    title = "The terms do not fit the payment mode"


class RoyaltyScheduleInvalid(DeclarationRefused):
    slug = "declaration-royalty-schedule-invalid"
    title = "The royalty reporting schedule is not valid"


class PromotionalWording(DeclarationRefused):
    slug = "declaration-promotional-wording"
    title = "Declarations may not contain promotional wording"


class NotPatentee(Forbidden):
    slug = "not-patentee"
    title = "Only a registered patentee may do this"


class InvalidTransition(Conflict):
    slug = "invalid-state-transition"
    title = "Not possible in the current state"


class PatentAlreadyRegistered(Conflict):
    slug = "patent-already-registered"
    title = "The patent is already in the catalogue"


class ListingRefused(RuleViolation):
    slug = "listing-refused"
    title = "Supply or demand listing refused"


class ListingPromotionalWording(ListingRefused):
    slug = "listing-promotional-wording"
    title = "Listings may not contain promotional wording"


class DemandDeadlinePassed(ListingRefused):
    slug = "demand-deadline-passed"
    title = "The demand's deadline is already past"


class DemandBudgetRangeInverted(ListingRefused):
    slug = "demand-budget-range-inverted"
    title = "The budget's minimum is above its maximum"


class SupplyNotPatentee(Forbidden):
    slug = "supply-not-patentee"
    title = "Only a patentee may list its patent"


class SearchQueryInvalid(InvalidRequest):
    slug = "search-query-invalid"
    title = "The search query is not valid"

    def __init__(self, detail: str, parameter: str) -> None:
        super().__init__(f"{parameter}: {detail}", parameter=parameter)


class CursorForAnotherQuery(ProblemError):
    """A cursor issued for one search passed with another (other keywords, filters or
    sort): its position means nothing there."""

    status = 400
    slug = "cursor-for-another-query"
    title = "The cursor belongs to another query"

    def __init__(self) -> None:
        super().__init__(
            "cursor: issued for another query; start again without it", parameter="cursor"
        )


class EvidenceNotForThisPatent(DeclarationRefused):
    slug = "declaration-evidence-for-another-patent"
    title = "A referenced document is evidence for another patent"


class UnknownDocument(InvalidRequest):
    slug = "document-unknown"
    title = "A referenced document does not exist"


class TransferPledgedWithoutConsent(RuleViolation):
    slug = "transfer-pledged-without-consent"
    title = "The patent is pledged and the pledgee has not consented to this transfer"


class InventoryInvalid(InvalidRequest):
    slug = "inventory-invalid"
    title = "The inventory record or evaluation is not valid"


class InventoryNotOwner(Forbidden):
    slug = "inventory-not-owner"
    title = "Only the owning institution, the operator or a regulator may see or change this"


class InventoryInstitutionNotPatentee(RuleViolation):
    slug = "inventory-institution-not-patentee"
    title = "The inventorying institution must be a patentee of the patent"


class InventoryNotRecorded(Conflict):
    slug = "inventory-not-recorded"
    title = "The patent has no inventory record yet"


class ImplementationRefused(RuleViolation):
    slug = "implementation-refused"
    title = "The implementation or justified reason cannot be recorded"


class ImplementationEvidenceForAnotherPatent(ImplementationRefused):
    slug = "implementation-evidence-for-another-patent"
    title = "A referenced document is evidence for another patent"


class CoverageNotYours(Forbidden):
    slug = "coverage-not-yours"
    title = "An institution reads its own coverage only"


class CoverageQueryInvalid(InvalidRequest):
    slug = "coverage-query-invalid"
    title = "The coverage query is not valid"


class UploadNotYours(Forbidden):
    slug = "upload-not-yours"
    title = "The upload belongs to another organisation"


class UploadInstitutionUnknown(InvalidRequest):
    slug = "upload-institution-unknown"
    title = "The institution the upload is for is unknown or ambiguous"


class DeclarationPartyRestricted(DeclarationRefused):
    slug = "declaration-party-restricted"
    title = "A patentee is restricted by a credit record in force (信用监管)"


class SupplyListingNotPendingReview(Conflict):
    slug = "supply-listing-not-pending-review"
    title = "The supply listing is not waiting for the operator's review"


class ListingClosed(Conflict):
    slug = "listing-closed"
    title = "The listing is closed: it can no longer be updated or closed"


class ListingNotPublisher(Forbidden):
    slug = "listing-not-publisher"
    title = "Only the listing's publisher may change or close it"


class ListingEndDatePassed(ListingRefused):
    slug = "listing-end-date-passed"
    title = "The listing's end date is already past"
