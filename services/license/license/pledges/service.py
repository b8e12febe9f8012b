"""Pledge view use cases: learn pledges and pledgees' consents from the pledge service's
events, and tell which pledges stand in a licence's way. Services never commit; the
caller's unit of work does."""

from __future__ import annotations

from collections.abc import Callable

from license.domain.license import PatentLicense
from license.domain.pledge import PledgeeConsent, PledgeView, pledges_without_consent
from license.pledges.commands import RecordPledge, RecordPledgeeConsent, ReleasePledge
from license.pledges.repository import PledgeRepository
from license.repository import LicenseRepository
from shared.db.uow import UnitOfWork


def pledges(uow: UnitOfWork) -> PledgeRepository:
    return PledgeRepository(uow.session, uow.clock)


async def record_pledge(uow: UnitOfWork, command: RecordPledge) -> None:
    """Learn a registration. Each patent's licensing lock (in a fixed order) orders it
    against a negotiated licence or a transfer's recordal checking the pledgees."""
    licensing = LicenseRepository(uow.session, uow.clock)
    for number in sorted(command.application_numbers):
        await licensing.lock_patent_licensing(number)
    await _change_views(
        uow,
        command.pledge_id,
        command.application_numbers,
        lambda view: view.record_registration(
            pledgee_name=command.pledgee_name,
            pledgee_org_id=command.pledgee_org_id,
            open_license_consented=command.open_license_consented,
            registered_on=command.registered_on,
        ),
    )


async def release_pledge(uow: UnitOfWork, command: ReleasePledge) -> None:
    await _change_views(
        uow,
        command.pledge_id,
        command.application_numbers,
        lambda view: view.record_cancellation(command.cancelled_on),
    )


async def _change_views(
    uow: UnitOfWork,
    pledge_id: str,
    application_numbers: tuple[str, ...],
    change: Callable[[PledgeView], None],
) -> None:
    """Apply ``change`` to the pledge's view of each patent, creating the views not
    known yet (a cancellation may arrive before its registration)."""
    repo = pledges(uow)
    existing = await repo.get_views(pledge_id, list(application_numbers))
    for number in application_numbers:
        view = existing.get(number) or PledgeView(pledge_id=pledge_id, application_number=number)
        change(view)
        await repo.save_view(view)


async def record_pledgee_consent(uow: UnitOfWork, command: RecordPledgeeConsent) -> None:
    repo = pledges(uow)
    for number in command.application_numbers:
        await repo.add_consent(
            PledgeeConsent(
                pledge_id=command.pledge_id,
                subject=command.subject,
                counterparty_uscc=command.counterparty_uscc,
                application_number=number,
                pledgee_name=command.pledgee_name,
                recorded_on=command.recorded_on,
            )
        )


async def unconsented_pledges(uow: UnitOfWork, licence: PatentLicense) -> list[PledgeView]:
    """The active pledges on the licence's patent whose pledgee did not consent to it."""
    repo = pledges(uow)
    number = licence.application_number
    active = await repo.active_on(number)
    if not active:
        return []
    return pledges_without_consent(
        active,
        await repo.consents_on(number),
        licensee_uscc=licence.licensee.uscc,
        open_license=licence.declaration_id is not None,
    )
