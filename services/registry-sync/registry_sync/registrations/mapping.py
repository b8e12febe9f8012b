"""Registration rows <-> :class:`TechContractRegistration`, written once."""

from __future__ import annotations

import json

from registry_sync.domain.registration import (
    ContractParty,
    IpType,
    OfficeReason,
    PartyRole,
    RegistrationStatus,
    SourceKind,
    TechContractCategory,
    TechContractRegistration,
)
from registry_sync.models import TechContractRegistrationRecord

# The fields the row and the domain object hold under the same name and type.
_SAME = (
    "id",
    "source_reference",
    "application_number",
    "patent_number",
    "license_kind",
    "seller_uscc",
    "buyer_uscc",
    "technical_field",
    "contract_value",
    "technology_value",
    "currency",
    "signed_on",
    "effective_date",
    "period_end",
    "filing_number",
    "filed_on",
    "recorded_on",
    "office_reference",
    "submitted_at",
    "submission_attempts",
    "resubmissions",
    "next_attempt_at",
    "last_error",
    "registration_number",
    "registered_on",
    "certified_contract_value",
    "certified_technology_value",
    "version",
)


def to_record(registration: TechContractRegistration) -> TechContractRegistrationRecord:
    record = TechContractRegistrationRecord(
        **{name: getattr(registration, name) for name in _SAME},
        source_kind=registration.source_kind.value,
        contract_category=registration.category.value,
        status=registration.status.value,
        parties=[
            {
                "role": p.role.value,
                "name": p.name,
                "uscc": p.uscc,
                "country": p.country,
                "region_code": p.region_code,
            }
            for p in registration.parties
        ],
        ip_type=None if registration.ip_type is None else registration.ip_type.value,
        refusal_reason=(
            json.dumps([vars(r) for r in registration.refusal_reasons], ensure_ascii=False)
            if registration.refusal_reasons
            else None
        ),
        registration_due=registration.registration_due,
    )
    if registration.created_at is not None:
        record.created_at = registration.created_at
    return record


def to_registration(record: TechContractRegistrationRecord) -> TechContractRegistration:
    return TechContractRegistration(
        **{name: getattr(record, name) for name in _SAME},
        source_kind=SourceKind(record.source_kind),
        category=TechContractCategory(record.contract_category),
        status=RegistrationStatus(record.status),
        parties=tuple(
            ContractParty(
                role=PartyRole(p["role"] or PartyRole.SELLER),
                name=p["name"] or "",
                uscc=p.get("uscc"),
                country=p.get("country"),
                region_code=p.get("region_code"),
            )
            for p in record.parties
        ),
        ip_type=None if record.ip_type is None else IpType(record.ip_type),
        refusal_reasons=tuple(OfficeReason(**r) for r in json.loads(record.refusal_reason or "[]")),
        created_at=record.created_at,
    )
