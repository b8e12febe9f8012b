"""What other services' events tell listing about a patent: pledges and licences."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
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
    effective_from: date | None = None
    # Set once the pledge was cancelled or the licence ended; the row stays as history.
    released_at: datetime | None = None


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


# A pledgee's consent to a transfer names its transferee, or any one (an empty name).
ANY_COUNTERPARTY = ""


def consents_to_transfer(consented_to: Iterable[str], transferees: Iterable[str | None]) -> bool:
    """Whether a pledgee's recorded consents (the transferees each names) cover a
    transfer to these transferees: a pledged patent changes hands only with it."""
    allowed = {ANY_COUNTERPARTY, *transferees}
    return any(c in allowed for c in consented_to)
