"""Licence use cases: taking an open licence, recording its payments, recording a
negotiated licence, and reading licences. Load through the repositories, apply the
domain rules, save, stage events; services never commit, the caller's unit of work does.

A licence is its parties' business: its licensee, its licensors and the operator see it
(``PatentLicense.may_be_seen_by``). Anyone else asking for one, or acting on one, gets
the 404 an id that does not exist gets, word for word, so licence ids cannot be probed;
a caller who sees the licence but may not do what it asks (a licensor reporting
royalties) gets its 403 from the use case.
"""

from __future__ import annotations

import uuid
from datetime import date

from license.catalogue.repository import CatalogueRepository
from license.declarations.service import declarations
from license.domain.catalogue import VALID
from license.domain.declaration import LicenseTerms, Patentee
from license.domain.errors import (
    ConflictsWithLicenceInForce,
    LicenseAlreadyHeld,
    NotLicensor,
    NotPartyToPayment,
    PatentUnknown,
    PaymentAlreadyRecorded,
    PledgedWithoutConsent,
    declaration_unknown,
    royalty_period_unknown,
)
from license.domain.errors_deals import PatentNotValid
from license.domain.license import Licensee, LicenseStatus, PatentLicense, Viewer
from license.domain.payment import LicensePayment, PayerRole, Payment
from license.domain.royalty import RoyaltyPeriodState
from license.licenses.commands import (
    GrantNegotiatedLicense,
    ListLicenses,
    RecordPayment,
    TakeOpenLicense,
)
from license.pledges.service import unconsented_pledges
from license.repository import LicenseRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.domain.terms import LicenseKind
from shared.errors import NotFound
from shared.events.schemas import LicenseGranted, OrgRef


def licenses(uow: UnitOfWork) -> LicenseRepository:
    return LicenseRepository(uow.session, uow.clock)


def viewer(principal: Principal) -> Viewer:
    return Viewer(
        org_id=principal.org_id,
        uscc=principal.uscc,
        is_operator=principal.org_type is OrgType.OPERATOR,
    )


async def visible_license(
    repo: LicenseRepository, principal: Principal, license_id: str, *, for_update: bool = False
) -> PatentLicense:
    """The licence, if ``principal`` may know it exists; 404 otherwise."""
    licence = await repo.get_license(license_id, for_update=for_update)
    if licence is None or not licence.may_be_seen_by(viewer(principal)):
        raise NotFound(f"licence {license_id} does not exist")
    return licence


async def take_open_license(
    uow: UnitOfWork, principal: Principal, command: TakeOpenLicense
) -> PatentLicense:
    """Accept an announced declaration (取得开放许可) on the terms version in force."""
    repo = licenses(uow)
    views = declarations(uow)
    # A share lock: acceptances run side by side and only wait for a withdrawal.
    declaration = await views.get(command.declaration_id, lock="share")
    if declaration is None:
        raise declaration_unknown(command.declaration_id)
    licence = PatentLicense.take_open_license(
        license_id=str(uuid.uuid4()),
        declaration=declaration,
        licensee=Licensee(
            org_id=principal.org_id,
            name=principal.org_name,
            uscc=principal.uscc,
            org_type=principal.org_type.value,
        ),
        field_of_use=command.field_of_use,
        contact=command.contact,
        today=uow.clock.today(),
        patent_status=await CatalogueRepository(uow.session).legal_status(
            declaration.application_number
        ),
    )
    await _no_exclusive_in_force(repo, licence)
    if not await repo.add_license(licence):
        held = await repo.held_license(command.declaration_id, principal.org_id)
        raise LicenseAlreadyHeld(
            f"{principal.org_name} already holds licence {held.id if held else '(unknown)'} "
            f"under declaration {command.declaration_id}",
            license_id=held.id if held else None,
        )
    if licence.status is LicenseStatus.ACTIVE:
        uow.emit(license_granted(licence))
    return licence


async def _no_exclusive_in_force(repo: LicenseRepository, licence: PatentLicense) -> None:
    """An open licence is refused beside an exclusive or sole licence in force of an
    overlapping scope. Such a licence can only have been signed while this service had
    not yet heard of the declaration (the two crossed): listing suspends the declaration
    when it hears of the licence, and until then no one takes an open licence under it.
    Acceptances share the patent's licensing lock, so they run side by side and only
    wait for a negotiated licence being recorded."""
    await repo.lock_patent_licensing(licence.application_number, shared=True)
    for held in await repo.licenses_in_force(licence.application_number):
        if held.scope().excludes(licence.scope()):
            raise ConflictsWithLicenceInForce(
                f"the {held.scope().describe()} of licence {held.id} is in force on "
                f"{licence.application_number}; an exclusive or sole licence excludes an "
                "open licence of an overlapping scope (term, territory and field of use)"
            )


