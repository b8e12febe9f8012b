"""Why the license service refuses something. Each rule has its own problem type."""

from __future__ import annotations

from shared.errors import Conflict, Forbidden, NotFound, RuleViolation


class DeclarationUnknown(NotFound):
    slug = "declaration-unknown"
    title = "The open-licence declaration is not known to the license service"


def declaration_unknown(declaration_id: str) -> DeclarationUnknown:
    return DeclarationUnknown(
        f"declaration {declaration_id} is not known to the license service: it was never "
        "announced, or its announcement has not reached this service yet",
        declaration_id=declaration_id,
    )


class LicenseRefused(RuleViolation):
    slug = "license-refused"
    title = "Licence refused"


class DeclarationNotActive(LicenseRefused):
    slug = "license-declaration-not-active"
    title = "The open-licence declaration is not in force"


class DeclarationLapsed(DeclarationNotActive):
    slug = "license-declaration-lapsed"
    title = "The open-licence declaration lapsed: its term ended or the patent is no longer valid"


class LicenseeUsccMissing(LicenseRefused):
    slug = "license-licensee-uscc-missing"
    title = "The licensee must be identified by its unified social credit code"


class LicenseeIsPatentee(LicenseRefused):
    slug = "license-licensee-is-patentee"
    title = "A patentee cannot take a licence on its own patent"


class PaymentBelowFee(LicenseRefused):
    slug = "license-payment-below-fee"
    title = "The payment does not cover the fee the terms require"


class PaymentDateInFuture(LicenseRefused):
    slug = "license-payment-date-in-future"
    title = "A payment cannot be dated after today"


class LicenseTermEnded(LicenseRefused):
    slug = "license-term-ended"
    title = "The licence term of the terms has ended"


class NotLicensee(Forbidden):
    slug = "not-licensee"
    title = "Only the licensee may do this"


class NotPartyToLicense(Forbidden):
    slug = "not-party-to-license"
    title = "Only the licensee, a licensor or the operator may see a licence"


class LicenseAlreadyHeld(Conflict):
    slug = "license-already-held"
    title = "The licensee already holds a licence under this declaration"


class PaymentAlreadyRecorded(Conflict):
    slug = "license-payment-already-recorded"
    title = "This payment voucher is already recorded for the licence"


class InvalidTransition(Conflict):
    slug = "invalid-state-transition"
    title = "Not possible in the current state"


class NotPartyToPayment(Forbidden):
    slug = "not-party-to-payment"
    title = "Only the licensee (reporting) or a licensor (confirming) may record a payment"


class NotLicensor(Forbidden):
    slug = "not-licensor"
    title = "Only a patentee of the patent may grant a negotiated licence"


class PatentUnknown(NotFound):
    slug = "patent-unknown"
    title = "The patent is not known to the license service"


class ExclusiveWhileDeclared(LicenseRefused):
    slug = "license-exclusive-while-declared"
    title = "No exclusive or sole licence while an open-licence declaration is announced"


class ConflictsWithLicenceInForce(LicenseRefused):
    slug = "license-conflicts-with-licence-in-force"
    title = "An exclusive or sole licence excludes other licences over the same period"


class PledgedWithoutConsent(LicenseRefused):
    slug = "license-pledged-without-consent"
    title = "A licence on a pledged patent needs the pledgee's recorded consent"


class FilingPledgedWithoutConsent(LicenseRefused):
    slug = "license-filing-pledged-without-consent"
    title = "A licence on a pledged patent is filed only with the pledgee's recorded consent"


class FilingDateInvalid(LicenseRefused):
    slug = "license-filing-date-invalid"
    title = "The filing date must lie between the licence's effect and today"


class NegotiatedTermsInvalid(LicenseRefused):
    slug = "license-negotiated-terms-invalid"
    title = "The negotiated terms are not consistent"


class NotRunningRoyalty(LicenseRefused):
    slug = "license-not-running-royalty"
    title = "The licence's terms have no running royalty to report"


class RoyaltyPeriodUnknown(NotFound):
    slug = "royalty-period-unknown"
    title = "The licence has no such royalty period"


def royalty_period_unknown(license_id: str, period_id: str) -> RoyaltyPeriodUnknown:
    return RoyaltyPeriodUnknown(
        f"licence {license_id} has no royalty period {period_id}; list them with "
        f"GET /v1/licenses/{license_id}/royalties",
        period_id=period_id,
    )


class RoyaltyPeriodNotEnded(LicenseRefused):
    slug = "royalty-period-not-ended"
    title = "A royalty period is reported after it ends"


class RoyaltyAlreadyReported(Conflict):
    slug = "royalty-already-reported"
    title = "This royalty period is already reported"


class RoyaltyPeriodNotReported(LicenseRefused):
    slug = "royalty-period-not-reported"
    title = "A payment is matched to a royalty period only once the period is reported"


class OperatorOnly(Forbidden):
    slug = "operator-only"
    title = "Only the platform operator may do this"


class OfficeNumberConflict(Conflict):
    """The patent office's outcome names another number than the one already recorded
    (entered by hand for a filing made outside the platform): the first stays, and the
    event goes to the dead-letter topic with this reason for a person to look at."""

    slug = "office-number-conflict"
    title = "The licence or transfer already has another number from the patent office"
