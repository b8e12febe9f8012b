"""What other services' events tell listing about a patent: pledges and licences."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EncumbranceKind(StrEnum):
    PLEDGE = "pledge"
    EXCLUSIVE_LICENSE = "exclusive_license"
    SOLE_LICENSE = "sole_license"


@dataclass(frozen=True)
class Encumbrance:
    kind: EncumbranceKind
    reference_id: str
    holder: str
    open_license_consented: bool = False


@dataclass(frozen=True)
class EncumbranceView:
    """The encumbrances in force on one patent."""

    active: tuple[Encumbrance, ...] = ()

    def exclusive_or_sole_licence(self) -> Encumbrance | None:
        kinds = (EncumbranceKind.EXCLUSIVE_LICENSE, EncumbranceKind.SOLE_LICENSE)
        return next((e for e in self.active if e.kind in kinds), None)

    def pledge_without_consent(self) -> Encumbrance | None:
        return next(
            (
                e
                for e in self.active
                if e.kind is EncumbranceKind.PLEDGE and not e.open_license_consented
            ),
            None,
        )
