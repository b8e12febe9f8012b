"""Restatement job row <-> domain object, written once."""

from __future__ import annotations

from listing.domain.restatement import RestatementJob, RestatementState
from listing.restatements.models import PatentRestatementJobRecord

_FIELDS = tuple(PatentRestatementJobRecord.model_fields)


def job_record(job: RestatementJob) -> PatentRestatementJobRecord:
    return PatentRestatementJobRecord(**{name: getattr(job, name) for name in _FIELDS})


def write_job(record: PatentRestatementJobRecord, job: RestatementJob) -> None:
    for name in _FIELDS:
        setattr(record, name, getattr(job, name))


def to_job(record: PatentRestatementJobRecord) -> RestatementJob:
    values = {name: getattr(record, name) for name in _FIELDS}
    values["state"] = RestatementState(record.state)
    return RestatementJob(**values)
