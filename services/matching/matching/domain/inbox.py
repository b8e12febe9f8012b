"""Pushes (推送): which of an enterprise's matches reach its inbox, and when.

An enterprise receives pushes only once it consented itself; the industries it opted out
of never reach it, and when it opted into some, only those do (codes are hierarchical
by prefix: opting out of ``C38`` covers ``C3841``). A patent reaches the same enterprise
once per revision (its tier, open-licence terms or listing changed since), only while it
is matchable, best score first, and no more than the cap in any rolling 7 days. A
campaign applies the same rules with its own per-enterprise limit instead of the cap.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

# The rolling window the weekly cap counts pushes in.
PUSH_WINDOW = timedelta(days=7)
# The weights version a campaign push carries when no match row scored the pair.
CONCORDANCE_ONLY = "concordance"


class ExplanationBasis(StrEnum):
    """What put a patent in an inbox: a scored match, or (a campaign's push of a tier's
    patent the engine did not score for this enterprise) the industry concordance alone."""

    MATCH = "match"
    INDUSTRY = "industry"


@dataclass(frozen=True)
class Recipient:
    """An enterprise as the push rules see it."""

    uscc: str
    org_id: str | None
    name: str
    push_consent: bool
    industry_codes: tuple[str, ...] = ()
    industries_opted_in: tuple[str, ...] = ()
    industries_opted_out: tuple[str, ...] = ()

    def accepts_industries(self, industry_codes: Iterable[str]) -> bool:
        """False if any of the patent's codes falls under an opted-out industry; when the
        enterprise opted into some industries, True only if one of the codes falls under
        one of them."""
        codes = list(industry_codes)
        if any(_under(code, self.industries_opted_out) for code in codes):
            return False
        if self.industries_opted_in:
            return any(_under(code, self.industries_opted_in) for code in codes)
        return True


def _under(code: str, prefixes: Iterable[str]) -> bool:
    return any(code.startswith(prefix) for prefix in prefixes)


@dataclass(frozen=True)
class Explanation:
    """Why a patent was pushed, as the match stood at push time: each factor's
    contribution, the terms both texts share, the industry links (which IPC group led to
    which industry class and which of the enterprise's codes it met)."""

    factors: Mapping[str, float]
    matched_terms: tuple[str, ...]
    industry_links: tuple[Mapping[str, Any], ...]
    weights_version: str
    basis: ExplanationBasis = ExplanationBasis.MATCH
    via_need_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "basis": self.basis.value,
            "factors": dict(self.factors),
            "matched_terms": list(self.matched_terms),
            "industry_links": [dict(link) for link in self.industry_links],
            "weights_version": self.weights_version,
            "via_need_id": self.via_need_id,
        }

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> Explanation:
        return cls(
            factors=dict(values.get("factors") or {}),
            matched_terms=tuple(values.get("matched_terms") or ()),
            industry_links=tuple(values.get("industry_links") or ()),
            weights_version=str(values.get("weights_version") or CONCORDANCE_ONLY),
            basis=ExplanationBasis(values.get("basis", ExplanationBasis.MATCH.value)),
            via_need_id=values.get("via_need_id"),
        )


def concordance_links(
    patent_codes: Sequence[str], enterprise_codes: Sequence[str]
) -> tuple[dict[str, str], ...]:
    """The industry links of a pair no match row scored: each patent code that lies
    under, or above, one of the enterprise's codes (``C3841`` meets ``C38``)."""
    return tuple(
        {"industry_code": code, "seeker_code": own, "level": industry_level(code, own)}
        for code in patent_codes
        for own in enterprise_codes
        if code.startswith(own) or own.startswith(code)
    )


def industry_level(a: str, b: str) -> str:
    """The finest GB/T 4754 level two nested codes share: class, group or division."""
    return {5: "class", 4: "group"}.get(min(len(a), len(b)), "division")


@dataclass(frozen=True)
class PushCandidate:
    """A patent that may be pushed to one enterprise: its facts now, and the match (or,
    for a campaign without a match row, the concordance) that proposes it."""

    application_number: str
    revision: int
    matchable: bool
    industry_codes: tuple[str, ...]
    score: float
    explanation: Explanation
    institution_name: str | None = None
    institution_uscc: str | None = None
    institution_org_id: str | None = None


def room_in_window(pushed_at: Iterable[datetime], now: datetime, cap: int) -> int:
    """How many more pushes the enterprise may receive now without passing ``cap`` in
    the 7 days ending now."""
    since = now - PUSH_WINDOW
    return max(0, cap - sum(1 for at in pushed_at if at > since))


def choose_pushes(
    recipient: Recipient,
    candidates: Iterable[PushCandidate],
    *,
    pushed_revisions: Mapping[str, int],
    room: int,
) -> list[PushCandidate]:
    """The candidates to push now, best score first, at most ``room``: none without the
    enterprise's consent; never an unmatchable patent, one of an industry it refused, or
    one it already received at this revision or a later one (``pushed_revisions``: the
    highest revision of each patent it received)."""
    if not recipient.push_consent or room <= 0:
        return []
    chosen: list[PushCandidate] = []
    seen: set[str] = set()
    for candidate in sorted(candidates, key=lambda c: (-c.score, c.application_number)):
        if len(chosen) == room:
            break
        number = candidate.application_number
        if (
            number in seen
            or not candidate.matchable
            or pushed_revisions.get(number, 0) >= candidate.revision
            or not recipient.accepts_industries(candidate.industry_codes)
        ):
            continue
        seen.add(number)
        chosen.append(candidate)
    return chosen


@dataclass
class Push:
    """A patent in an enterprise's inbox. It counts as opened the first time the
    enterprise reads it."""

    push_id: str
    enterprise_uscc: str
    application_number: str
    patent_revision: int
    score: float
    explanation: Explanation
    pushed_at: datetime
    campaign_id: str | None = None
    opened_at: datetime | None = None
    # Facts of the push kept for the event, not stored with it.
    industry_codes: tuple[str, ...] = field(default=())

    @property
    def weights_version(self) -> str:
        return self.explanation.weights_version

    @classmethod
    def of(
        cls,
        recipient: Recipient,
        candidate: PushCandidate,
        now: datetime,
        campaign_id: str | None = None,
    ) -> Push:
        return cls(
            push_id=str(uuid.uuid4()),
            enterprise_uscc=recipient.uscc,
            application_number=candidate.application_number,
            patent_revision=candidate.revision,
            score=candidate.score,
            explanation=candidate.explanation,
            pushed_at=now,
            campaign_id=campaign_id,
            industry_codes=candidate.industry_codes,
        )

    def open(self, now: datetime) -> bool:
        """Mark the push read; True only the first time."""
        if self.opened_at is not None:
            return False
        self.opened_at = now
        return True
