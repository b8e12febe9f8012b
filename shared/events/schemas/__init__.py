"""Every event type published by any ipmarket service, one pydantic model each.

All services import these models; none defines its own copy. A published type is
changed only in backward-compatible ways (new optional fields); anything else is a
new type with the next version suffix (``...v2``). :data:`EVENT_TYPES` maps each
CloudEvents ``type`` to its model.
"""

from shared.events.schemas.base import EVENT_TYPES, EventData, OrgRef, PatenteeRef
from shared.events.schemas.license import LicenseGranted, LicenseKind
from shared.events.schemas.listing import (
    DeclarationPublished,
    DeclarationWithdrawn,
    OpenLicenseTerms,
    PatentOwnerChanged,
    PatentRegistered,
    PatentStatusChanged,
    PaymentMode,
)
from shared.events.schemas.pledge import (
    CompensationShare,
    ConsentSubject,
    InsuranceClaimApproved,
    InsuranceClaimFiled,
    InsuranceClaimPaid,
    InsuranceClaimRejected,
    InsurancePolicyIssued,
    PledgeApplicationRefused,
    PledgeApproved,
    PledgeCancelled,
    PledgeChanged,
    PledgeCompensationClaimed,
    PledgeCorrectionRequested,
    PledgeDefaulted,
    PledgeDisposalStarted,
    PledgedPatentsTransferred,
    PledgeeConsentRecorded,
    PledgeLoanDisbursed,
    PledgeLoanOverdue,
    PledgePatentLapsed,
    PledgeRealised,
    PledgeRegistered,
    PledgeRepaymentRecorded,
    PledgeSubmitted,
    PledgeValuationReady,
)
from shared.events.schemas.registry import TechContractRegistrationRecorded

__all__ = [
    "EVENT_TYPES",
    "CompensationShare",
    "ConsentSubject",
    "DeclarationPublished",
    "DeclarationWithdrawn",
    "EventData",
    "InsuranceClaimApproved",
    "InsuranceClaimFiled",
    "InsuranceClaimPaid",
    "InsuranceClaimRejected",
    "InsurancePolicyIssued",
    "LicenseGranted",
    "LicenseKind",
    "OpenLicenseTerms",
    "OrgRef",
    "PatentOwnerChanged",
    "PatentRegistered",
    "PatentStatusChanged",
    "PatenteeRef",
    "PaymentMode",
    "PledgeApplicationRefused",
    "PledgeApproved",
    "PledgeCancelled",
    "PledgeChanged",
    "PledgeCompensationClaimed",
    "PledgeCorrectionRequested",
    "PledgeDefaulted",
    "PledgeDisposalStarted",
    "PledgeLoanDisbursed",
    "PledgeLoanOverdue",
    "PledgePatentLapsed",
    "PledgeRealised",
    "PledgeRegistered",
    "PledgeRepaymentRecorded",
    "PledgeSubmitted",
    "PledgeValuationReady",
    "PledgedPatentsTransferred",
    "PledgeeConsentRecorded",
    "TechContractRegistrationRecorded",
]
