"""What came of the matches: the facts other services published about a patent (a
licence, a transfer, a pledge, a royalty, an implementation) and the rules by which
they count in the funnel and in an institution's industrialisation rate.

The figures themselves are computed in SQL over many rows (``outcomes/queries.py``); the
SQL applies exactly these rules, which the unit tests pin down and ``docs/matching.md``
states for the people who read the figures.

The funnel counts **pairs** (a patent and an enterprise it was pushed to):

- *pushed*: the patent was pushed to the enterprise at least once;
- *opened*: the enterprise opened one of those pushes;
- *positive feedback*: its feedback says it would implement the patent, or judges the
  market positive;
- *deal*: a licence (any kind) to the enterprise, or a transfer making it an owner,
  effective on or after the day of the first push of the patent to it (Asia/Shanghai);
  a licence to an enterprise never pushed the patent, or one that took effect before,
  is not the platform's doing and does not count;
- *royalties paid*: royalties reported on those licences (the licence's amounts due).

Each stage is a fact about the pair on its own (an enterprise may license a patent it
never gave feedback on), so a stage may rarely count more pairs than the one before.
Beside the pairs, a pushed patent pledged by one of its owners on or after its first
push counts as *pledged*.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class FactKind(StrEnum):
    LICENSE = "license"
    TRANSFER = "transfer"
    PLEDGE = "pledge"
    ROYALTY = "royalty"
    # An implementation listing recorded by listing (实施登记): a patent put to use.
    IMPLEMENTATION = "implementation"


DEAL_KINDS = frozenset({FactKind.LICENSE, FactKind.TRANSFER})
# What makes an inventoried patent count as industrialised (产业化): used by someone,
# whoever its counterparty and whenever it happened.
IMPLEMENTATION_KINDS = frozenset({FactKind.LICENSE, FactKind.TRANSFER, FactKind.IMPLEMENTATION})


@dataclass(frozen=True)
class OutcomeFact:
    """One fact about one patent. ``(kind, fact_id, application_number)`` is unique: the
    same licence, transfer, pledge or royalty period published again stays one fact."""

    kind: FactKind
    fact_id: str
    application_number: str
    effective_on: date
    # Who received: the licensee, the new owners, the pledgee.
    counterparty_usccs: tuple[str, ...] = ()
    # Who gave: the licensors, the previous owners, the pledgor.
    party_usccs: tuple[str, ...] = ()
    amount_cny: Decimal | None = None
    # A royalty's licence (its ``fact_id``).
    license_id: str | None = None


def new_owners(previous: Iterable[str | None], current: Iterable[str | None]) -> tuple[str, ...]:
    """The USCCs a transfer made owners: in ``current`` and not in ``previous``."""
    before = {u for u in previous if u}
    return tuple(dict.fromkeys(u for u in current if u and u not in before))


def positive_feedback(will_implement: str, market_evaluation: str) -> bool:
    return will_implement == "yes" or market_evaluation == "positive"


def attributed_deal(fact: OutcomeFact, enterprise_uscc: str, first_pushed_on: date) -> bool:
    """A licence or transfer to the enterprise that took effect on or after the day the
    patent was first pushed to it."""
    return (
        fact.kind in DEAL_KINDS
        and enterprise_uscc in fact.counterparty_usccs
        and fact.effective_on >= first_pushed_on
    )


def pledged_by_owner(fact: OutcomeFact, owner_usccs: Iterable[str], first_pushed_on: date) -> bool:
    """A pledge of a pushed patent by one of its owners (as matching knows them now),
    registered on or after the patent's first push."""
    return (
        fact.kind is FactKind.PLEDGE
        and bool(set(fact.party_usccs) & set(owner_usccs))
        and fact.effective_on >= first_pushed_on
    )


def implemented(facts: Iterable[OutcomeFact]) -> bool:
    return any(f.kind in IMPLEMENTATION_KINDS for f in facts)


def ratio(part: int, whole: int) -> float | None:
    """``part / whole``, or None when there is nothing to divide by."""
    return None if whole == 0 else part / whole


@dataclass(frozen=True)
class Funnel:
    """The funnel's counts over some pushes (one patent's, one institution's, one
    campaign's)."""

    pushed: int = 0
    opened: int = 0
    positive_feedback: int = 0
    licensed: int = 0
    transferred: int = 0
    deals: int = 0  # pairs licensed or transferred (a pair with both counts once)
    royalties_paid: int = 0  # pairs whose attributed licences reported royalties
    royalties_cny: Decimal = Decimal("0")
    patents_pushed: int = 0
    pledged_patents: int = 0

    def conversion(self) -> dict[str, float | None]:
        """Each stage over the one before it, and deals over pushes."""
        return {
            "opened": ratio(self.opened, self.pushed),
            "positive_feedback": ratio(self.positive_feedback, self.opened),
            "deal": ratio(self.deals, self.positive_feedback),
            "royalties_paid": ratio(self.royalties_paid, self.deals),
            "pushed_to_deal": ratio(self.deals, self.pushed),
        }


@dataclass(frozen=True)
class Industrialisation:
    """An institution's inventoried patents, and how many of them were put to use."""

    inventoried: int = 0
    implemented: int = 0

    @property
    def rate(self) -> float | None:
        return ratio(self.implemented, self.inventoried)


# Who reads every figure; an institution reads those of its own patents only.
OVERSIGHT = frozenset({"operator", "regulator"})


def may_read(reader_type: str, reader_uscc: str | None, owner_usccs: Iterable[str]) -> bool:
    """The operator and regulators read everything; another organisation the figures of
    an institution (or a patent) whose USCC (one of whose owners' USCCs) is its own."""
    return reader_type in OVERSIGHT or (reader_uscc is not None and reader_uscc in owner_usccs)
