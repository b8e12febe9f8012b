"""Mapping between the license service's records, domain objects and events."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from license.domain.declaration import (
    DeclarationStatus,
    DeclarationView,
    LicenseTerms,
    Patentee,
)
from license.domain.errors import DeclarationUnknown
from license.domain.license import FilingAlert, Licensee, LicenseStatus, PatentLicense, Viewer
from license.domain.pledge import PledgeeConsent, PledgeView
from license.domain.royalty import ReportingFrequency, RoyaltySchedule
from license.models import (
    DeclarationViewRecord,
    LicenseRecord,
    PledgeConsentRecord,
    PledgeViewRecord,
)
from shared.auth import OrgType, Principal
from shared.errors import NotFound
from shared.events.schemas import (
    ConsentSubject,
    LicenseGranted,
    LicenseKind,
    OpenLicenseRoyaltySchedule,
    OpenLicenseTerms,
    OrgRef,
    ReportingPeriod,
)


def unknown_declaration(declaration_id: str) -> DeclarationUnknown:
    return DeclarationUnknown(
        f"declaration {declaration_id} is not known to the license service: it was never "
        "announced, or its announcement has not reached this service yet",
        declaration_id=declaration_id,
    )


def license_not_found(license_id: str) -> NotFound:
    return NotFound(f"licence {license_id} does not exist")


def viewer(principal: Principal) -> Viewer:
    return Viewer(
        org_id=principal.org_id,
        uscc=principal.uscc,
        is_operator=principal.org_type is OrgType.OPERATOR,
    )


def terms(terms: OpenLicenseTerms) -> LicenseTerms:
    return LicenseTerms(
        payment_mode=terms.payment_mode,
        term_start=terms.term_start,
        term_end=terms.term_end,
        lump_sum_fee=terms.lump_sum_fee,
        entry_fee=terms.entry_fee,
        royalty_base=terms.royalty_base,
        royalty_rate=terms.royalty_rate,
        payment_schedule=terms.payment_schedule,
        royalty_schedule=(
            royalty_schedule(terms.royalty_schedule) if terms.royalty_schedule else None
        ),
        territory=terms.territory,
        currency=terms.currency,
    )


def royalty_schedule(declared: OpenLicenseRoyaltySchedule) -> RoyaltySchedule:
    annual_due = None
    if declared.annual_due is not None:
        month, day = declared.annual_due.split("-")
        annual_due = (int(month), int(day))
    return RoyaltySchedule(
        ReportingFrequency(declared.period.value),
        due_days_after_period=declared.due_days_after_period,
        annual_due=annual_due,
    )


def royalty_schedule_terms(schedule: RoyaltySchedule) -> OpenLicenseRoyaltySchedule:
    """A declared schedule in the shape listing announces it."""
    annual_due = None
    if schedule.annual_due is not None:
        annual_due = f"{schedule.annual_due[0]:02d}-{schedule.annual_due[1]:02d}"
    return OpenLicenseRoyaltySchedule(
        period=ReportingPeriod(schedule.frequency.value),
        due_days_after_period=schedule.due_days_after_period,
        annual_due=annual_due,
    )


def terms_from_json(raw: dict[str, Any]) -> LicenseTerms:
    return terms(OpenLicenseTerms.model_validate(raw))


def patentees_json(patentees: tuple[Patentee, ...]) -> list[dict[str, Any]]:
    return [
        {"name": p.name, "uscc": p.uscc, "share": str(p.share), "party_type": p.party_type}
        for p in patentees
    ]


def patentees(raw: list[dict[str, Any]]) -> tuple[Patentee, ...]:
    return tuple(
        Patentee(
            name=p["name"],
            uscc=p.get("uscc"),
            share=Decimal(p.get("share", "100")),
            party_type=p.get("party_type", "university"),
        )
        for p in raw
    )


def declaration_view(record: DeclarationViewRecord) -> DeclarationView:
    return DeclarationView(
        declaration_id=record.declaration_id,
        application_number=record.application_number,
        status=DeclarationStatus(record.status),
        patent_number=record.patent_number,
        patent_type=record.patent_type,
        title=record.title,
        patentees=patentees(record.patentees),
        terms_version=record.terms_version,
        terms=terms_from_json(record.terms) if record.terms is not None else None,
        announced_at=record.announced_at,
        withdrawn_at=record.withdrawn_at,
        ended_at=record.ended_at,
        suspension_changed_at=record.suspension_changed_at,
    )


def declaration_view_record(
    view: DeclarationView, terms: OpenLicenseTerms | None
) -> DeclarationViewRecord:
    record = DeclarationViewRecord(
        declaration_id=view.declaration_id,
        application_number=view.application_number,
        status=view.status.value,
    )
    update_declaration_view_record(record, view, terms)
    return record


def update_declaration_view_record(
    record: DeclarationViewRecord, view: DeclarationView, terms: OpenLicenseTerms | None
) -> None:
    record.status = view.status.value
    record.patent_number = view.patent_number
    record.patent_type = view.patent_type
    record.title = view.title
    record.patentees = patentees_json(view.patentees)
    record.terms_version = view.terms_version
    # The event's own JSON is kept, so a licence copies the terms exactly as announced.
    record.terms = terms.model_dump(mode="json") if terms is not None else record.terms
    record.announced_at = view.announced_at
    record.withdrawn_at = view.withdrawn_at
    record.ended_at = view.ended_at
    record.suspension_changed_at = view.suspension_changed_at
    record.updated_at = datetime.now(UTC)


def pledge_view(record: PledgeViewRecord) -> PledgeView:
    return PledgeView(
        pledge_id=record.pledge_id,
        application_number=record.application_number,
        pledgee_name=record.pledgee_name,
        pledgee_org_id=record.pledgee_org_id,
        open_license_consented=record.open_license_consented,
        registered_on=record.registered_on,
        cancelled_on=record.cancelled_on,
    )


def apply_pledge_view(record: PledgeViewRecord, view: PledgeView) -> PledgeViewRecord:
    record.pledgee_name = view.pledgee_name
    record.pledgee_org_id = view.pledgee_org_id
    record.open_license_consented = view.open_license_consented
    record.registered_on = view.registered_on
    record.cancelled_on = view.cancelled_on
    record.active = view.active
    record.updated_at = datetime.now(UTC)
    return record


def license_from_record(record: LicenseRecord) -> PatentLicense:
    return PatentLicense(
        id=record.id,
        application_number=record.application_number,
        patent_number=record.patent_number,
        kind=LicenseKind(record.kind),
        licensors=patentees(record.licensors),
        licensee=Licensee(
            org_id=record.licensee_org_id,
            name=record.licensee_name,
            uscc=record.licensee_uscc,
            org_type=record.licensee_org_type,
        ),
        terms=terms_from_json(record.terms),
        declaration_id=record.declaration_id,
        terms_version=record.terms_version,
        field_of_use=record.field_of_use,
        contact=record.contact,
        status=LicenseStatus(record.status),
        effective_date=record.effective_date,
        term_end=record.term_end,
        filing_deadline=record.filing_deadline,
        filing_number=record.filing_number,
        filed_on=record.filed_on,
        filing_alert=FilingAlert(record.filing_alert),
    )


def license_record(licence: PatentLicense, terms: dict[str, Any]) -> LicenseRecord:
    record = LicenseRecord(
        id=licence.id,
        declaration_id=licence.declaration_id,
        application_number=licence.application_number,
        patent_number=licence.patent_number,
        kind=licence.kind.value,
        status=licence.status.value,
        terms_version=licence.terms_version,
        terms=dict(terms),
        licensors=patentees_json(licence.licensors),
        licensor_usccs=[p.uscc for p in licence.licensors if p.uscc],
        licensee_org_id=licence.licensee.org_id,
        licensee_name=licence.licensee.name,
        licensee_uscc=licence.licensee.uscc,
        licensee_org_type=licence.licensee.org_type,
        field_of_use=licence.field_of_use,
        contact=licence.contact,
        contract_value=licence.contract_value,
    )
    apply_license(record, licence)
    return record


def apply_license(record: LicenseRecord, licence: PatentLicense) -> None:
    now = datetime.now(UTC)
    if licence.status is LicenseStatus.ACTIVE and record.activated_at is None:
        record.activated_at = now
    record.status = licence.status.value
    record.effective_date = licence.effective_date
    record.term_end = licence.term_end
    record.filing_deadline = licence.filing_deadline
    record.filing_number = licence.filing_number
    record.filed_on = licence.filed_on
    record.filing_alert = licence.filing_alert.value
    record.updated_at = now


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
    )


def licensor_refs(licence: PatentLicense) -> list[OrgRef]:
    return [OrgRef(name=p.name, uscc=p.uscc) for p in licence.licensors]


def licensee_ref(licence: PatentLicense) -> OrgRef:
    return OrgRef(
        org_id=licence.licensee.org_id, name=licence.licensee.name, uscc=licence.licensee.uscc
    )


def consent(record: PledgeConsentRecord) -> PledgeeConsent:
    return PledgeeConsent(
        pledge_id=record.pledge_id,
        subject=ConsentSubject(record.consent_to),
        counterparty_uscc=record.counterparty_uscc,
    )


def terms_json(terms: LicenseTerms) -> dict[str, Any]:
    """The terms as the licence stores them: the shape of listing's announced terms."""
    return OpenLicenseTerms(
        payment_mode=terms.payment_mode,
        lump_sum_fee=terms.lump_sum_fee,
        entry_fee=terms.entry_fee,
        royalty_base=terms.royalty_base,
        royalty_rate=terms.royalty_rate,
        payment_schedule=terms.payment_schedule,
        royalty_schedule=(
            royalty_schedule_terms(terms.royalty_schedule) if terms.royalty_schedule else None
        ),
        term_start=terms.term_start,
        term_end=terms.term_end,
        territory=terms.territory,
        currency=terms.currency,
    ).model_dump(mode="json")
