"""Matching's expected errors: each names the rule it enforces (problem+json)."""

from __future__ import annotations

from shared.errors import Forbidden, NotFound


class OutcomesNotYours(Forbidden):
    slug = "outcomes-not-yours"
    title = "An institution reads the outcomes of its own patents only"


class OutcomePatentUnknown(NotFound):
    slug = "outcome-patent-unknown"
    title = "Matching knows no such patent"


class OutcomeCampaignUnknown(NotFound):
    slug = "outcome-campaign-unknown"
    title = "No such matching campaign"
