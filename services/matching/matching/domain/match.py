"""What the engine matches and what a match says about itself.

A patent (its matchable facts, kept by the catalogue area) is matched against seekers:
enterprise profiles (products and technical needs) and technical needs published in
listing (demands). A :class:`Match` carries its explanation: each factor's contribution,
the terms both texts share, which IPC key led to which industry code and which of the
seeker's codes it met, and the version of the weights that scored it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class SeekerKind(StrEnum):
    PROFILE = "profile"  # an enterprise profile: products and technical needs
    NEED = "need"  # a technical need (listing's demand)


class IndustryLevel(StrEnum):
    """How close two GB/T 4754 codes are: the longest level both share."""

    CLASS = "class"  # 4 digits, C3841
    GROUP = "group"  # 3 digits, C384
    DIVISION = "division"  # 2 digits, C38


class Derivation(Protocol):
    """One row of the IPC -> industry concordance that gave a patent an industry code
    (``shared.domain.industry.Derivation`` has this shape)."""

    @property
    def ipc_code(self) -> str: ...

    @property
    def key(self) -> str: ...

    @property
    def industry_code(self) -> str: ...

    @property
    def source(self) -> str: ...


@dataclass(frozen=True)
class PatentFacts:
    """A patent as the engine sees it. ``tokens`` are its segmented title and abstract
    (computed once when the patent arrives); ``derivations`` explain its industry codes."""

    application_number: str
    tokens: tuple[str, ...]
    industry_codes: tuple[str, ...]
    region_code: str | None = None
    tier: str | None = None  # A-D, None when not tiered
    willingness: str | None = None  # willing | undecided | not_willing
    intended_modes: tuple[str, ...] = ()
    declared: bool = False  # an open licence in force
    listed: bool = False  # a supply listing published
    derivations: tuple[Derivation, ...] = ()


@dataclass(frozen=True)
class Seeker:
    """An enterprise profile or a technical need. ``affinity`` is the seeker's feedback
    per industry code (division ``C38`` or finer), each in [-1, 1]
    (:func:`matching.domain.feedback.division_affinities`: per division)."""

    seeker_id: str  # the enterprise's USCC, or the need's id
    kind: SeekerKind
    tokens: tuple[str, ...]
    industry_codes: tuple[str, ...]
    region_code: str | None = None
    affinity: Mapping[str, float] = field(default_factory=dict)

    @property
    def key(self) -> tuple[SeekerKind, str]:
        return (self.kind, self.seeker_id)


@dataclass(frozen=True, slots=True)
class IndustryLink:
    """The patent's industry code met one of the seeker's codes at ``level``; when the
    concordance's derivation is known, which IPC code and key produced the patent's
    code, and whether that concordance row is official or compiled."""

    industry_code: str
    seeker_code: str
    level: IndustryLevel
    ipc_code: str | None = None
    ipc_key: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """A scored (patent, seeker) pair and why it scored so."""

    application_number: str
    seeker_id: str
    seeker_kind: SeekerKind
    score: float
    contributions: Mapping[str, float]  # factor name -> its share of the score
    matched_terms: tuple[str, ...]
    industry_links: tuple[IndustryLink, ...]
    weights_version: str
