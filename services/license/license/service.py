"""License use cases: load through the repository, apply domain rules, stage events.
Services never commit; the caller's unit of work does."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

from license import filing, mapping, royalties
from license.access import visible_license
from license.api import schemas
from license.domain.declaration import (
    DeclarationStatus,
    DeclarationView,
    LicenseTerms,
    Patentee,
    Publication,
)
from license.domain.errors import (
    LicenseAlreadyHeld,
    NotLicensor,
    NotPartyToPayment,
    PatentUnknown,
    PaymentAlreadyRecorded,
    PledgedWithoutConsent,
)
from license.domain.license import (
    Licensee,
    LicenseStatus,
    PatentLicense,
    Payment,
)
from license.models import (
    DeclarationViewRecord,
    LicensePaymentRecord,
    LicenseRecord,
    PledgeConsentRecord,
    PledgeViewRecord,
)
from license.repository import LicenseRepository
from shared.auth import Principal
from shared.db.uow import UnitOfWork
from shared.domain import today_in_shanghai
from shared.events.schemas import (
    DeclarationPublished,
    OrgRef,
    PledgeeConsentRecorded,
)

# -- declaration view (from listing's events) --------------------------------------------


async def record_declaration_published(uow: UnitOfWork, event: DeclarationPublished) -> None:
    """Learn a declaration or a newer version of its terms; a withdrawal stays."""
    repo = LicenseRepository(uow.session)
    publication = Publication(
        patent_number=event.patent_number,
        patent_type=event.patent_type,
        title=event.title,
        patentees=tuple(Patentee(p.name, p.uscc, p.share, p.party_type) for p in event.patentees),
        terms_version=event.terms_version,
        terms=mapping.terms(event.terms),
        announced_at=event.announced_at,
    )
    record = await repo.get_declaration_view(event.declaration_id, lock="update")
    if record is None:
        view = DeclarationView.published(
            event.declaration_id, event.application_number, publication
        )
        await repo.add_declaration_view(mapping.declaration_view_record(view, event.terms))
        return
    view = mapping.declaration_view(record)
    if view.record_publication(publication):
        mapping.update_declaration_view_record(record, view, event.terms)
        await repo.save(record)


async def record_declaration_withdrawn(
    uow: UnitOfWork, *, declaration_id: str, application_number: str, effective_at: datetime
) -> None:
    """A withdrawal is final, even when it arrives before the publication it withdraws."""
    repo = LicenseRepository(uow.session)
    record = await repo.get_declaration_view(declaration_id, lock="update")
    if record is None:
        view = DeclarationView.withdrawn(declaration_id, application_number, effective_at)
        await repo.add_declaration_view(mapping.declaration_view_record(view, None))
        return
    view = mapping.declaration_view(record)
    if view.record_withdrawal(effective_at):
        record.status = view.status.value
        record.withdrawn_at = view.withdrawn_at
        record.updated_at = datetime.now(UTC)
        await repo.save(record)


async def record_declaration_change(
    uow: UnitOfWork,
    *,
    declaration_id: str,
    application_number: str,
    change: Callable[[DeclarationView], bool],
) -> None:
    """Apply a lapse, expiry, suspension or reinstatement to the view, creating it
    (without terms) if the publication has not arrived yet."""
    repo = LicenseRepository(uow.session)
    record = await repo.get_declaration_view(declaration_id, lock="update")
    if record is None:
        view = DeclarationView(declaration_id, application_number, DeclarationStatus.ANNOUNCED)
        change(view)
        await repo.add_declaration_view(mapping.declaration_view_record(view, None))
        return
    view = mapping.declaration_view(record)
    if change(view):
        record.status = view.status.value
        record.ended_at = view.ended_at
        record.suspension_changed_at = view.suspension_changed_at
        record.updated_at = datetime.now(UTC)
        await repo.save(record)


async def get_declaration(
    uow: UnitOfWork, declaration_id: str
) -> tuple[DeclarationViewRecord, list[PledgeViewRecord]]:
    repo = LicenseRepository(uow.session)
    record = await repo.get_declaration_view(declaration_id)
    if record is None:
        raise mapping.unknown_declaration(declaration_id)
    return record, await repo.active_pledges(record.application_number)


async def record_patent_status(
    uow: UnitOfWork, *, application_number: str, legal_status: str
) -> None:
    await LicenseRepository(uow.session).set_patent_status(application_number, legal_status)


# -- pledge view (from the pledge service's events) -------------------------------------


async def record_pledge(
    uow: UnitOfWork,
    *,
    pledge_id: str,
    application_numbers: list[str],
    pledgee: OrgRef,
    open_license_consented: bool,
    registered_on: date,
) -> None:
    repo = LicenseRepository(uow.session)
    existing = await repo.get_pledge_views(pledge_id, application_numbers)
    for number in application_numbers:
        record = existing.get(number) or PledgeViewRecord(
            pledge_id=pledge_id, application_number=number
        )
        view = mapping.pledge_view(record)
        view.record_registration(
            pledgee_name=pledgee.name,
            pledgee_org_id=pledgee.org_id,
            open_license_consented=open_license_consented,
            registered_on=registered_on,
        )
        await repo.save(mapping.apply_pledge_view(record, view))


async def release_pledge(
    uow: UnitOfWork, *, pledge_id: str, application_numbers: list[str], cancelled_on: date
) -> None:
    repo = LicenseRepository(uow.session)
    existing = await repo.get_pledge_views(pledge_id, application_numbers)
    for number in application_numbers:
        record = existing.get(number) or PledgeViewRecord(
            pledge_id=pledge_id, application_number=number
        )
        view = mapping.pledge_view(record)
        view.record_cancellation(cancelled_on)
        await repo.save(mapping.apply_pledge_view(record, view))


# -- licences ------------------------------------------------------------------------------


async def take_open_license(
    uow: UnitOfWork, principal: Principal, body: schemas.LicenseCreate
) -> LicenseRecord:
    """Accept an announced declaration (取得开放许可) on the terms version in force."""
    repo = LicenseRepository(uow.session)
    # A share lock: acceptances run side by side and only wait for a withdrawal.
    view_record = await repo.get_declaration_view(body.declaration_id, lock="share")
    if view_record is None:
        raise mapping.unknown_declaration(body.declaration_id)
    licence = PatentLicense.take_open_license(
        license_id=str(uuid.uuid4()),
        declaration=mapping.declaration_view(view_record),
        licensee=Licensee(
            org_id=principal.org_id,
            name=principal.org_name,
            uscc=principal.uscc,
            org_type=principal.org_type.value,
        ),
        field_of_use=body.field_of_use,
        contact=body.contact,
        today=today_in_shanghai(),
        patent_status=await repo.patent_status(view_record.application_number),
    )
    assert view_record.terms is not None  # an accepted declaration has its terms
    record = mapping.license_record(licence, view_record.terms)
    if not await repo.add_license(record):
        held = await repo.held_license(body.declaration_id, principal.org_id)
        raise LicenseAlreadyHeld(
            f"{principal.org_name} already holds licence {held.id if held else '(unknown)'} "
            f"under declaration {body.declaration_id}",
            license_id=held.id if held else None,
        )
    if licence.status is LicenseStatus.ACTIVE:
        uow.emit(mapping.license_granted(licence))
    return record


async def record_payment(
    uow: UnitOfWork, principal: Principal, license_id: str, body: schemas.PaymentCreate
) -> tuple[LicenseRecord, list[LicensePaymentRecord]]:
    """Record a payment: reported by the licensee (with its voucher) or confirmed by a
    licensor. The first one activates the licence; one naming a royalty period settles
    (part of) that period's amount due."""
    repo = LicenseRepository(uow.session)
    record, licence = await visible_license(repo, principal, license_id, for_update=True)
    if licence.is_licensee(principal.org_id, principal.uscc):
        role = "licensee"
    elif licence.is_licensor(principal.uscc):
        role = "licensor"
    else:
        raise NotPartyToPayment(
            f"only the licensee of licence {license_id} (reporting its payment) or one of its "
            "licensors (confirming receipt) may record a payment"
        )
    payment = Payment(body.amount.to_money(), body.voucher_reference, body.paid_on)
    activated = licence.record_payment(payment, today_in_shanghai())
    if body.royalty_period_id is not None:
        await royalties.settle(repo, licence, body.royalty_period_id, payment.amount)
    payment_record = LicensePaymentRecord(
        id=str(uuid.uuid4()),
        license_id=record.id,
        amount=payment.amount.amount,
        currency=payment.amount.currency,
        voucher_reference=payment.voucher_reference,
        paid_on=payment.paid_on,
        activated_license=activated,
        recorded_by_org_id=principal.org_id,
        recorded_by_role=role,
        royalty_period_id=body.royalty_period_id,
    )
    if not await repo.add_payment(payment_record):
        raise PaymentAlreadyRecorded(
            f"voucher {payment.voucher_reference} is already recorded for licence {license_id}"
        )
    if activated:
        mapping.apply_license(record, licence)
        await repo.save(record)
        await royalties.open_periods(repo, licence)
        uow.emit(mapping.license_granted(licence))
    return record, await repo.payments_of(record.id)


