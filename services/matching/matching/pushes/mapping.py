"""Rows of ``pushes`` and of the candidates' query <-> the inbox's domain objects."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from matching.domain.inbox import (
    CONCORDANCE_ONLY,
    Explanation,
    ExplanationBasis,
    Push,
    PushCandidate,
    Recipient,
    concordance_links,
)
from matching.domain.patent import UNMATCHABLE_TIERS


def to_recipient(row: Mapping[Any, Any]) -> Recipient:
    return Recipient(
        uscc=row["uscc"],
        org_id=row["org_id"],
        name=row["name"],
        push_consent=row["push_consent"],
        industry_codes=tuple(row["industry_codes"]),
        industries_opted_in=tuple(row["industries_opted_in"]),
        industries_opted_out=tuple(row["industries_opted_out"]),
    )


def to_candidate(row: Mapping[Any, Any], enterprise_codes: Sequence[str] = ()) -> PushCandidate:
    """A candidate row: the match's columns, or (a campaign's patent no match row scored
    for the enterprise) a score of 0 and the industry links to ``enterprise_codes``."""
    matched = row["score"] is not None
    codes = tuple(row["industry_codes"])
    explanation = (
        Explanation(
            factors=dict(row["factors"]),
            matched_terms=tuple(row["matched_terms"]),
            industry_links=tuple(row["industry_links"]),
            weights_version=row["weights_version"],
            via_need_id=row["via_need_id"],
        )
        if matched
        else Explanation(
            factors={},
            matched_terms=(),
            industry_links=concordance_links(codes, enterprise_codes),
            weights_version=CONCORDANCE_ONLY,
            basis=ExplanationBasis.INDUSTRY,
        )
    )
    return PushCandidate(
        application_number=row["application_number"],
        revision=row["revision"],
        # The same rule as MatchablePatent.matchable, on the row's columns.
        matchable=bool(
            row["valid"]
            and row["willingness"] != "not_willing"
            and row["tier"] not in UNMATCHABLE_TIERS
        ),
        industry_codes=codes,
        score=float(row["score"]) if matched else 0.0,
        explanation=explanation,
        institution_name=row["institution_name"],
        institution_uscc=row["institution_uscc"],
        institution_org_id=row["institution_org_id"],
    )


def to_push(row: Mapping[Any, Any]) -> Push:
    return Push(
        push_id=row["push_id"],
        enterprise_uscc=row["enterprise_uscc"],
        application_number=row["application_number"],
        patent_revision=row["patent_revision"],
        score=row["score"],
        explanation=Explanation.from_dict(row["explanation"]),
        pushed_at=row["pushed_at"],
        campaign_id=row["campaign_id"],
        opened_at=row["opened_at"],
    )


def push_values(push: Push) -> dict[str, Any]:
    return {
        "push_id": push.push_id,
        "enterprise_uscc": push.enterprise_uscc,
        "application_number": push.application_number,
        "patent_revision": push.patent_revision,
        "score": push.score,
        "explanation": push.explanation.as_dict(),
        "weights_version": push.weights_version,
        "campaign_id": push.campaign_id,
        "pushed_at": push.pushed_at,
        "opened_at": push.opened_at,
    }
