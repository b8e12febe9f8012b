"""How a licence ends (许可终止): expiry, termination and rescission (解除).

``ended_on`` is the first day the licence is no longer in force: a licence is in force
through ``ended_on - 1``. An expired licence ends the day after its ``term_end``; a
termination or a rescission names its day, which may not lie before the licence took
effect (ending on that day means it never ran), after today (an end is recorded once it
has happened), or after the day the licence would have expired anyway.

Termination is by agreement: the licensee and a licensor each record their consent
naming the same end date and reason, and the licence ends with the second. The licensee
of an open licence may also give it up alone (Patent Law Art. 51 grants the licence to
whoever notifies and pays; nothing binds the licensee to keep it): its notice ends it.

Rescission is for breach: a licensor rescinds citing a breach of this licence recorded
in the breach register, or a court judgment or arbitral award; the operator rescinds on
a court judgment. The licensee never rescinds here (its remedy against a licensor is
mediation or the courts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from license.domain.errors_endings import (
    LicenseAlreadyEnded,
    LicenseEndDateInvalid,
    LicenseNotInForce,
    RescissionGroundInvalid,
    TerminationNotAllowed,
    TerminationTermsDiffer,
)
from license.domain.license import ENDED_STATES, IN_FORCE_STATES, LicenseStatus, PatentLicense

# What ``end_reason`` says of a licence that expired.
TERM_ENDED = "term_ended"


class TerminationReason(StrEnum):
    AGREEMENT = "agreement"
    LICENSEE_GIVES_UP = "licensee_gives_up"


class PartyRole(StrEnum):
    LICENSOR = "licensor"
    LICENSEE = "licensee"


class RescissionGroundKind(StrEnum):
    BREACH = "breach"
    JUDGMENT = "judgment"
    ARBITRAL_AWARD = "arbitral_award"


@dataclass(frozen=True)
class TerminationConsent:
    """One party's consent to end the licence on ``ended_on`` for ``reason``."""

    role: PartyRole
    org_id: str
    name: str
    ended_on: date
    reason: TerminationReason
    note: str | None
    recorded_at: datetime

    def agrees_with(self, other: TerminationConsent) -> bool:
        return (self.ended_on, self.reason) == (other.ended_on, other.reason)


@dataclass(frozen=True)
class RescissionGround:
    """What a rescission cites: a breach id of the register, or a case number."""

    kind: RescissionGroundKind
    reference: str

    @property
    def end_reason(self) -> str:
        return f"{self.kind.value}:{self.reference}"


def expiry_date(term_end: date) -> date:
    """The first day an expiring licence is no longer in force."""
    return term_end + timedelta(days=1)


def check_end_date(ended_on: date, *, effective_date: date, term_end: date, today: date) -> None:
    """``ended_on`` (the first day no longer in force) must lie between the licence's
    effect and today, and not after the day it would have expired anyway."""
    if ended_on < effective_date:
        raise LicenseEndDateInvalid(
            f"ended_on {ended_on} is before the licence took effect ({effective_date}); "
            "ended_on is the first day the licence is no longer in force"
        )
    if ended_on > today:
        raise LicenseEndDateInvalid(
            f"ended_on {ended_on} is after today ({today}); an end is recorded once it "
            "has taken effect"
        )
    latest = expiry_date(term_end)
    if ended_on > latest:
        raise LicenseEndDateInvalid(
            f"ended_on {ended_on} is after {latest}, the day the licence expires by itself "
            f"(its term ends on {term_end})"
        )


def expire(licence: PatentLicense, today: date) -> bool:
    """End a licence in force whose term ended before ``today``; True if it did."""
    if licence.status not in IN_FORCE_STATES or licence.term_end is None:
        return False
    if today <= licence.term_end:
        return False
    licence.end(LicenseStatus.EXPIRED, expiry_date(licence.term_end), TERM_ENDED)
    return True


def consent_to_termination(
    licence: PatentLicense, consent: TerminationConsent, today: date
) -> bool:
    """Record one party's consent to terminate; True when the licence ended with it
    (the licensee giving up an open licence, or the second side agreeing)."""
    check_in_force(licence)
    if consent.reason is TerminationReason.LICENSEE_GIVES_UP and (
        consent.role is not PartyRole.LICENSEE or licence.declaration_id is None
    ):
        raise TerminationNotAllowed(
            "reason_code licensee_gives_up: only the licensee of an open licence ends it "
            f"alone (Patent Law Art. 51); licence {licence.id} ends by agreement of both parties"
        )
    _check_end_date(licence, consent.ended_on, today)
    if consent.reason is TerminationReason.LICENSEE_GIVES_UP:
        licence.termination_consents = (consent,)
        licence.end(LicenseStatus.TERMINATED, consent.ended_on, consent.reason.value, consent.note)
        return True
    other = [c for c in licence.termination_consents if c.role is not consent.role]
    if other and not other[0].agrees_with(consent):
        raise TerminationTermsDiffer(
            f"the {other[0].role.value} {other[0].name} consented to end licence {licence.id} "
            f"on {other[0].ended_on} ({other[0].reason.value}); consent to the same "
            f"ended_on and reason_code, not {consent.ended_on} ({consent.reason.value})"
        )
    # A party consenting again replaces its own earlier consent.
    licence.termination_consents = (*other, consent)
    if not other:
        return False
    licence.end(LicenseStatus.TERMINATED, consent.ended_on, consent.reason.value)
    return True


def rescind(
    licence: PatentLicense,
    ground: RescissionGround,
    ended_on: date,
    today: date,
    *,
    note: str | None,
    by_operator: bool,
) -> None:
    """Rescind (解除) for breach; the caller checked that a cited breach is this
    licence's. The operator acts on a court judgment only."""
    check_in_force(licence)
    if by_operator and ground.kind is not RescissionGroundKind.JUDGMENT:
        raise RescissionGroundInvalid(
            "ground.kind: the operator rescinds a licence on a court judgment (judgment) "
            f"only, not on {ground.kind.value}"
        )
    _check_end_date(licence, ended_on, today)
    licence.end(LicenseStatus.RESCINDED, ended_on, ground.end_reason, note)


def check_in_force(licence: PatentLicense) -> None:
    """Only a licence in force ends: 409 for one already ended or never in effect."""
    if licence.status in ENDED_STATES:
        raise LicenseAlreadyEnded(
            f"licence {licence.id} is already {licence.status.value} (no longer in force "
            f"from {licence.ended_on})",
            ended_on=str(licence.ended_on),
        )
    if licence.status not in IN_FORCE_STATES:
        raise LicenseNotInForce(
            f"licence {licence.id} is {licence.status.value}: it never took effect, so it "
            "cannot end"
        )


def _check_end_date(licence: PatentLicense, ended_on: date, today: date) -> None:
    assert licence.effective_date is not None  # a licence in force has both
    assert licence.term_end is not None
    check_end_date(
        ended_on, effective_date=licence.effective_date, term_end=licence.term_end, today=today
    )
