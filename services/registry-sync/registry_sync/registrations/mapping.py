"""Registration rows <-> :class:`TechContractRegistration`, written once."""

from __future__ import annotations

from registry_sync.domain.registration import (
    RegistrationStatus,
    TechContractCategory,
    TechContractRegistration,
)
from registry_sync.models import TechContractRegistrationRecord

# The fields the row and the domain object hold under the same name and type.
_SAME = (
    "id",
    "source_reference",
    "application_number",
    "seller_uscc",
    "buyer_uscc",
    "contract_value",
    "currency",
    "registration_number",
    "effective_date",
    "recorded_on",
)


def to_record(registration: TechContractRegistration) -> TechContractRegistrationRecord:
    record = TechContractRegistrationRecord(
        **{name: getattr(registration, name) for name in _SAME},
        contract_category=registration.category.value,
        status=registration.status.value,
        registration_due=registration.registration_due,
    )
    if registration.created_at is not None:
        record.created_at = registration.created_at
    return record


def to_registration(record: TechContractRegistrationRecord) -> TechContractRegistration:
    return TechContractRegistration(
        **{name: getattr(record, name) for name in _SAME},
        category=TechContractCategory(record.contract_category),
        status=RegistrationStatus(record.status),
        created_at=record.created_at,
    )
