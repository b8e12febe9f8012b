"""The rules of what counts in the outcome funnel and the industrialisation rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from matching.domain.outcome import (
    FactKind,
    Funnel,
    Industrialisation,
    OutcomeFact,
    attributed_deal,
    implemented,
    may_read,
    new_owners,
    pledged_by_owner,
    positive_feedback,
)

pytestmark = pytest.mark.unit

PUSHED_ON = date(2026, 3, 1)
ENTERPRISE = "91440300MA5F000001"
UNIVERSITY = "12110000400000001X"


def _fact(kind: FactKind, on: date, to: str = ENTERPRISE, by: str = UNIVERSITY) -> OutcomeFact:
    return OutcomeFact(kind, "F-1", "201710601862.3", on, (to,), (by,))


@pytest.mark.parametrize(
    ("kind", "to", "on", "counts"),
    [
        (FactKind.LICENSE, ENTERPRISE, PUSHED_ON, True),  # the day of the push counts
        (FactKind.TRANSFER, ENTERPRISE, date(2026, 5, 1), True),
        (FactKind.LICENSE, ENTERPRISE, date(2026, 2, 28), False),  # before the first push
        (FactKind.LICENSE, "91440300MA5F000002", date(2026, 5, 1), False),  # another enterprise
        (FactKind.PLEDGE, ENTERPRISE, date(2026, 5, 1), False),  # not a deal
        (FactKind.IMPLEMENTATION, ENTERPRISE, date(2026, 5, 1), False),
    ],
)
def test_a_deal_is_a_licence_or_transfer_to_the_pushed_enterprise_from_its_first_push(
    kind: FactKind, to: str, on: date, counts: bool
) -> None:
    assert attributed_deal(_fact(kind, on, to=to), ENTERPRISE, PUSHED_ON) is counts


def test_a_pledge_counts_when_an_owner_pledges_after_the_first_push() -> None:
    pledge = _fact(FactKind.PLEDGE, date(2026, 4, 1), to="91110000100000001B")
    assert pledged_by_owner(pledge, [UNIVERSITY, ENTERPRISE], PUSHED_ON)
    assert not pledged_by_owner(pledge, [ENTERPRISE], PUSHED_ON)  # no longer its owner
    assert not pledged_by_owner(pledge, [UNIVERSITY], date(2026, 4, 2))  # before the push
    licence = _fact(FactKind.LICENSE, date(2026, 4, 1))
    assert not pledged_by_owner(licence, [UNIVERSITY], PUSHED_ON)


def test_positive_feedback_is_an_intention_to_implement_or_a_positive_market() -> None:
    assert positive_feedback("yes", "negative")
    assert positive_feedback("undecided", "positive")
    assert not positive_feedback("undecided", "neutral")
    assert not positive_feedback("no", "negative")


def test_a_transfer_counterparty_is_whoever_became_an_owner() -> None:
    assert new_owners([UNIVERSITY], [UNIVERSITY, ENTERPRISE, None]) == (ENTERPRISE,)
    assert new_owners([UNIVERSITY, None], [ENTERPRISE, ENTERPRISE]) == (ENTERPRISE,)
    assert new_owners([UNIVERSITY], [UNIVERSITY]) == ()


def test_licences_transfers_and_implementations_are_implementations_pledges_are_not() -> None:
    assert implemented([_fact(FactKind.PLEDGE, PUSHED_ON), _fact(FactKind.TRANSFER, PUSHED_ON)])
    assert implemented([_fact(FactKind.IMPLEMENTATION, PUSHED_ON)])
    assert not implemented([_fact(FactKind.PLEDGE, PUSHED_ON), _fact(FactKind.ROYALTY, PUSHED_ON)])


def test_conversion_is_each_stage_over_the_one_before_and_none_over_nothing() -> None:
    funnel = Funnel(
        pushed=8, opened=4, positive_feedback=2, deals=1, royalties_paid=0, royalties_cny=Decimal(0)
    )
    assert funnel.conversion() == {
        "opened": 0.5,
        "positive_feedback": 0.5,
        "deal": 0.5,
        "royalties_paid": 0.0,
        "pushed_to_deal": 0.125,
    }
    assert set(Funnel().conversion().values()) == {None}


def test_the_industrialisation_rate_is_implemented_over_inventoried() -> None:
    assert Industrialisation(inventoried=4, implemented=1).rate == 0.25
    assert Industrialisation().rate is None


def test_the_operator_and_regulators_read_all_an_organisation_its_own() -> None:
    assert may_read("operator", None, [])
    assert may_read("regulator", None, [UNIVERSITY])
    assert may_read("university", UNIVERSITY, [UNIVERSITY, ENTERPRISE])
    assert not may_read("university", UNIVERSITY, [ENTERPRISE])
    assert not may_read("enterprise", None, [])
