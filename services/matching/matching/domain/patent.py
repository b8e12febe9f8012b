"""A patent as matching sees it: what listing published about it, kept up to date from
listing's events, and whether it may be proposed to enterprises at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

# Tier D: no realistic market (consider abandoning); proposing it wastes everyone's time.
UNMATCHABLE_TIERS = frozenset({"D"})
INSTITUTION_PARTY_TYPES = frozenset({"university", "research_institute"})


class MatchSubject(StrEnum):
    """What a match request is about."""

    PATENT = "patent"
    ENTERPRISE = "enterprise"
    NEED = "need"


@dataclass(frozen=True)
class Patentee:
    name: str
    uscc: str | None
    org_id: str | None
    party_type: str


@dataclass
class MatchablePatent:
    application_number: str
    title: str
    abstract: str | None
    ipc_codes: list[str]
    industry_codes: list[str]
    region_code: str | None
    patentees: list[Patentee]
    valid: bool
    tier: str | None = None
    willingness: str | None = None
    intended_modes: list[str] = field(default_factory=list)
    declared: bool = False
    listed: bool = False
    # The supply listings of it that are open, as far as their events told: one closing
    # leaves it listed while another is open.
    listing_ids: list[str] = field(default_factory=list)
    inventoried: bool = False
    # Bumped when what an enterprise was shown changes (tier, open-licence terms, a
    # listing for sale): the patent may then reach an enterprise that saw it before.
    revision: int = 1
    tokens: list[str] | None = None

    @property
    def institution(self) -> Patentee | None:
        """The owning institution: the first university or institute, else the first
        patentee."""
        for patentee in self.patentees:
            if patentee.party_type in INSTITUTION_PARTY_TYPES:
                return patentee
        return self.patentees[0] if self.patentees else None

    @property
    def matchable(self) -> bool:
        """In force, not refused by its owner, not judged to have no market."""
        return (
            self.valid and self.willingness != "not_willing" and self.tier not in UNMATCHABLE_TIERS
        )

    def change_status(self, *, valid: bool) -> bool:
        """True if the patent became matchable, or stopped being so."""
        was = self.matchable
        self.valid = valid
        return self.matchable != was

    def change_owners(self, patentees: list[Patentee]) -> None:
        self.patentees = patentees

    def change_industries(self, industry_codes: list[str]) -> bool:
        changed = industry_codes != self.industry_codes
        self.industry_codes = industry_codes
        return changed

    def record_inventory(self, *, willingness: str, intended_modes: list[str]) -> None:
        self.inventoried = True
        self.willingness = willingness
        self.intended_modes = intended_modes

    def change_tier(self, tier: str | None) -> bool:
        if tier == self.tier:
            return False
        self.tier = tier
        self.revision += 1
        return True

    def declare_open_license(self) -> None:
        """New open-licence terms: a new revision whether or not one was in force."""
        self.declared = True
        self.revision += 1

    def end_open_license(self) -> None:
        self.declared = False

    def list_for_sale(self, listing_id: str) -> None:
        if listing_id not in self.listing_ids:
            self.listing_ids.append(listing_id)
        self.listed = True
        self.revision += 1

    def delist(self, listing_id: str) -> bool:
        """One of its listings closed; True when that leaves none open (a listing this
        view never saw published changes nothing)."""
        if listing_id not in self.listing_ids:
            return False
        self.listing_ids.remove(listing_id)
        if self.listing_ids:
            return False
        self.listed = False
        self.revision += 1
        return True


@dataclass
class TechnicalNeed:
    """A technical need (技术需求) published by an organisation, open until its deadline."""

    need_id: str
    requester_name: str
    requester_uscc: str | None
    requester_org_id: str | None
    title: str
    description: str
    technical_field: str | None
    ipc_codes: list[str]
    industry_codes: list[str]
    region_code: str | None
    deadline: date
    open: bool = True
    tokens: list[str] | None = None

    @property
    def text(self) -> str:
        return "\n".join(p for p in (self.title, self.technical_field, self.description) if p)


def need_is_open(open_: bool, deadline: date, today: date) -> bool:
    """A need is matched while its requester keeps it open, up to its deadline."""
    return open_ and deadline >= today
