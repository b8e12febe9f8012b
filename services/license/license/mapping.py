"""The license service's row <-> domain mapping, written once: every repository loads
and saves through it. Terms are stored as JSON in the shape listing announces them
(``OpenLicenseTerms``)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal
from typing import Any

from license.domain.breach import Breach
from license.domain.declaration import DeclarationStatus, DeclarationView, LicenseTerms, Patentee
from license.domain.filing_deadline import FilingAlert
from license.domain.license import Licensee, LicenseStatus, PatentLicense
from license.domain.payment import LicensePayment, PayerRole, Payment
from license.domain.royalty import (
    BreachKind,
    ReportingFrequency,
    RoyaltyPeriodState,
    RoyaltySchedule,
    ScheduleSource,
)
from license.licenses import mapping as licence_lists
from license.models import (
    DeclarationViewRecord,
    LicenseBreachRecord,
    LicensePaymentRecord,
    LicenseRecord,
    RoyaltyPeriodRecord,
)
from shared.domain import Money
from shared.domain.terms import LicenseKind, ReportingPeriod
from shared.events.schemas import OpenLicenseRoyaltySchedule, OpenLicenseTerms


def terms(terms: OpenLicenseTerms) -> LicenseTerms:
    # The domain's terms carry the announced terms' field names, one for one; only the
    # royalty schedule has a shape of its own.
    schedule = terms.royalty_schedule
    fields = {name: getattr(terms, name) for name in OpenLicenseTerms.model_fields}
    fields["royalty_schedule"] = royalty_schedule(schedule) if schedule else None
    return LicenseTerms(**fields)


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


def declaration_view_record(view: DeclarationView, now: datetime) -> DeclarationViewRecord:
    record = DeclarationViewRecord(
        declaration_id=view.declaration_id,
        application_number=view.application_number,
        status=view.status.value,
    )
    apply_declaration_view(record, view, now)
    return record


def apply_declaration_view(
    record: DeclarationViewRecord, view: DeclarationView, now: datetime
) -> None:
    record.status = view.status.value
    record.patent_number = view.patent_number
    record.patent_type = view.patent_type
    record.title = view.title
    record.patentees = patentees_json(view.patentees)
    record.terms_version = view.terms_version
    # The announced terms in the shape listing announced them (terms_json gives back
    # exactly the JSON of the event), so a licence copies them as announced.
    record.terms = terms_json(view.terms) if view.terms is not None else None
    record.announced_at = view.announced_at
    record.withdrawn_at = view.withdrawn_at
    record.ended_at = view.ended_at
    record.suspension_changed_at = view.suspension_changed_at
    record.updated_at = now


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
        deal_id=record.deal_id,
        status=LicenseStatus(record.status),
        effective_date=record.effective_date,
        term_end=record.term_end,
        filing_deadline=record.filing_deadline,
        filing_number=record.filing_number,
        filed_on=record.filed_on,
        filing_alert=FilingAlert(record.filing_alert),
        ended_on=record.ended_on,
        end_reason=record.end_reason,
        end_note=record.end_note,
        termination_consents=licence_lists.termination_consents(record.termination_consents),
        rate_amendments=licence_lists.rate_amendments(record.rate_amendments),
        created_at=record.created_at,
        activated_at=record.activated_at,
    )


def license_record(licence: PatentLicense, now: datetime) -> LicenseRecord:
    record = LicenseRecord(
        id=licence.id,
        declaration_id=licence.declaration_id,
        application_number=licence.application_number,
        patent_number=licence.patent_number,
        kind=licence.kind.value,
        status=licence.status.value,
        terms_version=licence.terms_version,
        terms=terms_json(licence.terms),
        licensors=patentees_json(licence.licensors),
        licensor_usccs=[p.uscc for p in licence.licensors if p.uscc],
        licensee_org_id=licence.licensee.org_id,
        licensee_name=licence.licensee.name,
        licensee_uscc=licence.licensee.uscc,
        licensee_org_type=licence.licensee.org_type,
        field_of_use=licence.field_of_use,
        contact=licence.contact,
        deal_id=licence.deal_id,
        contract_value=licence.contract_value,
        created_at=licence.created_at or now,
    )
    apply_license(record, licence, now)
    return record


def apply_license(record: LicenseRecord, licence: PatentLicense, now: datetime) -> None:
    record.status = licence.status.value
    record.effective_date = licence.effective_date
    record.term_end = licence.term_end
    record.filing_deadline = licence.filing_deadline
    record.filing_number = licence.filing_number
    record.filed_on = licence.filed_on
    record.filing_alert = licence.filing_alert.value
    record.ended_on = licence.ended_on
    record.end_reason = licence.end_reason
    record.end_note = licence.end_note
    record.termination_consents = licence_lists.termination_consents_json(
        licence.termination_consents
    )
    record.rate_amendments = licence_lists.rate_amendments_json(licence.rate_amendments)
    record.activated_at = licence.activated_at
    record.updated_at = now


def payment(record: LicensePaymentRecord) -> LicensePayment:
    return LicensePayment(
        id=record.id,
        license_id=record.license_id,
        payment=Payment(
            Money(record.amount, record.currency), record.voucher_reference, record.paid_on
        ),
        activated_license=record.activated_license,
        recorded_by_org_id=record.recorded_by_org_id,
        recorded_by_role=PayerRole(record.recorded_by_role),
        royalty_period_id=record.royalty_period_id,
        recorded_at=record.created_at,
    )


def payment_record(recorded: LicensePayment) -> LicensePaymentRecord:
    return LicensePaymentRecord(
        id=recorded.id,
        license_id=recorded.license_id,
        amount=recorded.payment.amount.amount,
        currency=recorded.payment.amount.currency,
        voucher_reference=recorded.payment.voucher_reference,
        paid_on=recorded.payment.paid_on,
        activated_license=recorded.activated_license,
        recorded_by_org_id=recorded.recorded_by_org_id,
        recorded_by_role=recorded.recorded_by_role.value,
        royalty_period_id=recorded.royalty_period_id,
        created_at=recorded.recorded_at,
    )


def royalty_period(record: RoyaltyPeriodRecord) -> RoyaltyPeriodState:
    return RoyaltyPeriodState(
        id=record.id,
        license_id=record.license_id,
        start=record.period_start,
        end=record.period_end,
        due_date=record.due_date,
        royalty_base=record.royalty_base,
        rate=Decimal(record.royalty_rate),
        schedule_source=ScheduleSource(record.schedule_source),
        base_amount=_money(record.base_amount),
        amount_due=_money(record.amount_due),
        amount_paid=Money(record.amount_paid),
        report_breach_recorded=record.report_breach_recorded,
        payment_breach_recorded=record.payment_breach_recorded,
        reported_at=record.reported_at,
        reported_by_org_id=record.reported_by_org_id,
        cancelled_on=record.cancelled_on,
    )


def royalty_period_record(period: RoyaltyPeriodState) -> RoyaltyPeriodRecord:
    record = RoyaltyPeriodRecord(
        id=period.id,
        license_id=period.license_id,
        period_start=period.start,
        period_end=period.end,
        due_date=period.due_date,
        royalty_base=period.royalty_base,
        royalty_rate=period.rate,
        schedule_source=period.schedule_source.value,
    )
    apply_royalty_period(record, period)
    return record


def apply_royalty_period(record: RoyaltyPeriodRecord, period: RoyaltyPeriodState) -> None:
    # A mediation settlement may change the rate of a period not yet reported.
    record.royalty_rate = period.rate
    record.base_amount = period.base_amount.amount if period.base_amount else None
    record.amount_due = period.amount_due.amount if period.amount_due else None
    record.amount_paid = period.amount_paid.amount
    record.reported_at = period.reported_at
    record.reported_by_org_id = period.reported_by_org_id
    record.report_breach_recorded = period.report_breach_recorded
    record.payment_breach_recorded = period.payment_breach_recorded
    record.cancelled_on = period.cancelled_on


def breach(record: LicenseBreachRecord) -> Breach:
    return Breach(
        id=record.id,
        license_id=record.license_id,
        application_number=record.application_number,
        kind=BreachKind(record.kind),
        party_org_id=record.party_org_id,
        party_name=record.party_name,
        party_uscc=record.party_uscc,
        period_id=record.period_id,
        due_date=record.due_date,
        amount_outstanding=_money(record.amount_outstanding),
        recorded_at=record.recorded_at,
    )


def breach_record(breach: Breach) -> LicenseBreachRecord:
    outstanding = breach.amount_outstanding
    return LicenseBreachRecord(
        id=breach.id,
        license_id=breach.license_id,
        application_number=breach.application_number,
        kind=breach.kind.value,
        party_org_id=breach.party_org_id,
        party_name=breach.party_name,
        party_uscc=breach.party_uscc,
        period_id=breach.period_id,
        due_date=breach.due_date,
        amount_outstanding=outstanding.amount if outstanding else None,
        recorded_at=breach.recorded_at,
    )


def _money(amount: Decimal | None) -> Money | None:
    return Money(amount) if amount is not None else None


def terms_json(terms: LicenseTerms) -> dict[str, Any]:
    """The terms as the licence stores them: the shape of listing's announced terms."""
    schedule = terms.royalty_schedule
    fields = {f.name: getattr(terms, f.name) for f in dataclasses.fields(terms)}
    fields["royalty_schedule"] = royalty_schedule_terms(schedule) if schedule else None
    return OpenLicenseTerms(**fields).model_dump(mode="json")
