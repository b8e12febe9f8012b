"""Why the license service refuses to end a licence. Each rule has its own problem type."""

from __future__ import annotations

from shared.errors import Conflict, Forbidden, RuleViolation


class LicenseAlreadyEnded(Conflict):
    slug = "license-already-ended"
    title = "The licence has already ended (expired, terminated or rescinded)"


class LicenseNotInForce(Conflict):
    slug = "license-not-in-force"
    title = "Only a licence in force (active or filed) can end"


class LicenseEndDateInvalid(RuleViolation):
    slug = "license-end-date-invalid"
    title = "The end date must lie between the licence's effect and today"


class TerminationNotAllowed(Forbidden):
    slug = "license-termination-not-allowed"
    title = "This party may not terminate the licence this way"


class TerminationTermsDiffer(RuleViolation):
    slug = "license-termination-terms-differ"
    title = "A termination by agreement needs both parties to name the same end date and reason"


class RescissionByLicensee(Forbidden):
    slug = "license-rescission-by-licensee"
    title = "Only a licensor (for the licensee's breach) or the operator rescinds a licence"


class RescissionGroundInvalid(RuleViolation):
    slug = "license-rescission-ground-invalid"
    title = (
        "A rescission cites a recorded breach of this licence or a court or arbitration "
        "reference; the operator cites a court judgment"
    )


class LicenseEndedNoPayment(Conflict):
    slug = "license-ended-no-payment"
    title = "An ended licence takes payments only for royalty periods of its term"


class RoyaltyPeriodCancelled(Conflict):
    slug = "royalty-period-cancelled"
    title = "The royalty period starts after the licence ended: it is cancelled"
