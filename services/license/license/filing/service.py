"""Filing (备案) use cases: recording the filing number from CNIPA's notice, and the
deadline watch that reminds the parties before the three months run out and raises
the alarm after. Services never commit; the caller's unit of work does."""

from __future__ import annotations

from datetime import date, timedelta

from license.domain.errors import (
    FilingPledgedWithoutConsent,
    NotPartyToLicense,
    OfficeNumberConflict,
)
from license.domain.filing_deadline import FilingAlert
from license.domain.license import PatentLicense
from license.filing.commands import RecordFiling, RecordOfficeFiling, SendFilingAlerts
from license.licenses.service import licensee_ref, licenses, licensor_refs, visible_license
from license.pledges.service import unconsented_pledges
from shared.auth import Principal
from shared.db.uow import UnitOfWork
from shared.errors import NotFound
from shared.events.schemas import LicenseFiled, LicenseFilingDue, LicenseFilingOverdue


async def record_filing(
    uow: UnitOfWork, principal: Principal, command: RecordFiling
) -> PatentLicense:
    """The licensor or the licensee enters the filing number from the filing notice."""
    repo = licenses(uow)
    license_id = command.license_id
    licence = await visible_license(repo, principal, license_id, for_update=True)
    if not (
        licence.is_licensee(principal.org_id, principal.uscc) or licence.is_licensor(principal.uscc)
    ):
        raise NotPartyToLicense(
            f"only the licensee or a licensor of licence {license_id} records its filing"
        )
    missing = await unconsented_pledges(uow, licence)
    if missing:
        pledge = missing[0]
        raise FilingPledgedWithoutConsent(
            f"{licence.application_number} is pledged to {pledge.pledgee_name} (pledge "
            f"{pledge.pledge_id}); a licence on a pledged patent is filed only with the "
            "pledgee's recorded consent to the licence",
            pledge_id=pledge.pledge_id,
        )
    await _file(uow, licence, command.filing_number, command.filed_on)
    return licence


async def record_office_filing(uow: UnitOfWork, command: RecordOfficeFiling) -> None:
    """The patent office filed a licence the platform submitted (registry-sync): recorded
    as a party's entry is. Already filed with this number: nothing to do; with another
    (entered by hand): the first stays and :class:`OfficeNumberConflict` says so. No
    pledgee check: registry-sync submits licences in force, which license granted only
    with the consents they needed, and the office's filing is the fact."""
    licence = await licenses(uow).get_license(command.license_id, for_update=True)
    if licence is None:
        raise NotFound(f"licence {command.license_id} does not exist")
    if licence.filing_number is not None:
        if licence.filing_number == command.filing_number:
            return
        raise OfficeNumberConflict(
            f"licence {licence.id} is filed as {licence.filing_number}; the patent office "
            f"reports filing {command.filing_number}: the first stays"
        )
    await _file(uow, licence, command.filing_number, command.filed_on)


async def _file(
    uow: UnitOfWork, licence: PatentLicense, filing_number: str, filed_on: date
) -> None:
    repo = licenses(uow)
    late = licence.file(filing_number, filed_on, uow.clock.today())
    await repo.save_license(licence)
    assert licence.filing_deadline is not None  # an active licence has its deadline
    uow.emit(
        LicenseFiled(
            license_id=licence.id,
            application_number=licence.application_number,
            patent_number=licence.patent_number,
            kind=licence.kind,
            licensors=licensor_refs(licence),
            licensee=licensee_ref(licence),
            filing_number=filing_number,
            filed_on=filed_on,
            filing_deadline=licence.filing_deadline,
            late=late,
        )
    )


async def send_filing_alerts(uow: UnitOfWork, command: SendFilingAlerts) -> int:
    """Emit the reminders and alarms owed today; each licence's once, even with several
    instances watching: the rows are locked (others skipped) and ``filing_alert`` moves
    forward in the same transaction as the event. Returns how many were sent."""
    repo = licenses(uow)
    today = command.today
    sent = 0
    owed = await repo.licenses_needing_filing_alert(
        notice_until=today + timedelta(days=command.notice_days), today=today, limit=command.limit
    )
    for licence in owed:
        alert = licence.next_filing_alert(today, command.notice_days)
        if alert is None:
            continue
        assert licence.effective_date is not None
        assert licence.filing_deadline is not None
        about = {
            "license_id": licence.id,
            "application_number": licence.application_number,
            "licensors": licensor_refs(licence),
            "licensee": licensee_ref(licence),
            "effective_date": licence.effective_date,
            "filing_deadline": licence.filing_deadline,
        }
        if alert is FilingAlert.DUE:
            days_left = (licence.filing_deadline - today).days
            uow.emit(LicenseFilingDue(**about, days_left=days_left))
        else:
            uow.emit(LicenseFilingOverdue(**about))
        licence.filing_alert = alert
        await repo.save_license(licence)
        sent += 1
    return sent
