"""Catalogue search: use cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg

from listing.api import schemas
from listing.domain import search
from listing.domain.errors import SearchQueryInvalid
from listing.repository import CatalogueSearch
from shared.domain import InvalidIdentifier


def patent_query(
    params: schemas.PatentSearchParams, cursor: dict[str, Any] | None
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
    after: tuple[date | Decimal, str] | None = None
    if cursor is not None:
        raw, number = cursor.get("k"), str(cursor.get("n"))
        try:
            value: date | Decimal = (
                Decimal(str(raw))
                if params.sort is search.SortOrder.PRICE_ASC
                else date.fromisoformat(str(raw))
            )
        except (ValueError, ArithmeticError) as exc:
            raise SearchQueryInvalid("the cursor does not belong to this sort order") from exc
        after = (value, number)
    return search.PatentQuery(
        keywords=keywords,
        facets=tuple(frozenset(g) for g in groups if g),
        price_min=params.price_min,
        price_max=params.price_max,
        sort=params.sort,
        limit=params.limit,
        after=after,
    )


async def search_patents(
    catalogue: CatalogueSearch,
    params: schemas.PatentSearchParams,
    cursor: dict[str, Any] | None,
) -> list[asyncpg.Record]:
    return await catalogue.search(patent_query(params, cursor))
