"""Filing (备案) use cases: recording the filing number from CNIPA's notice, and the
deadline watch that reminds the parties before the three months run out and raises
the alarm after. Services never commit; the caller's unit of work does."""

from __future__ import annotations

from datetime import date, timedelta

from license import mapping
from license.access import visible_license
from license.api import schemas
from license.domain.errors import FilingPledgedWithoutConsent, NotPartyToLicense
from license.domain.license import FilingAlert, PatentLicense
from license.domain.pledge import PledgeView, pledges_without_consent
from license.models import LicenseRecord
from license.repository import LicenseRepository
from shared.auth import Principal
from shared.db.uow import UnitOfWork
from shared.domain import today_in_shanghai
from shared.events.schemas import LicenseFiled, LicenseFilingDue, LicenseFilingOverdue


async def unconsented_pledges(repo: LicenseRepository, licence: PatentLicense) -> list[PledgeView]:
    """The active pledges on the licence's patent whose pledgee did not consent to it."""
    number = licence.application_number
    pledges = [mapping.pledge_view(r) for r in await repo.active_pledges(number)]
    if not pledges:
        return []
    consents = [mapping.consent(r) for r in await repo.consents_on(number)]
    return pledges_without_consent(
        pledges,
        consents,
        licensee_uscc=licence.licensee.uscc,
        open_license=licence.declaration_id is not None,
    )


async def record_filing(
    uow: UnitOfWork, principal: Principal, license_id: str, body: schemas.FilingCreate
) -> LicenseRecord:
    """The licensor or the licensee enters the filing number from the filing notice."""
    repo = LicenseRepository(uow.session)
    record, licence = await visible_license(repo, principal, license_id, for_update=True)
    if not (
        licence.is_licensee(principal.org_id, principal.uscc) or licence.is_licensor(principal.uscc)
    ):
        raise NotPartyToLicense(
            f"only the licensee or a licensor of licence {license_id} records its filing"
        )
    missing = await unconsented_pledges(repo, licence)
    if missing:
        pledge = missing[0]
        raise FilingPledgedWithoutConsent(
            f"{licence.application_number} is pledged to {pledge.pledgee_name} (pledge "
            f"{pledge.pledge_id}); a licence on a pledged patent is filed only with the "
            "pledgee's recorded consent to the licence",
            pledge_id=pledge.pledge_id,
        )
    late = licence.file(body.filing_number, body.filed_on, today_in_shanghai())
    mapping.apply_license(record, licence)
    await repo.save(record)
    assert licence.filing_deadline is not None  # an active licence has its deadline
    uow.emit(
        LicenseFiled(
            license_id=licence.id,
            application_number=licence.application_number,
            patent_number=licence.patent_number,
            kind=licence.kind,
            licensors=mapping.licensor_refs(licence),
            licensee=mapping.licensee_ref(licence),
            filing_number=body.filing_number,
            filed_on=body.filed_on,
            filing_deadline=licence.filing_deadline,
            late=late,
        )
    )
    return record


async def send_filing_alerts(uow: UnitOfWork, *, today: date, notice_days: int, limit: int) -> int:
    """Emit the reminders and alarms owed today; each licence's once, even with several
    instances watching: the rows are locked (others skipped) and ``filing_alert`` moves
    forward in the same transaction as the event. Returns how many were sent."""
    repo = LicenseRepository(uow.session)
    sent = 0
    records = await repo.licenses_needing_filing_alert(
        notice_until=today + timedelta(days=notice_days), today=today, limit=limit
    )
    for record in records:
        licence = mapping.license_from_record(record)
        alert = licence.next_filing_alert(today, notice_days)
        if alert is None:
            continue
        assert licence.effective_date is not None
        assert licence.filing_deadline is not None
        if alert is FilingAlert.DUE:
            uow.emit(
                LicenseFilingDue(
                    license_id=licence.id,
                    application_number=licence.application_number,
                    licensors=mapping.licensor_refs(licence),
                    licensee=mapping.licensee_ref(licence),
                    effective_date=licence.effective_date,
                    filing_deadline=licence.filing_deadline,
                    days_left=(licence.filing_deadline - today).days,
                )
            )
        else:
            uow.emit(
                LicenseFilingOverdue(
                    license_id=licence.id,
                    application_number=licence.application_number,
                    licensors=mapping.licensor_refs(licence),
                    licensee=mapping.licensee_ref(licence),
                    effective_date=licence.effective_date,
                    filing_deadline=licence.filing_deadline,
                )
            )
        licence.filing_alert = alert
        mapping.apply_license(record, licence)
        await repo.save(record)
        sent += 1
    return sent
