"""The inventory upload's one read outside its batches: which institution a name or USCC
the operator gives stands for. A query on the read pool (no aggregate is loaded)."""

from __future__ import annotations

import asyncpg

from listing.domain.patent import PartyType
from listing.uploads.rows import Institution


async def institutions_named(pool: asyncpg.Pool, named: str) -> list[Institution]:
    """The institutions holding catalogued patents whose USCC or exact name is ``named``
    (more than one: the name is ambiguous)."""
    rows = await pool.fetch(
        "SELECT DISTINCT ON (uscc) uscc, name, party_type FROM institution_holdings"
        " WHERE uscc = $1 OR name = $1 ORDER BY uscc LIMIT 5",
        named.strip(),
    )
    return [Institution(r["uscc"], r["name"], PartyType(r["party_type"])) for r in rows]
