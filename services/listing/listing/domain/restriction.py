"""Credit restrictions (信用监管) as listing learns them from the license service's
events: a party restricted by a credit record may not declare open licences, gets no
open-licence annual-fee reduction, and its supply listings wait for the operator.

The view is order-proof: a lift for a record never seen imposed is kept, so a late
imposition of that record stays lifted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass
class PartyRestriction:
    record_id: str
    party_uscc: str
    party_name: str
    restricted_from: date | None = None
    restricted_until: date | None = None
    lifted: bool = False

    def impose(self, restricted_from: date, restricted_until: date) -> None:
        self.restricted_from = restricted_from
        self.restricted_until = restricted_until

    def lift(self) -> None:
        self.lifted = True

    def in_force(self, today: date) -> bool:
        if self.lifted or self.restricted_from is None or self.restricted_until is None:
            return False
        return self.restricted_from <= today <= self.restricted_until
