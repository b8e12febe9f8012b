"""The catalogue's read path that bypasses the ORM on purpose."""

from __future__ import annotations

import asyncpg

from listing.search.queries import read_patent
from shared.errors import NotFound


async def patent_json(pool: asyncpg.Pool, application_number: str) -> str:
    """The patent as GET /v1/patents/{n} shows it (schemas.PatentPublic), as JSON text
    written by PostgreSQL on a read-only pool.

    A query, not a use case: no aggregate is loaded, acted on or saved. It is the
    busiest read after search, so it skips the unit of work and the ORM (no decoding,
    validating and encoding of the row again in Python); tests/listing/test_search.py
    holds its JSON to the response schema."""
    found = await read_patent(pool, application_number)
    if found is None:
        raise NotFound(f"patent {application_number} is not in the catalogue")
    return found
