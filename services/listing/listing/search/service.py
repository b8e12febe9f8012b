"""Catalogue search: use cases."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import asyncpg

from listing.domain import search
from listing.domain.errors import SearchQueryInvalid
from listing.search.commands import SearchPatents
from listing.search.queries import CatalogueSearch
from shared.domain import InvalidIdentifier
from shared.http.pagination import InvalidCursor


def patent_query(command: SearchPatents) -> search.PatentQuery:
    """The search the command asks for; :class:`SearchQueryInvalid` names what is wrong."""
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
        keywords = search.keywords(command.q) if command.q else []
    except (ValueError, InvalidIdentifier) as exc:
        raise SearchQueryInvalid(str(exc)) from exc
    after = None
    if command.after is not None:
        key, number = command.after
        after = (_sort_key(key, command.sort), number)
    return search.PatentQuery(
        keywords=keywords,
        facets=tuple(frozenset(g) for g in groups if g),
        excluded=frozenset({search.UNEXPLOITED_KEY} if command.unexploited is False else ()),
        price_min=command.price_min,
        price_max=command.price_max,
        sort=command.sort,
        limit=command.limit,
        after=after,
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


async def search_patents(
    catalogue: CatalogueSearch, command: SearchPatents
) -> list[asyncpg.Record]:
    """A page of hits, each with its JSON (``hit``) and its sort key and number for the
    next cursor."""
    return await catalogue.search(patent_query(command))
