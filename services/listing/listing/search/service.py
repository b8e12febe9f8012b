"""Catalogue search: use cases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from listing.domain import search
from listing.domain.errors import CursorForAnotherQuery, SearchQueryInvalid
from listing.search.commands import SearchPatents
from listing.search.queries import CatalogueSearch
from listing.search.relevance import RelevanceSearch
from shared.domain import InvalidIdentifier
from shared.http.pagination import InvalidCursor


def patent_query(command: SearchPatents) -> search.PatentQuery:
    """The search the command asks for; :class:`SearchQueryInvalid` names what is wrong."""
    if command.q is not None and not command.q.strip():
        raise SearchQueryInvalid("give keywords, or leave q out", "q")
    try:
        groups = [
            {search.ipc_filter_key(v) for v in command.ipc},
            {f"industry:{v}" for v in command.industry},
            {f"region:{v}" for v in command.region},
            {f"type:{v.value}" for v in command.patent_type},
            {f"patentee:{v.value}" for v in command.patentee_type},
            {f"status:{v.value}" for v in command.status},
            {f"mode:{v.value}" for v in command.payment_mode},
            {f"tier:{v.value}" for v in command.tier},
            {f"willing:{v.value}" for v in command.willingness},
            {f"intended:{v.value}" for v in command.intended_mode},
            {search.UNEXPLOITED_KEY} if command.unexploited else set(),
        ]
    except (ValueError, InvalidIdentifier) as exc:
        raise SearchQueryInvalid(str(exc), "ipc") from exc
    try:
        keywords = search.keywords(command.q) if command.q else []
    except ValueError as exc:
        raise SearchQueryInvalid(str(exc), "q") from exc
    if (
        command.price_min is not None
        and command.price_max is not None
        and command.price_min > command.price_max
    ):
        raise SearchQueryInvalid("the minimum price is above the maximum", "price_min")
    sort = command.sort
    if sort is None:
        sort = search.SortOrder.RELEVANCE if keywords else search.SortOrder.NEWEST
    if sort is search.SortOrder.RELEVANCE and not keywords:
        raise SearchQueryInvalid("sorting by relevance needs keywords (q)", "sort")
    after = None
    if command.after is not None:
        key, number = command.after
        after = (_sort_key(key, sort), number)
    return search.PatentQuery(
        keywords=keywords,
        facets=tuple(frozenset(g) for g in groups if g),
        excluded=frozenset({search.UNEXPLOITED_KEY} if command.unexploited is False else ()),
        price_min=command.price_min,
        price_max=command.price_max,
        sort=sort,
        limit=command.limit,
        after=after,
        offset=command.offset,
    )


# A price as the catalogue stores it (numeric(18, 2)).
_PRICE = re.compile(r"[0-9]{1,16}(\.[0-9]{1,2})?")


def _sort_key(text: str, sort: search.SortOrder) -> date | Decimal:
    """The cursor's sort key as ``sort`` orders by it."""
    if sort is search.SortOrder.PRICE_ASC:
        if _PRICE.fullmatch(text):
            return Decimal(text)
    else:
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise InvalidCursor(f"the cursor does not belong to sort order {sort.value}")


@dataclass(frozen=True)
class PatentPage:
    """A page of hits as JSON text (PatentHit), and where the next page starts: after
    (sort key, application number), or at an offset (relevance); None on the last page."""

    hits: list[str]
    fingerprint: str
    after: tuple[str, str] | None = None
    offset: int | None = None


async def search_patents(
    catalogue: CatalogueSearch, relevance: RelevanceSearch, command: SearchPatents
) -> PatentPage:
    """A page of hits: by relevance from the engine, by date or price from PostgreSQL.
    :class:`CursorForAnotherQuery` when the cursor came from another search."""
    query = patent_query(command)
    fingerprint = query.fingerprint()
    if command.fingerprint is not None and command.fingerprint != fingerprint:
        raise CursorForAnotherQuery()
    if query.sort is search.SortOrder.RELEVANCE:
        hits = await relevance.search(query)
        more = len(hits) == query.limit and query.offset + query.limit < search.MAX_REACHABLE
        offset = query.offset + query.limit if more else None
        return PatentPage(hits, fingerprint, offset=offset)
    rows = await catalogue.search(query)
    after = None
    if len(rows) == query.limit:
        last = rows[-1]
        by_price = query.sort is search.SortOrder.PRICE_ASC
        key = last["offer_price"] if by_price else last["filing_date"]
        after = (str(key), last["application_number"])
    return PatentPage([r["hit"] for r in rows], fingerprint, after=after)
