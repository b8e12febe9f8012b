"""Why matching refuses something. Each rule has its own problem type; a refusal about one
field carries it as the problem's ``field`` and starts its detail with it."""

from __future__ import annotations

from typing import Any

from shared.errors import Conflict, Forbidden, InvalidRequest, NotFound, RuleViolation


class FieldRefused(RuleViolation):
    """A field's value breaks a rule: ``field`` names it (``industry_codes[2]``)."""

    slug = "field-refused"
    title = "A field breaks a rule"

    def __init__(self, field: str, reason: str, **extensions: Any) -> None:
        super().__init__(f"{field}: {reason}", field=field, **extensions)
        self.field = field
        self.reason = reason


# -- enterprise profiles ---------------------------------------------------------------------


class ProfileUsccInvalid(FieldRefused):
    slug = "profile-uscc-invalid"
    title = "Not a valid unified social credit code (GB 32100)"


class ProfileNameInvalid(FieldRefused):
    slug = "profile-name-invalid"
    title = "The enterprise's name must be readable text of at most 200 characters"


class ProfileRegionInvalid(FieldRefused):
    slug = "profile-region-invalid"
    title = "Not a GB/T 2260 administrative division code"


class IndustryCodeInvalid(FieldRefused):
    slug = "industry-code-invalid"
    title = "Not a GB/T 4754-2017 industry code"


class ProfileIndustryNotAClass(FieldRefused):
    slug = "profile-industry-not-a-class"
    title = "A profile's industries are GB/T 4754-2017 classes (小类, four digits: C3841)"


class ProfileIndustryCount(FieldRefused):
    slug = "profile-industry-count"
    title = "A profile has 1 to 20 industry classes"


class StrategicCodeInvalid(FieldRefused):
    slug = "profile-strategic-code-invalid"
    title = "Not a strategic emerging industry code (战略性新兴产业分类 2018: 1, 1.1 or 1.1.1)"


class ProfileSizeUnknown(FieldRefused):
    slug = "profile-size-unknown"
    title = "The enterprise's size is micro, small, medium or large"


class QualificationUnknown(FieldRefused):
    slug = "profile-qualification-unknown"
    title = "Qualifications are specialized_sme, high_tech or ip_advantage"


class ProfileTextTooLong(FieldRefused):
    slug = "profile-text-too-long"
    title = "Products and technical needs are at most 2,000 characters each"


class ProfileNothingToMatch(FieldRefused):
    slug = "profile-nothing-to-match"
    title = "A profile describes its products or its technical needs (or both)"


class ConsentIndustryInAndOut(FieldRefused):
    slug = "consent-industry-in-and-out"
    title = "An industry cannot be both opted in and opted out of pushes"


class ConsentByEnterpriseOnly(FieldRefused):
    """Consent to pushes is the enterprise's own act: an import cannot give it."""

    slug = "consent-by-enterprise-only"
    title = "Only the enterprise itself consents to pushes"


class ProfileOfAnotherOrganisation(Forbidden):
    slug = "profile-of-another-organisation"
    title = "A profile for another organisation"


class ProfileMaintainedByEnterprise(Conflict):
    """An import never overwrites the profile an enterprise maintains itself."""

    slug = "profile-maintained-by-enterprise"
    title = "The enterprise maintains this profile itself"

    @classmethod
    def about(cls, uscc: str) -> ProfileMaintainedByEnterprise:
        return cls(f"{uscc} maintains its profile itself: an import does not replace it", uscc=uscc)


class ProfileNotReadable(Forbidden):
    slug = "profile-not-readable"
    title = "A profile is read by its enterprise, the operator and regulators"


# -- pushes, feedback and campaigns -----------------------------------------------------------


class PushUnknown(NotFound):
    slug = "push-unknown"
    title = "No push with this id reached your organisation"


def push_unknown(push_id: str) -> PushUnknown:
    return PushUnknown(f"push_id: no push {push_id} reached your organisation", push_id=push_id)


class EnterpriseUsccMissing(Forbidden):
    slug = "enterprise-uscc-missing"
    title = "An enterprise's inbox is addressed by its unified social credit code"


class FeedbackWithoutPush(Conflict):
    slug = "feedback-without-push"
    title = "No push of this patent reached your organisation"


class ProspectScoreOutOfRange(InvalidRequest):
    slug = "feedback-prospect-score"
    title = "The prospect score is 1 to 5"


class CampaignUnknown(NotFound):
    slug = "campaign-unknown"
    title = "No campaign with this id"


class CampaignIndustryCode(InvalidRequest):
    slug = "campaign-industry-code"
    title = "A campaign's industries are GB/T 4754 codes"


class CampaignRegionCode(InvalidRequest):
    slug = "campaign-region-code"
    title = "A campaign's regions are GB/T 2260 province, city or full codes"


class CampaignTier(InvalidRequest):
    slug = "campaign-tier"
    title = "A campaign pushes patents of tiers A, B or C"


class CampaignClusterEmpty(RuleViolation):
    slug = "campaign-cluster-empty"
    title = "No enterprise that consented to pushes is in the campaign's cluster"


# -- outcomes ------------------------------------------------------------------------------


class OutcomesNotYours(Forbidden):
    slug = "outcomes-not-yours"
    title = "An institution reads the outcomes of its own patents only"


class OutcomePatentUnknown(NotFound):
    slug = "outcome-patent-unknown"
    title = "Matching knows no such patent"


class OutcomeCampaignUnknown(NotFound):
    slug = "outcome-campaign-unknown"
    title = "No such matching campaign"


# -- matches -------------------------------------------------------------------------------


class RematchRunning(Conflict):
    slug = "rematch-running"
    title = "A full re-match is already queued or running"


class RematchJobUnknown(NotFound):
    slug = "rematch-job-unknown"
    title = "No such re-match job"


class MatchesNotYours(Forbidden):
    slug = "matches-not-yours"
    title = "A patent's matches are read by its owning institution, the operator and regulators"
