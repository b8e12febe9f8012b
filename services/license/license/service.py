"""License use cases: load through the repository, apply domain rules, stage events.
Services never commit; the caller's unit of work does."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from license.api import schemas
from license.domain.declaration import (
    DeclarationStatus,
    DeclarationView,
    LicenseTerms,
    Patentee,
    Publication,
)
from license.domain.errors import (
    DeclarationUnknown,
    LicenseAlreadyHeld,
    NotLicensee,
    NotPartyToLicense,
    PaymentAlreadyRecorded,
)
from license.domain.license import (
    Licensee,
    LicenseStatus,
    PatentLicense,
    Payment,
    Viewer,
)
from license.domain.pledge import PledgeView
from license.models import (
    DeclarationViewRecord,
    LicensePaymentRecord,
    LicenseRecord,
    PledgeViewRecord,
)
from license.repository import LicenseRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.domain import today_in_shanghai
from shared.errors import NotFound
from shared.events.schemas import (
    DeclarationPublished,
    LicenseGranted,
    LicenseKind,
    OpenLicenseTerms,
    OrgRef,
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
        terms=_terms(event.terms),
        announced_at=event.announced_at,
    )
    record = await repo.get_declaration_view(event.declaration_id, lock="update")
    if record is None:
        view = DeclarationView.published(
            event.declaration_id, event.application_number, publication
        )
        await repo.add_declaration_view(_declaration_view_record(view, event.terms))
        return
    view = _declaration_view(record)
    if view.record_publication(publication):
        _update_declaration_view_record(record, view, event.terms)
        await repo.save(record)


async def record_declaration_withdrawn(
    uow: UnitOfWork, *, declaration_id: str, application_number: str, effective_at: datetime
) -> None:
    """A withdrawal is final, even when it arrives before the publication it withdraws."""
    repo = LicenseRepository(uow.session)
    record = await repo.get_declaration_view(declaration_id, lock="update")
    if record is None:
        view = DeclarationView.withdrawn(declaration_id, application_number, effective_at)
        await repo.add_declaration_view(_declaration_view_record(view, None))
        return
    view = _declaration_view(record)
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
        await repo.add_declaration_view(_declaration_view_record(view, None))
        return
    view = _declaration_view(record)
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
        raise _unknown(declaration_id)
    return record, await repo.active_pledges(record.application_number)


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
        view = _pledge_view(record)
        view.record_registration(
            pledgee_name=pledgee.name,
            pledgee_org_id=pledgee.org_id,
            open_license_consented=open_license_consented,
            registered_on=registered_on,
        )
        await repo.save(_apply_pledge_view(record, view))


async def release_pledge(
    uow: UnitOfWork, *, pledge_id: str, application_numbers: list[str], cancelled_on: date
) -> None:
    repo = LicenseRepository(uow.session)
    existing = await repo.get_pledge_views(pledge_id, application_numbers)
    for number in application_numbers:
        record = existing.get(number) or PledgeViewRecord(
            pledge_id=pledge_id, application_number=number
        )
        view = _pledge_view(record)
        view.record_cancellation(cancelled_on)
        await repo.save(_apply_pledge_view(record, view))


# -- licences ------------------------------------------------------------------------------


async def take_open_license(
    uow: UnitOfWork, principal: Principal, body: schemas.LicenseCreate
) -> LicenseRecord:
    """Accept an announced declaration (取得开放许可) on the terms version in force."""
    repo = LicenseRepository(uow.session)
    # A share lock: acceptances run side by side and only wait for a withdrawal.
    view_record = await repo.get_declaration_view(body.declaration_id, lock="share")
    if view_record is None:
        raise _unknown(body.declaration_id)
    licence = PatentLicense.take_open_license(
        license_id=str(uuid.uuid4()),
        declaration=_declaration_view(view_record),
        licensee=Licensee(
            org_id=principal.org_id,
            name=principal.org_name,
            uscc=principal.uscc,
            org_type=principal.org_type.value,
        ),
        field_of_use=body.field_of_use,
        contact=body.contact,
        today=today_in_shanghai(),
    )
    assert view_record.terms is not None  # an accepted declaration has its terms
    record = _license_record(licence, view_record.terms)
    if not await repo.add_license(record):
        held = await repo.held_license(body.declaration_id, principal.org_id)
        raise LicenseAlreadyHeld(
            f"{principal.org_name} already holds licence {held.id if held else '(unknown)'} "
            f"under declaration {body.declaration_id}",
            license_id=held.id if held else None,
        )
    if licence.status is LicenseStatus.ACTIVE:
        uow.emit(_license_granted(licence))
    return record


async def record_payment(
    uow: UnitOfWork, principal: Principal, license_id: str, body: schemas.PaymentCreate
) -> tuple[LicenseRecord, list[LicensePaymentRecord]]:
    """Record the licensee's payment; the first one activates the licence."""
    repo = LicenseRepository(uow.session)
    record = await repo.get_license(license_id, for_update=True)
    if record is None:
        raise _license_not_found(license_id)
    licence = _license(record)
    if principal.org_id != licence.licensee.org_id:
        raise NotLicensee(f"only the licensee of licence {license_id} may report its payments")
    payment = Payment(body.amount.to_money(), body.voucher_reference, body.paid_on)
    activated = licence.record_payment(payment, today_in_shanghai())
    payment_record = LicensePaymentRecord(
        id=str(uuid.uuid4()),
        license_id=record.id,
        amount=payment.amount.amount,
        currency=payment.amount.currency,
        voucher_reference=payment.voucher_reference,
        paid_on=payment.paid_on,
        activated_license=activated,
        recorded_by_org_id=principal.org_id,
    )
    if not await repo.add_payment(payment_record):
        raise PaymentAlreadyRecorded(
            f"voucher {payment.voucher_reference} is already recorded for licence {license_id}"
        )
    if activated:
        _apply_license(record, licence)
        await repo.save(record)
        uow.emit(_license_granted(licence))
    return record, await repo.payments_of(record.id)


