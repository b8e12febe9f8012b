"""Every event type published by any ipmarket service, one pydantic model each.

All services import these models; none defines its own copy. A published type is
changed only in backward-compatible ways (new optional fields); anything else is a
new type with the next version suffix (``...v2``). :data:`EVENT_TYPES` maps each
CloudEvents ``type`` to its model.
"""

from shared.events.schemas.base import EVENT_TYPES, EventData, OrgRef, PatenteeRef
from shared.events.schemas.license import (
    LicenseBreachRecorded,
    LicenseFiled,
    LicenseFilingDue,
    LicenseFilingOverdue,
    LicenseGranted,
    LicenseKind,
    RoyaltyReported,
)
from shared.events.schemas.listing import (
    DeclarationExpired,
    DeclarationLapsed,
    DeclarationPublished,
    DeclarationReinstated,
    DeclarationSuspended,
    DeclarationWithdrawalRequested,
    DeclarationWithdrawn,
    DemandPublished,
    OpenLicenseTerms,
    PatentOwnerChanged,
    PatentRegistered,
    PatentStatusChanged,
    PaymentMode,
    SupplyListingPublished,
)
from shared.events.schemas.pledge import (
    ConsentSubject,
    PledgeCancelled,
    PledgedPatentsTransferred,
    PledgeeConsentRecorded,
    PledgeRegistered,
)
from shared.events.schemas.registry import TechContractRegistrationRecorded

__all__ = [
    "EVENT_TYPES",
    "ConsentSubject",
    "DeclarationExpired",
    "DeclarationLapsed",
    "DeclarationPublished",
    "DeclarationReinstated",
    "DeclarationSuspended",
    "DeclarationWithdrawalRequested",
    "DeclarationWithdrawn",
    "DemandPublished",
    "EventData",
    "LicenseBreachRecorded",
    "LicenseFiled",
    "LicenseFilingDue",
    "LicenseFilingOverdue",
    "LicenseGranted",
    "LicenseKind",
    "OpenLicenseTerms",
    "OrgRef",
    "PatentOwnerChanged",
    "PatentRegistered",
    "PatentStatusChanged",
    "PatenteeRef",
    "PaymentMode",
    "PledgeCancelled",
    "PledgeRegistered",
    "PledgedPatentsTransferred",
    "PledgeeConsentRecorded",
    "RoyaltyReported",
    "SupplyListingPublished",
    "TechContractRegistrationRecorded",
]
