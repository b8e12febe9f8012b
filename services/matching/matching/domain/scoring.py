"""How a (patent, seeker) pair is scored: one versioned table of weights, one function per
factor, and the score as the sum of the factors' contributions.

The weights table is never edited once in force: a change gets a new version, and every
match names the version that scored it (like the tier rule tables). The factors:

- industry: the closest level at which one of the patent's GB/T 4754 codes meets one of
  the seeker's (class > group > division > none);
- text: BM25 of the patent's title and abstract against the seeker's text, saturated as
  ``s / (s + text_saturation)`` so that one pair's share never depends on other pairs;
- region: same prefecture-level city > same province > none (GB/T 2260);
- tier (A > B > C > none > D), the owner's willingness and whether any mode an
  enterprise can use is available (intended modes, a declared open licence, a listing);
- feedback: the seeker's recorded feedback on patents of the same industries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from matching.domain.match import (
    Derivation,
    IndustryLevel,
    IndustryLink,
    PatentFacts,
)

WEIGHTS_VERSION = "2026-12-v1"

# Modes an enterprise can take a patent by (inventory's intended modes; 作价入股 is the
# institution's own investment and needs no enterprise on the other side of a deal).
ENTERPRISE_MODES = frozenset({"transfer", "license", "open_license", "joint_development"})

FACTORS = ("industry", "text", "region", "tier", "willingness", "modes", "feedback")


def _tier_table() -> dict[str | None, float]:
    return {"A": 0.08, "B": 0.06, "C": 0.03, None: 0.02, "D": 0.0}


def _willingness_table() -> dict[str | None, float]:
    return {"willing": 0.05, "undecided": 0.025, None: 0.025, "not_willing": 0.0}


@dataclass(frozen=True)
class Weights:
    """One version of the weights; every contribution is a weight times a value in
    [0, 1] (feedback: in [-1, 1]), so the table reads as the factors' maximum shares."""

    version: str = WEIGHTS_VERSION
    industry_class: float = 0.08
    industry_group: float = 0.06
    industry_division: float = 0.04
    text: float = 0.60
    text_saturation: float = 20.0
    region_city: float = 0.02
    region_province: float = 0.01
    tier: Mapping[str | None, float] = field(default_factory=_tier_table)
    willingness: Mapping[str | None, float] = field(default_factory=_willingness_table)
    modes: float = 0.04
    feedback: float = 0.10

    def industry(self, level: IndustryLevel | None) -> float:
        if level is IndustryLevel.CLASS:
            return self.industry_class
        if level is IndustryLevel.GROUP:
            return self.industry_group
        if level is IndustryLevel.DIVISION:
            return self.industry_division
        return 0.0

    def text_contribution(self, bm25: float) -> float:
        return self.text * bm25 / (bm25 + self.text_saturation) if bm25 > 0 else 0.0


WEIGHTS = Weights()


def industry_level(a: str, b: str) -> IndustryLevel | None:
    """The longest level two codes share (``C3841`` / ``C384`` / ``C38``); None when
    they are not of the same division."""
    if a[:3] != b[:3] or len(a) < 3 or len(b) < 3:
        return None
    shortest = min(len(a), len(b))
    if shortest >= 5 and a[:5] == b[:5]:
        return IndustryLevel.CLASS
    if shortest >= 4 and a[:4] == b[:4]:
        return IndustryLevel.GROUP
    return IndustryLevel.DIVISION


_RANK = {IndustryLevel.CLASS: 3, IndustryLevel.GROUP: 2, IndustryLevel.DIVISION: 1}


def best_industry_level(
    patent_codes: Iterable[str], seeker_codes: Sequence[str]
) -> IndustryLevel | None:
    best: IndustryLevel | None = None
    for p in patent_codes:
        for s in seeker_codes:
            level = industry_level(p, s)
            if level is not None and (best is None or _RANK[level] > _RANK[best]):
                best = level
    return best


Meeting = tuple[str, str, IndustryLevel]  # patent code, seeker code, level