async def grant_negotiated_license(
    uow: UnitOfWork, principal: Principal, body: schemas.NegotiatedLicenseCreate
) -> LicenseRecord:
    """Record a licence contract a patentee signed on its declared patent (Art. 52):
    ordinary always; exclusive or sole not while a declaration is announced; on a
    pledged patent only with the pledgee's consent to the licence."""
    repo = LicenseRepository(uow.session)
    number = body.application_number
    await repo.lock_patent_licensing(number)
    declarations = [mapping.declaration_view(r) for r in await repo.declarations_of_patent(number)]
    if not declarations:
        raise PatentUnknown(
            f"no open-licence declaration on {number} is known to the license service; "
            "negotiated licences are recorded here for declared patents",
            application_number=number,
        )
    if not declarations[0].is_patentee(principal.uscc):
        raise NotLicensor(
            f"{principal.org_name} is not a patentee of {number}; only its patentee may "
            "record a licence it granted"
        )
    terms = LicenseTerms(
        payment_mode=body.terms.payment_mode,
        term_start=body.terms.term_start,
        term_end=body.terms.term_end,
        lump_sum_fee=body.terms.lump_sum_fee,
        entry_fee=body.terms.entry_fee,
        royalty_base=body.terms.royalty_base.value if body.terms.royalty_base else None,
        royalty_rate=body.terms.royalty_rate,
        payment_schedule=body.terms.payment_schedule,
        territory=body.terms.territory,
    )
    licence = PatentLicense.negotiate(
        license_id=str(uuid.uuid4()),
        declarations=declarations,
        kind=body.kind,
        licensee=Licensee(
            org_id=body.licensee.org_id,
            name=body.licensee.name,
            uscc=body.licensee.uscc,
            org_type=body.licensee.org_type,
        ),
        terms=terms,
        field_of_use=body.field_of_use,
        effective_date=body.effective_date,
        in_force=[mapping.license_from_record(r) for r in await repo.licenses_in_force(number)],
    )
    missing = await filing.unconsented_pledges(repo, licence)
    if missing:
        pledge = missing[0]
        raise PledgedWithoutConsent(
            f"{number} is pledged to {pledge.pledgee_name} (pledge {pledge.pledge_id}); a "
            "licence on a pledged patent needs the pledgee's recorded consent to licensing "
            f"(to any licensee or to {licence.licensee.name})",
            pledge_id=pledge.pledge_id,
        )
    record = mapping.license_record(licence, mapping.terms_json(terms))
    await repo.save(record)
    await royalties.open_periods(repo, licence)
    uow.emit(mapping.license_granted(licence))
    return record


