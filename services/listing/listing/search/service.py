"""Catalogue search: use cases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from listing.domain import search
from listing.domain.errors import CursorForAnotherQuery, SearchQueryInvalid
from listing.search import asked
from listing.search.commands import SearchPatents
from listing.search.queries import CatalogueSearch
from listing.search.relevance import RelevanceSearch
from shared.http.pagination import InvalidCursor


def patent_query(command: SearchPatents) -> search.PatentQuery:
    """The search the command asks for; :class:`SearchQueryInvalid` names what is wrong."""
    keywords = asked.query_keywords(command.q)
    facts, excluded = asked.fact_groups(
        patent_type=command.patent_type,
        patentee_type=command.patentee_type,
        status=command.status,
        payment_mode=command.payment_mode,
        tier=command.tier,
        willingness=command.willingness,
        intended_mode=command.intended_mode,
        unexploited=command.unexploited,
    )
    groups = [*asked.code_groups(command.ipc, command.industry, command.region), *facts]
    asked.check_price_range(command.price_min, command.price_max)
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
        excluded=frozenset(excluded),
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
