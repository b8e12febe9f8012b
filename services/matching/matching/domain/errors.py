"""Why the matching service refuses something. Each rule has its own problem type."""

from __future__ import annotations

from shared.errors import Conflict, Forbidden, InvalidRequest, NotFound, RuleViolation

# Pushes, feedback and campaigns.


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
