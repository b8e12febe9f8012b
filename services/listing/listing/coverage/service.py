"""Coverage use cases: keep the institutions' holdings as the catalogue changes. The
figures themselves are read fresh at request time (``coverage.queries``)."""

from __future__ import annotations

from listing.coverage.repository import HoldingRepository
from listing.domain.holding import holdings_of
from listing.domain.patent import LegalStatus, Patent
from shared.db.uow import UnitOfWork


async def keep_holdings(uow: UnitOfWork, patent: Patent) -> None:
    """The patent was registered or changed hands: its holdings follow its patentees."""
    await HoldingRepository(uow.session).replace(
        patent.application_number.value, holdings_of(patent)
    )


async def keep_validity(uow: UnitOfWork, patent: Patent) -> None:
    """The patent's legal status changed: coverage counts valid patents only."""
    await HoldingRepository(uow.session).set_valid(
        patent.application_number.value, patent.legal_status is LegalStatus.VALID
    )
