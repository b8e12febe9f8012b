"""The patents listing registered, as license knows them (its catalogue view).

Listing's live events (registered, status changed, owner changed) and its restatements
(one ``PatentRestated`` per catalogued patent, on an internal topic, to fill the view
for patents registered before license existed) travel on different topics, so they
may arrive in any order. Each group of facts keeps the time of the listing event it
came from and only a newer event replaces it: a restatement never overwrites a later
live change, and a late live event never overwrites a newer restatement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from license.domain.declaration import Patentee

VALID = "valid"


@dataclass(frozen=True)
class PatentFacts:
    """What listing says a patent is (from its registration or a restatement)."""

    patent_number: str
    patent_type: str
    title: str
    expiry_date: date


@dataclass(frozen=True)
class PatentStatus:
    legal_status: str
    annual_fee_status: str
    suspended: bool
    under_preservation: bool


@dataclass
class CataloguedPatent:
    """One patent of listing's catalogue. ``facts`` or ``patentees_as_of`` are empty
    only while a live change arrived before the registration or restatement that
    introduces the patent."""

    application_number: str
    facts: PatentFacts | None = None
    patentees: tuple[Patentee, ...] = ()
    status: PatentStatus | None = None
    patentees_as_of: datetime | None = None
    status_as_of: datetime | None = None

    @property
    def as_of(self) -> datetime | None:
        """The time of the newest listing event whose facts the view holds."""
        times = [t for t in (self.patentees_as_of, self.status_as_of) if t is not None]
        return max(times) if times else None

    @property
    def known(self) -> bool:
        return self.facts is not None and self.patentees_as_of is not None

    def restate(
        self,
        facts: PatentFacts,
        patentees: tuple[Patentee, ...],
        status: PatentStatus,
        as_of: datetime,
    ) -> bool:
        """Apply a registration or a restatement made at ``as_of``: every fact older
        than it is replaced; True when anything changed."""
        changed = self.facts != facts
        self.facts = facts
        changed = self.change_patentees(patentees, as_of) or changed
        return self.change_status(status, as_of) or changed

    def change_status(self, status: PatentStatus, as_of: datetime) -> bool:
        if self.status_as_of is not None and self.status_as_of >= as_of:
            return False
        self.status, self.status_as_of = status, as_of
        return True

    def change_patentees(self, patentees: tuple[Patentee, ...], as_of: datetime) -> bool:
        if self.patentees_as_of is not None and self.patentees_as_of >= as_of:
            return False
        self.patentees, self.patentees_as_of = patentees, as_of
        return True

    def is_patentee(self, uscc: str | None) -> bool:
        return uscc is not None and any(p.uscc == uscc for p in self.patentees)

    def invalidity(self) -> str | None:
        """Why no licence or transfer may be agreed on the patent now, or None."""
        if self.status is None:
            return None
        if self.status.legal_status != VALID:
            return f"its legal status is {self.status.legal_status}"
        if self.status.suspended:
            return "its procedures are suspended (ownership dispute)"
        if self.status.under_preservation:
            return "it is under court preservation (财产保全)"
        return None
