"""A pledge registration (专利权质押登记) and its life.

::

    draft -> submitted <-> correction_requested
    submitted -> approved -> registered            (registering a submitted pledge approves it)
    submitted | approved -> refused
    registered -> changed -> registered            (amount, term, parties: one change action)
    registered -> cancelled                        (repaid, waived, main contract void)
    registered -> defaulted -> compensation_claimed -> disposal -> realised -> cancelled
    defaulted -> disposal                          (no risk-compensation programme)
    registered -> patent_lapsed -> cancelled
    registered -> suspended -> registered | cancelled
        (an open licence announced before the registration, without the pledgee's consent,
        surfaced after it: the declaration took effect first; the bank's consent or the
        declaration's end lifts the suspension)
"""

from __future__ import annotations

from enum import StrEnum

from pledge.domain.errors import CancellationReasonNotAllowed, InvalidTransition


class PledgeStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CORRECTION_REQUESTED = "correction_requested"
    APPROVED = "approved"
    REFUSED = "refused"
    REGISTERED = "registered"
    CHANGED = "changed"
    DEFAULTED = "defaulted"
    COMPENSATION_CLAIMED = "compensation_claimed"
    DISPOSAL = "disposal"
    REALISED = "realised"
    PATENT_LAPSED = "patent_lapsed"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"


class CancellationReason(StrEnum):
    REPAID = "repaid"
    WAIVED = "waived"
    MAIN_CONTRACT_VOID = "main_contract_void"
    REALISED = "realised"
    PATENT_LAPSED = "patent_lapsed"


S = PledgeStatus
_ALLOWED: dict[PledgeStatus, set[PledgeStatus]] = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.CORRECTION_REQUESTED, S.APPROVED, S.REFUSED, S.REGISTERED},
    S.CORRECTION_REQUESTED: {S.SUBMITTED},
    S.APPROVED: {S.REFUSED, S.REGISTERED},
    S.REFUSED: set(),
    S.REGISTERED: {S.CHANGED, S.CANCELLED, S.DEFAULTED, S.PATENT_LAPSED, S.SUSPENDED},
    S.SUSPENDED: {S.REGISTERED, S.CANCELLED},
    S.CHANGED: {S.REGISTERED},
    S.DEFAULTED: {S.COMPENSATION_CLAIMED, S.DISPOSAL},
    S.COMPENSATION_CLAIMED: {S.DISPOSAL},
    S.DISPOSAL: {S.REALISED},
    S.REALISED: {S.CANCELLED},
    S.PATENT_LAPSED: {S.CANCELLED},
    S.CANCELLED: set(),
}

# Which cancellation reasons each state admits: a realised pledge is cancelled because it
# was realised, not because it was repaid.
_CANCELLATION_REASONS = {
    S.REGISTERED: {
        CancellationReason.REPAID,
        CancellationReason.WAIVED,
        CancellationReason.MAIN_CONTRACT_VOID,
    },
    S.SUSPENDED: {
        CancellationReason.REPAID,
        CancellationReason.WAIVED,
        CancellationReason.MAIN_CONTRACT_VOID,
    },
    S.REALISED: {CancellationReason.REALISED},
    S.PATENT_LAPSED: {CancellationReason.PATENT_LAPSED},
}

# States in which the pledge encumbers its patents (a second pledge is refused).
ENCUMBERING = frozenset(
    {S.REGISTERED, S.SUSPENDED, S.DEFAULTED, S.COMPENSATION_CLAIMED, S.DISPOSAL}
)
# States in which the pledgee may still record a consent.
CONSENTABLE = frozenset(
    {S.SUBMITTED, S.APPROVED, S.REGISTERED, S.SUSPENDED, S.DEFAULTED, S.DISPOSAL}
)


def transition(current: PledgeStatus, target: PledgeStatus) -> PledgeStatus:
    """The next state, or :class:`InvalidTransition` naming both."""
    if target not in _ALLOWED[current]:
        raise InvalidTransition(f"a {current.value} pledge cannot become {target.value}")
    return target


def cancellation(current: PledgeStatus, reason: CancellationReason) -> PledgeStatus:
    """Cancel for ``reason``: the state must allow cancelling and admit that reason."""
    transition(current, S.CANCELLED)
    allowed = _CANCELLATION_REASONS[current]
    if reason not in allowed:
        raise CancellationReasonNotAllowed(
            f"a {current.value} pledge is cancelled as "
            f"{' or '.join(sorted(r.value for r in allowed))}, not {reason.value}",
            allowed=sorted(r.value for r in allowed),
        )
    return S.CANCELLED
