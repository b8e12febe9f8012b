"""Pledges (专利权质押) on patents as the license service knows them, from the pledge
service's events. While a patent is pledged, a licence on it needs the pledgee's
consent; this view is what that rule will read.

A cancellation is final: registered after it (a late or re-driven event), the pledge
stays cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass
class PledgeView:
    """One pledged patent of one pledge (a portfolio pledge has one per patent)."""

    pledge_id: str
    application_number: str
    pledgee_name: str | None = None
    pledgee_org_id: str | None = None
    open_license_consented: bool = False
    registered_on: date | None = None
    cancelled_on: date | None = None

    @property
    def active(self) -> bool:
        return self.registered_on is not None and self.cancelled_on is None

    def record_registration(
        self,
        *,
        pledgee_name: str,
        pledgee_org_id: str | None,
        open_license_consented: bool,
        registered_on: date,
    ) -> None:
        self.pledgee_name = pledgee_name
        self.pledgee_org_id = pledgee_org_id
        self.open_license_consented = open_license_consented
        self.registered_on = registered_on

    def record_cancellation(self, cancelled_on: date) -> None:
        if self.cancelled_on is None or cancelled_on < self.cancelled_on:
            self.cancelled_on = cancelled_on
