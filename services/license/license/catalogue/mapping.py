"""Catalogue rows <-> ``CataloguedPatent``, written once."""

from __future__ import annotations

from datetime import datetime

from license.catalogue.models import CataloguedPatentRecord
from license.domain.catalogue import CataloguedPatent, PatentFacts, PatentStatus
from license.mapping import patentees, patentees_json


def catalogued_patent(record: CataloguedPatentRecord) -> CataloguedPatent:
    facts = None
    if record.patent_number is not None:
        assert record.patent_type is not None
        assert record.title is not None
        assert record.expiry_date is not None
        facts = PatentFacts(
            record.patent_number, record.patent_type, record.title, record.expiry_date
        )
    status = None
    if record.legal_status is not None:
        status = PatentStatus(
            legal_status=record.legal_status,
            annual_fee_status=record.annual_fee_status or "",
            suspended=record.suspended,
            under_preservation=record.under_preservation,
        )
    return CataloguedPatent(
        application_number=record.application_number,
        facts=facts,
        patentees=patentees(record.patentees),
        status=status,
        patentees_as_of=record.patentees_as_of,
        status_as_of=record.status_as_of,
    )


def catalogued_patent_record(patent: CataloguedPatent) -> CataloguedPatentRecord:
    assert patent.as_of is not None  # a view is created by an event
    record = CataloguedPatentRecord(
        application_number=patent.application_number, as_of=patent.as_of
    )
    apply_catalogued_patent(record, patent)
    return record


def apply_catalogued_patent(record: CataloguedPatentRecord, patent: CataloguedPatent) -> None:
    facts, status = patent.facts, patent.status
    if facts is not None:
        record.patent_number = facts.patent_number
        record.patent_type = facts.patent_type
        record.title = facts.title
        record.expiry_date = facts.expiry_date
    record.patentees = patentees_json(patent.patentees)
    record.patentee_usccs = [p.uscc for p in patent.patentees if p.uscc]
    if status is not None:
        record.legal_status = status.legal_status
        record.annual_fee_status = status.annual_fee_status
        record.suspended = status.suspended
        record.under_preservation = status.under_preservation
    record.patentees_as_of = patent.patentees_as_of
    record.status_as_of = patent.status_as_of
    as_of: datetime | None = patent.as_of
    assert as_of is not None  # a view is created by an event
    record.as_of = as_of
