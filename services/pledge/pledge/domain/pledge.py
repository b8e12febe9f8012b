"""A pledge registration (专利权质押登记) and its life."""

from __future__ import annotations

from enum import StrEnum

from pledge.domain.errors import InvalidTransition


class PledgeStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REGISTERED = "registered"
    CANCELLED = "cancelled"


class CancellationReason(StrEnum):
    REPAID = "repaid"
    WAIVED = "waived"
    MAIN_CONTRACT_VOID = "main_contract_void"


_ALLOWED = {
    PledgeStatus.DRAFT: {PledgeStatus.SUBMITTED},
    PledgeStatus.SUBMITTED: {PledgeStatus.REGISTERED},
    PledgeStatus.REGISTERED: {PledgeStatus.CANCELLED},
    PledgeStatus.CANCELLED: set(),
}


def transition(current: PledgeStatus, target: PledgeStatus) -> PledgeStatus:
    """The next state, or :class:`InvalidTransition` naming both."""
    if target not in _ALLOWED[current]:
        raise InvalidTransition(f"a {current.value} pledge cannot become {target.value}")
    return target
