"""Pledged patents and pledgees' consents: rows <-> the domain's views."""

from __future__ import annotations

from datetime import datetime

from license.domain.pledge import PledgeeConsent, PledgeView
from license.models import PledgeConsentRecord, PledgeViewRecord
from shared.domain.terms import ConsentSubject


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


def pledge_view_record(view: PledgeView, now: datetime) -> PledgeViewRecord:
    record = PledgeViewRecord(pledge_id=view.pledge_id, application_number=view.application_number)
    apply_pledge_view(record, view, now)
    return record


def apply_pledge_view(record: PledgeViewRecord, view: PledgeView, now: datetime) -> None:
    record.pledgee_name = view.pledgee_name
    record.pledgee_org_id = view.pledgee_org_id
    record.open_license_consented = view.open_license_consented
    record.registered_on = view.registered_on
    record.cancelled_on = view.cancelled_on
    record.active = view.active
    record.updated_at = now


def consent(record: PledgeConsentRecord) -> PledgeeConsent:
    return PledgeeConsent(
        pledge_id=record.pledge_id,
        subject=ConsentSubject(record.consent_to),
        counterparty_uscc=record.counterparty_uscc,
        application_number=record.application_number,
        pledgee_name=record.pledgee_name,
        recorded_on=record.recorded_on,
    )


def consent_record(consent: PledgeeConsent, record_id: str, now: datetime) -> PledgeConsentRecord:
    assert consent.application_number is not None  # a recorded consent names its patent
    assert consent.pledgee_name is not None
    assert consent.recorded_on is not None
    return PledgeConsentRecord(
        id=record_id,
        pledge_id=consent.pledge_id,
        application_number=consent.application_number,
        consent_to=consent.subject.value,
        counterparty_uscc=consent.counterparty_uscc,
        pledgee_name=consent.pledgee_name,
        recorded_on=consent.recorded_on,
        created_at=now,
    )
