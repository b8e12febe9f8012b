"""A repository's save writes into the row its load read, without reading it again."""

from __future__ import annotations

import gc

import httpx
from sqlalchemy import event

from listing.catalogue.repository import PatentRepository
from listing.config import ListingSettings
from shared.auth import OrgType
from shared.db.engine import create_engine, create_session_factory
from tests.listing.test_declarations import register
from tests.support.stack import org


async def test_saving_a_loaded_patent_reads_it_once(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    number = await register(listing_client, listing_settings, org(OrgType.UNIVERSITY, "复旦大学"))
    engine = create_engine(listing_settings.database_url, 1)
    statements: list[str] = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement.split()[0])

    try:
        async with create_session_factory(engine)() as session, session.begin():
            patents = PatentRepository(session)
            patent = await patents.get_for_update(number)
            assert patent is not None
            gc.collect()  # the row is referenced by nothing of ours now
            patent.suspended = True
            await patents.save(patent)
            await session.flush()
    finally:
        await engine.dispose()
    assert statements.count("SELECT") == 1, statements
    assert "UPDATE" in statements
