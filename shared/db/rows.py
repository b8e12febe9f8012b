"""Writing back a row the unit of work has already loaded."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

Row = TypeVar("Row")


async def loaded_row(session: AsyncSession, model: type[Row], key: Any) -> Row | None:
    """The ``model`` row with primary key ``key``: the one this session loaded, when it
    holds it fresh, else read now.

    A repository's ``save`` writes a domain object back into the row its ``get`` read.
    The session keeps the rows it loaded (``shared.db.engine.RowKeepingSession``), so the
    row is in its identity map; ``AsyncSession.get`` would find it there too, but only
    after crossing into SQLAlchemy's greenlet, so the map is read directly. An expired
    row is read again through the session, as ``get`` would, so no attribute is ever
    loaded lazily outside the greenlet."""
    sync = session.sync_session
    found = sync.identity_map.get(sync.identity_key(model, key))
    if found is not None and not inspect(found).expired_attributes:
        return found  # type: ignore[no-any-return]
    return await session.get(model, key)
