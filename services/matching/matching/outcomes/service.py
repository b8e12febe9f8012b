"""The outcomes area's use cases: keep each fact other services published about a
patent, for the funnel and the industrialisation rate (domain/outcome.py).

A fact is kept whether or not matching ever pushed the patent: attribution is decided
when the figures are read, so a push recorded after the fact (events across services
arrive in no particular order) is still judged against it.
"""

from __future__ import annotations

from matching.domain.outcome import FactKind, OutcomeFact, new_owners
from matching.outcomes.commands import (
    CreditInventory,
    RecordImplementation,
    RecordLicense,
    RecordPledge,
    RecordRoyalty,
    RecordTransfer,
)
from matching.outcomes.repository import InventoryingInstitutions, OutcomeFactRepository
from shared.db.uow import UnitOfWork


def _usccs(*values: str | None) -> tuple[str, ...]:
    return tuple(v for v in values if v)


async def _keep(uow: UnitOfWork, *facts: OutcomeFact) -> None:
    await OutcomeFactRepository(uow.session).save(list(facts), uow.clock.now())


async def record_license(uow: UnitOfWork, command: RecordLicense) -> None:
    await _keep(
        uow,
        OutcomeFact(
            kind=FactKind.LICENSE,
            fact_id=command.license_id,
            application_number=command.application_number,
            effective_on=command.effective_on,
            counterparty_usccs=_usccs(command.licensee_uscc),
            party_usccs=_usccs(*command.licensor_usccs),
            amount_cny=command.contract_value,
        ),
    )


async def record_royalty(uow: UnitOfWork, command: RecordRoyalty) -> None:
    """A royalty reported for one period of a licence; reported again, the period's
    amount is replaced, not added."""
    await _keep(
        uow,
        OutcomeFact(
            kind=FactKind.ROYALTY,
            fact_id=command.period_id,
            application_number=command.application_number,
            effective_on=command.period_end,
            amount_cny=command.amount_due,
            license_id=command.license_id,
        ),
    )


async def record_transfer(uow: UnitOfWork, command: RecordTransfer) -> None:
    await _keep(
        uow,
        OutcomeFact(
            kind=FactKind.TRANSFER,
            fact_id=command.transfer_id,
            application_number=command.application_number,
            effective_on=command.effective_on,
            counterparty_usccs=new_owners(command.previous_owner_usccs, command.owner_usccs),
            party_usccs=_usccs(*command.previous_owner_usccs),
        ),
    )


async def record_pledge(uow: UnitOfWork, command: RecordPledge) -> None:
    """One fact per pledged patent; the amount is the whole pledge's secured amount."""
    await _keep(
        uow,
        *(
            OutcomeFact(
                kind=FactKind.PLEDGE,
                fact_id=command.pledge_id,
                application_number=number,
                effective_on=command.registered_on,
                counterparty_usccs=_usccs(command.pledgee_uscc),
                party_usccs=_usccs(command.pledgor_uscc),
                amount_cny=command.secured_amount,
            )
            for number in dict.fromkeys(command.application_numbers)
        ),
    )


async def record_implementation(uow: UnitOfWork, command: RecordImplementation) -> None:
    await _keep(
        uow,
        OutcomeFact(
            kind=FactKind.IMPLEMENTATION,
            fact_id=command.implementation_id,
            application_number=command.application_number,
            effective_on=command.recorded_on,
        ),
    )


async def credit_inventory(uow: UnitOfWork, command: CreditInventory) -> None:
    await InventoryingInstitutions(uow.session).credit(
        command.application_number,
        command.institution_uscc,
        command.institution_name,
        uow.clock.now(),
    )
