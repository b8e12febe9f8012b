"""Tax evidence use cases. Services never commit; the caller's unit of work does."""

from __future__ import annotations

from registry_sync.domain.tax_evidence import TaxEvidence, tax_evidence
from registry_sync.registrations.service import get_registration
from shared.auth import Principal
from shared.db.uow import UnitOfWork


async def get_tax_evidence(
    uow: UnitOfWork, principal: Principal, registration_id: str
) -> TaxEvidence:
    """The evidence of a registered transfer or licence contract, for those who see the
    registration: its parties, the operator and regulators."""
    registration = await get_registration(uow, principal, registration_id)
    return tax_evidence(registration, uow.clock.now())
