"""The pledge state machine: pure domain, no infrastructure."""

from __future__ import annotations

import itertools

import pytest

from pledge.domain.errors import CancellationReasonNotAllowed, InvalidTransition
from pledge.domain.pledge import CancellationReason, PledgeStatus, cancellation, transition

S = PledgeStatus
R = CancellationReason

PATHS = [
    [S.DRAFT, S.SUBMITTED, S.CORRECTION_REQUESTED, S.SUBMITTED, S.APPROVED, S.REGISTERED],
    [S.SUBMITTED, S.REFUSED],
    [S.SUBMITTED, S.APPROVED, S.REFUSED],
    [S.REGISTERED, S.CHANGED, S.REGISTERED, S.CANCELLED],
    [S.REGISTERED, S.DEFAULTED, S.COMPENSATION_CLAIMED, S.DISPOSAL, S.REALISED, S.CANCELLED],
    [S.REGISTERED, S.DEFAULTED, S.DISPOSAL],
    [S.REGISTERED, S.PATENT_LAPSED, S.CANCELLED],
]


@pytest.mark.parametrize("path", PATHS)
def test_the_documented_paths_are_allowed(path: list[PledgeStatus]) -> None:
    for current, target in itertools.pairwise(path):
        assert transition(current, target) is target


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.REFUSED, S.SUBMITTED),
        (S.CANCELLED, S.REGISTERED),
        (S.CORRECTION_REQUESTED, S.APPROVED),
        (S.DEFAULTED, S.CANCELLED),
        (S.DISPOSAL, S.CANCELLED),
        (S.SUBMITTED, S.DEFAULTED),
        (S.CHANGED, S.CANCELLED),
    ],
)
def test_anything_else_names_both_states(current: PledgeStatus, target: PledgeStatus) -> None:
    with pytest.raises(InvalidTransition, match=f"{current.value}.*{target.value}"):
        transition(current, target)


@pytest.mark.parametrize(
    ("state", "reason", "allowed"),
    [
        (S.REGISTERED, R.REPAID, True),
        (S.REGISTERED, R.WAIVED, True),
        (S.REGISTERED, R.MAIN_CONTRACT_VOID, True),
        (S.REGISTERED, R.REALISED, False),
        (S.REALISED, R.REALISED, True),
        (S.REALISED, R.REPAID, False),
        (S.PATENT_LAPSED, R.PATENT_LAPSED, True),
        (S.PATENT_LAPSED, R.WAIVED, False),
    ],
)
def test_each_state_admits_its_own_cancellation_reasons(
    state: PledgeStatus, reason: CancellationReason, allowed: bool
) -> None:
    if allowed:
        assert cancellation(state, reason) is S.CANCELLED
    else:
        with pytest.raises(CancellationReasonNotAllowed):
            cancellation(state, reason)
