"""Catalogue rows <-> :class:`CataloguedPatent`, written once."""

from __future__ import annotations

from registry_sync.catalogue.models import CataloguedPatentRecord
from registry_sync.domain.catalogue import CataloguedPatent


def to_record(patent: CataloguedPatent) -> CataloguedPatentRecord:
    return CataloguedPatentRecord(
        application_number=patent.application_number,
        patent_number=patent.patent_number,
        title=patent.title,
        patent_kind=patent.patent_kind,
        ipc_codes=list(patent.ipc_codes),
        industry_codes=list(patent.industry_codes),
    )


def to_patent(record: CataloguedPatentRecord) -> CataloguedPatent:
    return CataloguedPatent(
        application_number=record.application_number,
        patent_number=record.patent_number,
        title=record.title,
        patent_kind=record.patent_kind,
        ipc_codes=tuple(record.ipc_codes),
        industry_codes=tuple(record.industry_codes),
    )
