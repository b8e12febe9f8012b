"""Between matching's rows and the engine's inputs and outputs (the matches area's
own mapping: only it feeds the engine and writes ``matches``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from matching.domain.match import Match, PatentFacts, Seeker, SeekerKind
from matching.domain.patent import MatchablePatent
from shared.domain.industry import Concordance

# The columns of ``matches``, in the order the re-match COPYs them.
MATCH_COLUMNS = (
    "application_number",
    "enterprise_uscc",
    "score",
    "factors",
    "matched_terms",
    "industry_links",
    "weights_version",
    "patent_revision",
    "via_need_id",
    "computed_at",
)


def patent_facts(
    patent: MatchablePatent, tokens: tuple[str, ...], concordance: Concordance
) -> PatentFacts:
    return PatentFacts(
        application_number=patent.application_number,
        tokens=tokens,
        industry_codes=tuple(patent.industry_codes),
        region_code=patent.region_code,
        tier=patent.tier,
        willingness=patent.willingness,
        intended_modes=tuple(patent.intended_modes),
        declared=patent.declared,
        listed=patent.listed,
        derivations=tuple(_derivations(patent.ipc_codes, concordance)),
    )


def facts_from_row(row: Any, concordance: Concordance) -> PatentFacts:
    """A patent as the re-match reads it (``repository.SeekerSource.matchable_patents``)."""
    return PatentFacts(
        application_number=row["application_number"],
        tokens=tuple(row["tokens"]),
        industry_codes=tuple(row["industry_codes"]),
        region_code=row["region_code"],
        tier=row["tier"],
        willingness=row["willingness"],
        intended_modes=tuple(row["intended_modes"]),
        declared=row["declared"],
        listed=row["listed"],
        derivations=tuple(_derivations(row["ipc_codes"], concordance)),
    )


def _derivations(ipc_codes: list[str], concordance: Concordance) -> list[Any]:
    # A symbol listing stored before the concordance knew it derives nothing, never fails.
    try:
        return list(concordance.derivations(ipc_codes))
    except ValueError:
        return []


def profile_seeker(row: Any, affinity: dict[str, float]) -> Seeker:
    return Seeker(
        seeker_id=row["uscc"],
        kind=SeekerKind.PROFILE,
        tokens=tuple(row["tokens"]),
        industry_codes=tuple(row["industry_codes"]),
        region_code=row["region_code"],
        affinity=affinity,
    )


def need_seeker(row: Any) -> Seeker:
    return Seeker(
        seeker_id=row["need_id"],
        kind=SeekerKind.NEED,
        tokens=tuple(row["tokens"]),
        industry_codes=tuple(row["industry_codes"]),
        region_code=row["region_code"],
    )


def match_row(
    match: Match,
    enterprise_uscc: str,
    patent_revision: int,
    computed_at: datetime,
) -> tuple[Any, ...]:
    """One ``matches`` row (``MATCH_COLUMNS``) for a match of a patent and an enterprise
    (directly, or through one of the enterprise's needs); ``factors`` and
    ``industry_links`` as JSON text, which the full re-match COPYs as it is (orjson
    writes the links' dataclasses: their field names are the keys)."""
    return (
        match.application_number,
        enterprise_uscc,
        float(match.score),
        orjson.dumps(dict(match.contributions)).decode(),
        list(match.matched_terms),
        orjson.dumps(match.industry_links).decode(),
        match.weights_version,
        patent_revision,
        match.seeker_id if match.seeker_kind is SeekerKind.NEED else None,
        computed_at,
    )