async def get_license(
    uow: UnitOfWork, principal: Principal, license_id: str
) -> tuple[LicenseRecord, list[LicensePaymentRecord]]:
    repo = LicenseRepository(uow.session)
    record = await repo.get_license(license_id)
    if record is None:
        raise _license_not_found(license_id)
    if not _license(record).may_be_seen_by(_viewer(principal)):
        raise NotPartyToLicense(
            f"licence {license_id} may be seen by its licensee, its licensors and the operator"
        )
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
    viewer = _viewer(principal)
    return await LicenseRepository(uow.session).list_licenses(
        limit=limit,
        after=after,
        visible_to=None if viewer.is_operator else (viewer.org_id, viewer.uscc),
        application_number=application_number,
        declaration_id=declaration_id,
        status=status.value if status else None,
    )


# -- mapping between records, domain objects and events ----------------------------------


def _unknown(declaration_id: str) -> DeclarationUnknown:
    return DeclarationUnknown(
        f"declaration {declaration_id} is not known to the license service: it was never "
        "announced, or its announcement has not reached this service yet",
        declaration_id=declaration_id,
    )


def _license_not_found(license_id: str) -> NotFound:
    return NotFound(f"licence {license_id} does not exist")


def _viewer(principal: Principal) -> Viewer:
    return Viewer(
        org_id=principal.org_id,
        uscc=principal.uscc,
        is_operator=principal.org_type is OrgType.OPERATOR,
    )


def _terms(terms: OpenLicenseTerms) -> LicenseTerms:
    return LicenseTerms(
        payment_mode=terms.payment_mode,
        term_start=terms.term_start,
        term_end=terms.term_end,
        lump_sum_fee=terms.lump_sum_fee,
        entry_fee=terms.entry_fee,
        royalty_base=terms.royalty_base,
        royalty_rate=terms.royalty_rate,
        payment_schedule=terms.payment_schedule,
        territory=terms.territory,
        currency=terms.currency,
    )


def _terms_from_json(raw: dict[str, Any]) -> LicenseTerms:
    return _terms(OpenLicenseTerms.model_validate(raw))


def _patentees_json(patentees: tuple[Patentee, ...]) -> list[dict[str, Any]]:
    return [
        {"name": p.name, "uscc": p.uscc, "share": str(p.share), "party_type": p.party_type}
        for p in patentees
    ]


def _patentees(raw: list[dict[str, Any]]) -> tuple[Patentee, ...]:
    return tuple(
        Patentee(
            name=p["name"],
            uscc=p.get("uscc"),
            share=Decimal(p.get("share", "100")),
            party_type=p.get("party_type", "university"),
        )
        for p in raw
    )


def _declaration_view(record: DeclarationViewRecord) -> DeclarationView:
    return DeclarationView(
        declaration_id=record.declaration_id,
        application_number=record.application_number,
        status=DeclarationStatus(record.status),
        patent_number=record.patent_number,
        patent_type=record.patent_type,
        title=record.title,
        patentees=_patentees(record.patentees),
        terms_version=record.terms_version,
        terms=_terms_from_json(record.terms) if record.terms is not None else None,
        announced_at=record.announced_at,
        withdrawn_at=record.withdrawn_at,
        ended_at=record.ended_at,
        suspension_changed_at=record.suspension_changed_at,
    )


