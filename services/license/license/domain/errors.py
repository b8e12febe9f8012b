"""Why the license service refuses something. Each rule has its own problem type."""

from __future__ import annotations

from shared.errors import Conflict, Forbidden, NotFound, RuleViolation


class DeclarationUnknown(NotFound):
    slug = "declaration-unknown"
    title = "The open-licence declaration is not known to the license service"


class LicenseRefused(RuleViolation):
    slug = "license-refused"
    title = "Licence refused"


class DeclarationNotActive(LicenseRefused):
    slug = "license-declaration-not-active"
    title = "The open-licence declaration is not in force"


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
