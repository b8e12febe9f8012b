"""The filings view's use case. Services never commit; the consumer's unit of work does."""

from __future__ import annotations

from registry_sync.filings.commands import RecordFilingFacts
from registry_sync.filings.repository import FilingRepository
from shared.db.uow import UnitOfWork


async def record_filing_facts(uow: UnitOfWork, command: RecordFilingFacts) -> None:
    """Add what an event of license says of a licence or transfer to the view."""
    await FilingRepository(uow.session).record(command, uow.clock.now())