def _declaration_view_record(
    view: DeclarationView, terms: OpenLicenseTerms | None
) -> DeclarationViewRecord:
    record = DeclarationViewRecord(
        declaration_id=view.declaration_id,
        application_number=view.application_number,
        status=view.status.value,
    )
    _update_declaration_view_record(record, view, terms)
    return record


def _update_declaration_view_record(
    record: DeclarationViewRecord, view: DeclarationView, terms: OpenLicenseTerms | None
) -> None:
    record.status = view.status.value
    record.patent_number = view.patent_number
    record.patent_type = view.patent_type
    record.title = view.title
    record.patentees = _patentees_json(view.patentees)
    record.terms_version = view.terms_version
    # The event's own JSON is kept, so a licence copies the terms exactly as announced.
    record.terms = terms.model_dump(mode="json") if terms is not None else record.terms
    record.announced_at = view.announced_at
    record.withdrawn_at = view.withdrawn_at
    record.updated_at = datetime.now(UTC)


def _pledge_view(record: PledgeViewRecord) -> PledgeView:
    return PledgeView(
        pledge_id=record.pledge_id,
        application_number=record.application_number,
        pledgee_name=record.pledgee_name,
        pledgee_org_id=record.pledgee_org_id,
        open_license_consented=record.open_license_consented,
        registered_on=record.registered_on,
        cancelled_on=record.cancelled_on,
    )


def _apply_pledge_view(record: PledgeViewRecord, view: PledgeView) -> PledgeViewRecord:
    record.pledgee_name = view.pledgee_name
    record.pledgee_org_id = view.pledgee_org_id
    record.open_license_consented = view.open_license_consented
    record.registered_on = view.registered_on
    record.cancelled_on = view.cancelled_on
    record.active = view.active
    record.updated_at = datetime.now(UTC)
    return record


def _license(record: LicenseRecord) -> PatentLicense:
    return PatentLicense(
        id=record.id,
        application_number=record.application_number,
        patent_number=record.patent_number,
        kind=LicenseKind(record.kind),
        licensors=_patentees(record.licensors),
        licensee=Licensee(
            org_id=record.licensee_org_id,
            name=record.licensee_name,
            uscc=record.licensee_uscc,
            org_type=record.licensee_org_type,
        ),
        terms=_terms_from_json(record.terms),
        declaration_id=record.declaration_id,
        terms_version=record.terms_version,
        field_of_use=record.field_of_use,
        contact=record.contact,
        status=LicenseStatus(record.status),
        effective_date=record.effective_date,
        term_end=record.term_end,
        filing_deadline=record.filing_deadline,
    )


def _license_record(licence: PatentLicense, terms: dict[str, Any]) -> LicenseRecord:
    record = LicenseRecord(
        id=licence.id,
        declaration_id=licence.declaration_id,
        application_number=licence.application_number,
        patent_number=licence.patent_number,
        kind=licence.kind.value,
        status=licence.status.value,
        terms_version=licence.terms_version,
        terms=dict(terms),
        licensors=_patentees_json(licence.licensors),
        licensor_usccs=[p.uscc for p in licence.licensors if p.uscc],
        licensee_org_id=licence.licensee.org_id,
        licensee_name=licence.licensee.name,
        licensee_uscc=licence.licensee.uscc,
        licensee_org_type=licence.licensee.org_type,
        field_of_use=licence.field_of_use,
        contact=licence.contact,
        contract_value=licence.contract_value,
    )
    _apply_license(record, licence)
    return record


def _apply_license(record: LicenseRecord, licence: PatentLicense) -> None:
    now = datetime.now(UTC)
    if licence.status is LicenseStatus.ACTIVE and record.activated_at is None:
        record.activated_at = now
    record.status = licence.status.value
    record.effective_date = licence.effective_date
    record.term_end = licence.term_end
    record.filing_deadline = licence.filing_deadline
    record.updated_at = now


def _license_granted(licence: PatentLicense) -> LicenseGranted:
    # Activation sets all three together.
    assert licence.effective_date is not None
    assert licence.term_end is not None
    assert licence.filing_deadline is not None
    return LicenseGranted(
        license_id=licence.id,
        application_number=licence.application_number,
        patent_number=licence.patent_number,
        kind=licence.kind,
        declaration_id=licence.declaration_id,
        terms_version=licence.terms_version,
        licensors=[OrgRef(name=p.name, uscc=p.uscc) for p in licence.licensors],
        licensee=OrgRef(
            org_id=licence.licensee.org_id, name=licence.licensee.name, uscc=licence.licensee.uscc
        ),
        field_of_use=licence.field_of_use,
        effective_date=licence.effective_date,
        term_end=licence.term_end,
        filing_deadline=licence.filing_deadline,
        contract_value=licence.contract_value,
        currency=licence.terms.currency,
    )