async def record_pledgee_consent(uow: UnitOfWork, event: PledgeeConsentRecorded) -> None:
    repo = LicenseRepository(uow.session)
    for number in event.application_numbers:
        await repo.save(
            PledgeConsentRecord(
                id=str(uuid.uuid4()),
                pledge_id=event.pledge_id,
                application_number=number,
                consent_to=event.consent_to.value,
                counterparty_uscc=event.counterparty_uscc,
                pledgee_name=event.pledgee.name,
                recorded_on=event.recorded_on,
            )
        )


async def get_license(
    uow: UnitOfWork, principal: Principal, license_id: str
) -> tuple[LicenseRecord, list[LicensePaymentRecord]]:
    repo = LicenseRepository(uow.session)
    record, _ = await visible_license(repo, principal, license_id)
    return record, await repo.payments_of(record.id)


async def list_licenses(
    uow: UnitOfWork,
    principal: Principal,
    *,
    limit: int,
    after: tuple[datetime, str] | None,
    application_number: str | None,
    declaration_id: str | None,
    status: LicenseStatus | None,
) -> list[LicenseRecord]:
    viewer = mapping.viewer(principal)
    return await LicenseRepository(uow.session).list_licenses(
        limit=limit,
        after=after,
        visible_to=None if viewer.is_operator else (viewer.org_id, viewer.uscc),
        application_number=application_number,
        declaration_id=declaration_id,
        status=status.value if status else None,
    )
