"""Catalogue search: use cases."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import asyncpg

from listing.api import schemas
from listing.domain import search
from listing.domain.errors import SearchQueryInvalid
from listing.repository import CatalogueSearch
from shared.domain import InvalidIdentifier
from shared.http.pagination import InvalidCursor


def patent_query(
    params: schemas.PatentSearchParams, cursor: schemas.SearchPosition | None
) -> search.PatentQuery:
    """The search the parameters ask for; :class:`SearchQueryInvalid` names what is wrong."""
    try:
        groups = [
            {search.ipc_filter_key(v) for v in params.ipc},
            {f"industry:{v}" for v in params.industry},
            {f"region:{v}" for v in params.region},
            {f"type:{v.value}" for v in params.patent_type},
            {f"patentee:{v.value}" for v in params.patentee_type},
            {f"status:{v.value}" for v in params.status},
            {f"mode:{v.value}" for v in params.payment_mode},
        ]
        keywords = search.keywords(params.q) if params.q else []
    except (ValueError, InvalidIdentifier) as exc:
        raise SearchQueryInvalid(str(exc)) from exc
    after = None if cursor is None else (_sort_key(cursor.k, params.sort), cursor.n)
    return search.PatentQuery(
        keywords=keywords,
        facets=tuple(frozenset(g) for g in groups if g),
        price_min=params.price_min,
        price_max=params.price_max,
        sort=params.sort,
        limit=params.limit,
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
    catalogue: CatalogueSearch,
    params: schemas.PatentSearchParams,
    cursor: schemas.SearchPosition | None,
) -> list[asyncpg.Record]:
    return await catalogue.search(patent_query(params, cursor))