async def record_payment(
    uow: UnitOfWork, principal: Principal, command: RecordPayment
) -> tuple[PatentLicense, list[LicensePayment]]:
    """Record a payment: reported by the licensee (with its voucher) or confirmed by a
    licensor. The first one activates the licence; one naming a royalty period settles
    (part of) that period's amount due."""
    repo = licenses(uow)
    license_id = command.license_id
    licence = await visible_license(repo, principal, license_id, for_update=True)
    if licence.is_licensee(principal.org_id, principal.uscc):
        role = PayerRole.LICENSEE
    elif licence.is_licensor(principal.uscc):
        role = PayerRole.LICENSOR
    else:
        raise NotPartyToPayment(
            f"only the licensee of licence {license_id} (reporting its payment) or one of its "
            "licensors (confirming receipt) may record a payment"
        )
    payment = command.payment
    activated = licence.record_payment(
        payment, uow.clock.today(), for_period=command.royalty_period_id is not None
    )
    if command.royalty_period_id is not None:
        await _settle(repo, licence, command.royalty_period_id, payment)
    recorded = LicensePayment(
        id=str(uuid.uuid4()),
        license_id=licence.id,
        payment=payment,
        activated_license=activated,
        recorded_by_org_id=principal.org_id,
        recorded_by_role=role,
        royalty_period_id=command.royalty_period_id,
        recorded_at=uow.clock.now(),
    )
    if not await repo.add_payment(recorded):
        raise PaymentAlreadyRecorded(
            f"voucher {payment.voucher_reference} is already recorded for licence {license_id}"
        )
    if activated:
        await _took_effect(uow, repo, licence)
    return licence, await repo.payments_of(licence.id)


async def grant_negotiated_license(
    uow: UnitOfWork, principal: Principal, command: GrantNegotiatedLicense
) -> PatentLicense:
    """Record a licence contract a patentee signed on its patent (Art. 52): ordinary
    always; exclusive or sole not while a declaration is announced; on a pledged patent
    only with the pledgee's consent to the licence. The patentees are the catalogue's
    (listing's patents), or for a patent the catalogue does not know yet, its newest
    declaration's."""
    number = command.application_number
    await licenses(uow).lock_patent_licensing(number)
    known = await declarations(uow).of_patent(number)
    patent = await CatalogueRepository(uow.session).get(number, lock="share")
    if patent is not None and patent.known:
        assert patent.facts is not None
        patent_number, patentees = patent.facts.patent_number, patent.patentees
        invalid = patent.invalidity()
    elif known:
        assert known[0].patent_number is not None  # a declaration known with its patent
        patent_number, patentees = known[0].patent_number, known[0].patentees
        status = await CatalogueRepository(uow.session).legal_status(number)
        invalid = None if status in (None, VALID) else f"its legal status is {status}"
    else:
        raise PatentUnknown(
            f"patent {number} is not known to the license service: listing has not "
            "registered it, or its registration has not reached this service yet",
            application_number=number,
        )
    if not any(p.uscc == principal.uscc for p in patentees) or principal.uscc is None:
        raise NotLicensor(
            f"{principal.org_name} is not a patentee of {number}; only its patentee may "
            "record a licence it granted"
        )
    if invalid is not None:
        raise PatentNotValid(
            f"no licence may be granted on {number}: {invalid}", application_number=number
        )
    licence = await negotiated_license(
        uow,
        application_number=number,
        patent_number=patent_number,
        patentees=patentees,
        kind=command.kind,
        licensee=command.licensee,
        terms=command.terms,
        field_of_use=command.field_of_use,
        effective_date=command.effective_date,
        deal_id=None,
    )
    await _took_effect(uow, licenses(uow), licence)
    return licence


