"""What a search asks for, read alike by every search (patents, supply listings, needs):
its keywords, its filters as facet-key groups and its price range.
:class:`SearchQueryInvalid` names the parameter that is wrong."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

from listing.domain import search
from listing.domain.errors import SearchQueryInvalid
from shared.domain import InvalidIdentifier


def query_keywords(q: str | None) -> list[search.Keyword]:
    """The keywords of ``q`` (none when it is absent)."""
    if q is None:
        return []
    if not q.strip():
        raise SearchQueryInvalid("give keywords, or leave q out", "q")
    try:
        return search.keywords(q)
    except ValueError as exc:
        raise SearchQueryInvalid(str(exc), "q") from exc


def code_groups(
    ipc: Iterable[str], industry: Iterable[str], region: Iterable[str]
) -> list[set[str]]:
    """IPC, industry and region prefixes: one group each (any value of a group matches)."""
    try:
        ipc_keys = {search.ipc_filter_key(v) for v in ipc}
    except (ValueError, InvalidIdentifier) as exc:
        raise SearchQueryInvalid(str(exc), "ipc") from exc
    return [ipc_keys, {f"industry:{v}" for v in industry}, {f"region:{v}" for v in region}]


def fact_groups(
    *,
    patent_type: Iterable[StrEnum] = (),
    patentee_type: Iterable[StrEnum] = (),
    status: Iterable[StrEnum] = (),
    payment_mode: Iterable[StrEnum] = (),
    tier: Iterable[StrEnum] = (),
    willingness: Iterable[StrEnum] = (),
    intended_mode: Iterable[StrEnum] = (),
    unexploited: bool | None = None,
) -> tuple[list[set[str]], set[str]]:
    """The catalogue's facts of a patent as groups, and the keys a hit must not have
    (``unexploited=false``)."""
    groups = [
        {f"type:{v.value}" for v in patent_type},
        {f"patentee:{v.value}" for v in patentee_type},
        {f"status:{v.value}" for v in status},
        {f"mode:{v.value}" for v in payment_mode},
        {f"tier:{v.value}" for v in tier},
        {f"willing:{v.value}" for v in willingness},
        {f"intended:{v.value}" for v in intended_mode},
        {search.UNEXPLOITED_KEY} if unexploited else set(),
    ]
    excluded = {search.UNEXPLOITED_KEY} if unexploited is False else set()
    return groups, excluded


def check_price_range(price_min: Decimal | None, price_max: Decimal | None) -> None:
    if price_min is not None and price_max is not None and price_min > price_max:
        raise SearchQueryInvalid("the minimum price is above the maximum", "price_min")
