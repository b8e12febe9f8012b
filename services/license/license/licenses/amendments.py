"""Changes to a licence's terms agreed outside the licence's own flow: a mediation
settlement's new royalty rate. Services never commit; the caller's unit of work does."""

from __future__ import annotations

from license.domain.royalty import RoyaltyRateAmendment
from license.licenses.service import licenses
from shared.db.uow import UnitOfWork
from shared.events.schemas import LicenseTermsAmended


async def amend_royalty_rate(
    uow: UnitOfWork, license_id: str, amendment: RoyaltyRateAmendment
) -> None:
    """Keep the new rate on the licence, move its royalty periods from
    ``effective_from`` that are not yet reported to it, and announce it."""
    repo = licenses(uow)
    # The licence first, then its periods: the order reports and payments lock them in.
    licence = await repo.get_license(license_id, for_update=True)
    assert licence is not None  # a mediation case is opened on a licence that exists
    licence.amend_royalty_rate(amendment)
    await repo.save_license(licence)
    for period in await repo.unreported_royalty_periods_from(license_id, amendment.effective_from):
        period.amend_rate(amendment.royalty_rate)
        await repo.save_royalty_period(period)
    uow.emit(
        LicenseTermsAmended(
            license_id=license_id,
            application_number=licence.application_number,
            mediation_case_id=amendment.mediation_case_id,
            royalty_rate=amendment.royalty_rate,
            effective_from=amendment.effective_from,
        )
    )
