"""Pledges (专利权质押) on patents as the license service knows them, from the pledge
service's events. While a patent is pledged, a licence on it (and its filing, 备案)
needs the pledgee's consent: the consent given at registration for open licences, or
a ``PledgeeConsentRecorded`` naming licences (optionally for one licensee only).

A cancellation is final: registered after it (a late or re-driven event), the pledge
stays cancelled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from shared.domain.terms import ConsentSubject


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


@dataclass(frozen=True)
class PledgeeConsent:
    """A pledgee's recorded written consent (质权人同意) on one pledged patent."""

    pledge_id: str
    subject: ConsentSubject
    counterparty_uscc: str | None = None
    # Where and by whom it was recorded (kept for the record; the rules do not read them).
    application_number: str | None = None
    pledgee_name: str | None = None
    recorded_on: date | None = None

    def allows(self, subject: ConsentSubject, licensee_uscc: str | None) -> bool:
        if self.subject is not subject:
            return False
        return self.counterparty_uscc is None or self.counterparty_uscc == licensee_uscc


def pledges_without_consent(
    pledges: Iterable[PledgeView],
    consents: Iterable[PledgeeConsent],
    *,
    licensee_uscc: str | None,
    open_license: bool,
) -> list[PledgeView]:
    """The active pledges whose pledgee has not consented to this licence.

    Any licence is allowed by a consent to licences naming the licensee or no one. An
    open licence is also allowed by the pledgee's consent to the open-licence
    declaration (given at registration or recorded later): the declaration offers
    licences to anyone on the same terms.
    """
    by_pledge: dict[str, list[PledgeeConsent]] = {}
    for consent in consents:
        by_pledge.setdefault(consent.pledge_id, []).append(consent)
    missing: list[PledgeView] = []
    for pledge in pledges:
        if not pledge.active:
            continue
        given = by_pledge.get(pledge.pledge_id, [])
        allowed = any(c.allows(ConsentSubject.LICENSE, licensee_uscc) for c in given)
        if open_license:
            allowed = allowed or pledge.open_license_consented
            allowed = allowed or any(c.subject is ConsentSubject.OPEN_LICENSE for c in given)
        if not allowed:
            missing.append(pledge)
    return missing
