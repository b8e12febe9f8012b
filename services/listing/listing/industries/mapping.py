"""Re-derivation job row <-> domain object, written once."""

from __future__ import annotations

from listing.domain.rederive import RederiveJob, RederiveState
from listing.industries.models import IndustryRederiveJobRecord

_FIELDS = tuple(IndustryRederiveJobRecord.model_fields)


def job_record(job: RederiveJob) -> IndustryRederiveJobRecord:
    return IndustryRederiveJobRecord(**{name: getattr(job, name) for name in _FIELDS})


def write_job(record: IndustryRederiveJobRecord, job: RederiveJob) -> None:
    for name in _FIELDS:
        setattr(record, name, getattr(job, name))


def to_job(record: IndustryRederiveJobRecord) -> RederiveJob:
    values = {name: getattr(record, name) for name in _FIELDS}
    values["state"] = RederiveState(record.state)
    return RederiveJob(**values)