async def negotiated_license(
    uow: UnitOfWork,
    *,
    application_number: str,
    patent_number: str,
    patentees: tuple[Patentee, ...],
    kind: LicenseKind,
    licensee: Licensee,
    terms: LicenseTerms,
    field_of_use: str | None,
    effective_date: date,
    deal_id: str | None,
) -> PatentLicense:
    """A negotiated licence checked against the patent's declarations, licences in
    force and pledges (the caller holds the patent's licensing lock), not yet saved."""
    licence = PatentLicense.negotiate(
        license_id=str(uuid.uuid4()),
        application_number=application_number,
        patent_number=patent_number,
        patentees=patentees,
        declarations=await declarations(uow).of_patent(application_number),
        kind=kind,
        licensee=licensee,
        terms=terms,
        field_of_use=field_of_use,
        effective_date=effective_date,
        in_force=await licenses(uow).licenses_in_force(application_number),
        deal_id=deal_id,
    )
    missing = await unconsented_pledges(uow, licence)
    if missing:
        pledge = missing[0]
        raise PledgedWithoutConsent(
            f"{application_number} is pledged to {pledge.pledgee_name} (pledge "
            f"{pledge.pledge_id}); a licence on a pledged patent needs the pledgee's recorded "
            f"consent to licensing (to any licensee or to {licence.licensee.name})",
            pledge_id=pledge.pledge_id,
        )
    return licence


async def take_deal_license(uow: UnitOfWork, licence: PatentLicense) -> None:
    """A deal's licence (from :func:`negotiated_license`) takes effect."""
    await _took_effect(uow, licenses(uow), licence)


async def _took_effect(uow: UnitOfWork, repo: LicenseRepository, licence: PatentLicense) -> None:
    """Save a licence that just took effect, open its royalty periods and announce it."""
    await repo.save_license(licence)
    await _open_royalty_periods(repo, licence)
    uow.emit(license_granted(licence))


async def _open_royalty_periods(repo: LicenseRepository, licence: PatentLicense) -> None:
    """Create the reporting periods of a licence that just took effect, if it pays a
    running royalty: from the royalty schedule of the terms it accepted, declared or
    (older terms) inferred from their text; see domain.royalty."""
    terms = licence.terms
    if not terms.has_running_royalty:
        return
    assert licence.effective_date is not None
    assert licence.term_end is not None
    assert terms.royalty_rate is not None
    assert terms.royalty_base is not None
    schedule = terms.reporting_schedule()
    await repo.add_royalty_periods(
        [
            RoyaltyPeriodState(
                id=str(uuid.uuid4()),
                license_id=licence.id,
                start=p.start,
                end=p.end,
                due_date=p.due_date,
                royalty_base=terms.royalty_base,
                rate=terms.royalty_rate,
                schedule_source=schedule.source,
            )
            for p in schedule.periods(licence.effective_date, licence.term_end)
        ]
    )


async def _settle(
    repo: LicenseRepository, licence: PatentLicense, period_id: str, payment: Payment
) -> None:
    """Match a payment to a reported period (the caller checked who pays)."""
    period = await repo.get_royalty_period(licence.id, period_id)
    if period is None:
        raise royalty_period_unknown(licence.id, period_id)
    period.settle(payment.amount)
    await repo.save_royalty_period(period)


async def get_license(
    uow: UnitOfWork, principal: Principal, license_id: str
) -> tuple[PatentLicense, list[LicensePayment]]:
    repo = licenses(uow)
    licence = await visible_license(repo, principal, license_id)
    return licence, await repo.payments_of(licence.id)


async def list_licenses(
    uow: UnitOfWork, principal: Principal, query: ListLicenses
) -> list[PatentLicense]:
    """The licences ``principal`` holds or granted (all of them for the operator)."""
    seen_by = viewer(principal)
    return await licenses(uow).list_licenses(
        limit=query.limit,
        after=query.after,
        visible_to=None if seen_by.is_operator else (seen_by.org_id, seen_by.uscc),
        application_number=query.application_number,
        declaration_id=query.declaration_id,
        status=query.status,
    )


def license_granted(licence: PatentLicense) -> LicenseGranted:
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
        licensors=licensor_refs(licence),
        licensee=licensee_ref(licence),
        field_of_use=licence.field_of_use,
        effective_date=licence.effective_date,
        term_end=licence.term_end,
        filing_deadline=licence.filing_deadline,
        contract_value=licence.contract_value,
        currency=licence.terms.currency,
        deal_id=licence.deal_id,
    )


def licensor_refs(licence: PatentLicense) -> list[OrgRef]:
    return [OrgRef(name=p.name, uscc=p.uscc) for p in licence.licensors]


def licensee_ref(licence: PatentLicense) -> OrgRef:
    return OrgRef(
        org_id=licence.licensee.org_id, name=licence.licensee.name, uscc=licence.licensee.uscc
    )
