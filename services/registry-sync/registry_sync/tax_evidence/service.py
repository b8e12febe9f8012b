"""Tax evidence use cases. Services never commit; the caller's unit of work does."""

from __future__ import annotations

from registry_sync.domain.errors import NotAParty
from registry_sync.domain.tax_evidence import TaxEvidence, tax_evidence
from registry_sync.registrations.service import OVERSIGHT
from registry_sync.tax_evidence.repository import RegisteredContracts
from shared.auth import Principal
from shared.db.uow import UnitOfWork
from shared.errors import NotFound


async def get_tax_evidence(
    uow: UnitOfWork, principal: Principal, registration_id: str
) -> TaxEvidence:
    """The evidence of a registered transfer or licence contract, for its parties, the
    operator and regulators."""
    contract = await RegisteredContracts(uow.session).get(registration_id)
    if contract is None:
        raise NotFound(f"technology-contract registration {registration_id} does not exist")
    if principal.org_type not in OVERSIGHT and principal.uscc not in {
        p.uscc for p in contract.parties if p.uscc
    }:
        raise NotAParty("this registration is visible to its seller, buyer, operator and regulator")
    return tax_evidence(contract, uow.clock.now())