def industry_meetings(patent_codes: Sequence[str], seeker_codes: Sequence[str]) -> list[Meeting]:
    """Every meeting of a patent code with a seeker code, closest first."""
    found = [
        (p, s, level)
        for p in patent_codes
        for s in seeker_codes
        if (level := industry_level(p, s)) is not None
    ]
    found.sort(key=lambda meeting: -_RANK[meeting[2]])
    return found


def links_for(
    meetings: Sequence[Meeting], derivations: Sequence[Derivation]
) -> tuple[IndustryLink, ...]:
    """The meetings traced to the concordance rows that gave the patent its code."""
    links: list[IndustryLink] = []
    for p, s, level in meetings:
        rows = [d for d in derivations if d.industry_code == p]
        if not rows:
            links.append(IndustryLink(p, s, level))
        links.extend(IndustryLink(p, s, level, d.ipc_code, d.key, d.source) for d in rows)
    return tuple(links)


def industry_links(
    patent_codes: Sequence[str],
    derivations: Sequence[Derivation],
    seeker_codes: Sequence[str],
) -> tuple[IndustryLink, ...]:
    """Every meeting of a patent code with a seeker code, closest first, each traced to
    the concordance rows that gave the patent that code."""
    return links_for(industry_meetings(patent_codes, seeker_codes), derivations)


def region_match(patent_region: str | None, seeker_region: str | None) -> str | None:
    """``"city"`` when both lie in the same prefecture-level city, ``"province"`` when
    in the same province, else None; a province-level code meets only at province."""
    if not patent_region or not seeker_region or patent_region[:2] != seeker_region[:2]:
        return None
    both_below_province = patent_region[2:4] != "00" and seeker_region[2:4] != "00"
    if both_below_province and patent_region[:4] == seeker_region[:4]:
        return "city"
    return "province"


def region_contribution(level: str | None, weights: Weights = WEIGHTS) -> float:
    if level == "city":
        return weights.region_city
    if level == "province":
        return weights.region_province
    return 0.0


def available_modes(patent: PatentFacts) -> frozenset[str]:
    """The modes the patent can be taken by now: the owner's intended modes, a declared
    open licence, and a supply listing (a licence or a transfer negotiated on it)."""
    modes = set(patent.intended_modes)
    if patent.declared:
        modes.add("open_license")
    if patent.listed:
        modes.update(("license", "transfer"))
    return frozenset(modes)


def patent_contributions(patent: PatentFacts, weights: Weights = WEIGHTS) -> dict[str, float]:
    """The factors that depend on the patent alone (tier, willingness, modes)."""
    return {
        "tier": weights.tier.get(patent.tier, 0.0),
        "willingness": weights.willingness.get(patent.willingness, 0.0),
        "modes": weights.modes if available_modes(patent) & ENTERPRISE_MODES else 0.0,
    }


def feedback_value(affinity: Mapping[str, float], patent_codes: Iterable[str]) -> float:
    """The seeker's affinity for the patent's industries: for each patent code the most
    specific code the seeker has feedback on (class, group, then division), averaged."""
    if not affinity:
        return 0.0
    values = []
    for code in patent_codes:
        for key in (code[:5], code[:4], code[:3]):
            if key in affinity:
                values.append(affinity[key])
                break
    if not values:
        return 0.0
    return max(-1.0, min(1.0, sum(values) / len(values)))


def pair_contributions(
    patent: PatentFacts,
    seeker_codes: Sequence[str],
    seeker_region: str | None,
    affinity: Mapping[str, float],
    bm25: float,
    weights: Weights = WEIGHTS,
) -> dict[str, float]:
    """Every factor's contribution for one pair (the engine computes the same numbers in
    bulk; this is the reference and the explanation's source)."""
    contributions = {
        "industry": weights.industry(best_industry_level(patent.industry_codes, seeker_codes)),
        "text": weights.text_contribution(bm25),
        "region": region_contribution(region_match(patent.region_code, seeker_region), weights),
    }
    contributions.update(patent_contributions(patent, weights))
    contributions["feedback"] = weights.feedback * feedback_value(affinity, patent.industry_codes)
    return contributions
