"""The scope of a licence (what it covers: kind, term, territory, field of use) and the
rule that an exclusive (独占) or sole (排他) licence leaves no room for another licence
of an overlapping scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.domain.terms import LicenseKind


def _overlap(a: str | None, b: str | None) -> bool:
    # No field of use (or territory) means all of them; two named ones overlap when
    # they are the same words (nothing finer is known about them).
    return a is None or b is None or a.strip() == b.strip()


@dataclass(frozen=True)
class LicenseScope:
    kind: LicenseKind
    start: date
    end: date
    territory: str | None
    field_of_use: str | None

    def overlaps(self, other: LicenseScope) -> bool:
        return (
            self.start <= other.end
            and other.start <= self.end
            and _overlap(self.territory, other.territory)
            and _overlap(self.field_of_use, other.field_of_use)
        )

    def excludes(self, other: LicenseScope) -> bool:
        """One of the two is exclusive or sole and their scopes overlap."""
        exclusive = self.kind is not LicenseKind.ORDINARY or other.kind is not LicenseKind.ORDINARY
        return exclusive and self.overlaps(other)

    def describe(self) -> str:
        return (
            f"{self.kind.value} licence {self.start} – {self.end}, territory "
            f"{self.territory or 'all'}, field of use {self.field_of_use or 'all fields'}"
        )
