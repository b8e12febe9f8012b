"""Technology-contract registration (技术合同认定登记).

The seller registers a technology contract; registration yields a registration number and
certifies the contract value and the technology transaction value. Seed 001 (五) has a
concluded and filed open licence recognised as a technology contract, and (八) asks that
registration and patent licence/transfer filings share information.

A registration's life::

    awaiting_filing --filed--> awaiting_details <--corrected--> ready --submitted--> submitted
                                      |                           ^                     |
                                      +--------corrected----------+        registered <-+-> refused
                                                                  +----resubmitted-------------+

A licence waits for its filing (a concluded *and filed* licence is a technology contract);
a transfer is prepared at signing. What the events do not carry and cannot be derived
keeps it ``awaiting_details`` until the seller completes it. ``registered`` is final:
nothing the office reports afterwards undoes it.

Reconciliation keys between a registration and the filing it mirrors: the normalised
patent number, the parties' USCCs, contract category <-> filing type (licence or transfer),
licence kind, contract value, and dates (filing within 3 months of effect; registration
within about 30 days).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from registry_sync.domain.errors import InvalidTransition, TechnologyValueAboveContractValue

REGISTRATION_WINDOW = timedelta(days=30)
# A submission the office did not take is tried again after this, doubled per attempt.
MAX_RETRY_DELAY = timedelta(hours=6)


class TechContractCategory(StrEnum):
    DEVELOPMENT = "development"
    TRANSFER_PATENT_RIGHT = "transfer_patent_right"
    TRANSFER_APPLICATION_RIGHT = "transfer_application_right"
    TRANSFER_KNOW_HOW = "transfer_know_how"
    LICENSE = "license"
    CONSULTING = "consulting"
    SERVICE = "service"


class SourceKind(StrEnum):
    OPEN_LICENSE = "open_license"
    NEGOTIATED_LICENSE = "negotiated_license"
    TRANSFER = "transfer"


class RegistrationStatus(StrEnum):
    AWAITING_FILING = "awaiting_filing"
    AWAITING_DETAILS = "awaiting_details"
    READY = "ready"
    SUBMITTED = "submitted"
    REFUSED = "refused"
    REGISTERED = "registered"


# The seller may complete or correct the details in these states only: once submitted the
# office holds the contract, once registered it is certified.
CORRECTABLE = frozenset(
    {
        RegistrationStatus.AWAITING_FILING,
        RegistrationStatus.AWAITING_DETAILS,
        RegistrationStatus.READY,
        RegistrationStatus.REFUSED,
    }
)


class PartyRole(StrEnum):
    SELLER = "seller"
    BUYER = "buyer"


class IpType(StrEnum):
    INVENTION_PATENT = "invention_patent"
    UTILITY_MODEL_PATENT = "utility_model_patent"
    DESIGN_PATENT = "design_patent"


IP_TYPE_BY_PATENT_KIND = {
    "invention": IpType.INVENTION_PATENT,
    "utility_model": IpType.UTILITY_MODEL_PATENT,
    "design": IpType.DESIGN_PATENT,
}

# IPC sections (the first letter of a symbol) as the office's technical fields name them.
IPC_SECTIONS = {
    "A": "人类生活必需",
    "B": "作业；运输",
    "C": "化学；冶金",
    "D": "纺织；造纸",
    "E": "固定建筑物",
    "F": "机械工程；照明；加热；武器；爆破",
    "G": "物理",
    "H": "电学",
}


def category_for_license() -> TechContractCategory:
    """A patent licence (open or negotiated, any kind) is a licence contract."""
    return TechContractCategory.LICENSE


def category_for_transfer() -> TechContractCategory:
    """A recorded transfer of a granted patent is a patent-right transfer contract."""
    return TechContractCategory.TRANSFER_PATENT_RIGHT


def ip_type_for(patent_kind: str | None) -> IpType | None:
    return IP_TYPE_BY_PATENT_KIND.get(patent_kind or "")


def technical_field_for(ipc_codes: list[str], industry_codes: list[str]) -> str | None:
    """The technical field from the patent's main IPC symbol and industry codes; None when
    the patent has no IPC symbol (the seller names the field)."""
    if not ipc_codes or ipc_codes[0][:1] not in IPC_SECTIONS:
        return None
    main = ipc_codes[0]
    text = f"{IPC_SECTIONS[main[0]]} (IPC {main})"
    if industry_codes:
        text += f"; 国民经济行业 {', '.join(industry_codes[:3])}"
    return text[:200]


@dataclass(frozen=True)
class ContractParty:
    role: PartyRole
    name: str
    uscc: str | None = None
    # ISO 3166 alpha-2; a party with a USCC is Chinese.
    country: str | None = None
    # GB/T 2260, required for a Chinese party.
    region_code: str | None = None

    @classmethod
    def from_uscc(cls, role: PartyRole, name: str, uscc: str | None) -> ContractParty:
        """A party as an event names it: a USCC's characters 3-8 are the region of the
        authority that registered it, which the office accepts as the party's region."""
        if uscc is None:
            return cls(role, name)
        return cls(role, name, uscc, "CN", uscc[2:8])

    def missing(self, index: int) -> list[str]:
        if self.country is None:
            return [f"parties[{index}].country"]
        if self.country == "CN" and self.region_code is None:
            return [f"parties[{index}].region_code"]
        return []


@dataclass(frozen=True)
class OfficeReason:
    """Why the office refused: the field it names, its code and its words."""

    field: str
    code: str
    message: str


@dataclass(frozen=True)
class RegistrationDetails:
    """What the seller completes or corrects; None leaves a value as it is. ``parties``
    replaces country and region code by position."""

    contract_value: Decimal | None = None
    technology_value: Decimal | None = None
    technical_field: str | None = None
    signed_on: date | None = None
    period_end: date | None = None
    parties: tuple[tuple[int, str | None, str | None], ...] = ()


@dataclass(frozen=True)
class TechContractRegistration:
    id: str
    source_reference: str
    application_number: str
    category: TechContractCategory
    seller_uscc: str | None
    buyer_uscc: str | None
    contract_value: Decimal | None
    effective_date: date
    recorded_on: date
    currency: str = "CNY"
    status: RegistrationStatus = RegistrationStatus.AWAITING_FILING
    source_kind: SourceKind = SourceKind.OPEN_LICENSE
    patent_number: str | None = None
    license_kind: str | None = None
    parties: tuple[ContractParty, ...] = ()
    technical_field: str | None = None
    ip_type: IpType | None = None
    technology_value: Decimal | None = None
    signed_on: date | None = None
    period_end: date | None = None
    filing_number: str | None = None
    filed_on: date | None = None
    office_reference: str | None = None
    submitted_at: datetime | None = None
    submission_attempts: int = 0
    # Each resubmission after a refusal is a new submission: a new idempotency key.
    resubmissions: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    refusal_reasons: tuple[OfficeReason, ...] = ()
    registration_number: str | None = None
    registered_on: date | None = None
    certified_contract_value: Decimal | None = None
    certified_technology_value: Decimal | None = None
    version: int = 1
    # When this service recorded it (the clock's instant); None until it is stored.
    created_at: datetime | None = None
    missing_fields: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "missing_fields", tuple(self._missing()))

    @property
    def registration_due(self) -> date:
        return self.effective_date + REGISTRATION_WINDOW

    @property
    def idempotency_key(self) -> str:
        """The office's ``Idempotency-Key``: the same for every retry of one submission."""
        return self.id if not self.resubmissions else f"{self.id}.{self.resubmissions}"

    def _missing(self) -> list[str]:
        missing: list[str] = []
        if self.seller_uscc is None:
            missing.append("seller")
        for name in ("contract_value", "technology_value", "technical_field", "ip_type"):
            if getattr(self, name) is None:
                missing.append(name)
        if self.signed_on is None:
            missing.append("signed_on")
        for index, party in enumerate(self.parties):
            missing.extend(party.missing(index))
        return missing

    def settled(self) -> TechContractRegistration:
        """``ready`` when nothing is missing, else ``awaiting_details`` (once filed)."""
        if self.status is RegistrationStatus.AWAITING_FILING and self.source_kind is not (
            SourceKind.TRANSFER
        ):
            return self
        status = (
            RegistrationStatus.AWAITING_DETAILS if self.missing_fields else RegistrationStatus.READY
        )
        return replace(self, status=status)

    def filed(self, filing_number: str, filed_on: date) -> TechContractRegistration:
        """The licence was filed (备案): a concluded and filed licence is a technology
        contract to register. A filing reported again changes nothing."""
        if self.filing_number is not None:
            return self
        moved = replace(self, filing_number=filing_number, filed_on=filed_on)
        if self.status is not RegistrationStatus.AWAITING_FILING:
            return moved
        return replace(moved, status=RegistrationStatus.AWAITING_DETAILS).settled()

    def corrected(self, details: RegistrationDetails) -> TechContractRegistration:
        if self.status not in CORRECTABLE:
            raise InvalidTransition(
                f"registration {self.id} is {self.status.value}: its details can no longer "
                "be changed"
            )
        parties = list(self.parties)
        for index, country, region_code in details.parties:
            parties[index] = replace(parties[index], country=country, region_code=region_code)
        changes = {
            name: getattr(details, name)
            for name in (
                "contract_value",
                "technology_value",
                "technical_field",
                "signed_on",
                "period_end",
            )
            if getattr(details, name) is not None
        }
        result = replace(self, parties=tuple(parties), **changes)
        if (
            result.contract_value is not None
            and result.technology_value is not None
            and result.technology_value > result.contract_value
        ):
            raise TechnologyValueAboveContractValue(
                "technology_value may not exceed contract_value",
                field="technology_value",
            )
        if self.status is RegistrationStatus.REFUSED:
            return result  # it waits for the seller's resubmission
        return result.settled()

    def resubmitted(self) -> TechContractRegistration:
        """After a refusal, the corrected contract is sent again as a new submission."""
        if self.status is not RegistrationStatus.REFUSED:
            raise InvalidTransition(
                f"registration {self.id} is {self.status.value}: only a refused one is resubmitted"
            )
        again = replace(
            self,
            status=RegistrationStatus.AWAITING_DETAILS,
            resubmissions=self.resubmissions + 1,
            office_reference=None,
            submitted_at=None,
            submission_attempts=0,
            next_attempt_at=None,
            last_error=None,
            refusal_reasons=(),
        )
        return again.settled()

    def claimed(self, until: datetime) -> TechContractRegistration:
        """Leased to one worker until ``until``: another instance leaves it alone, and if
        the worker dies the lease runs out and it is tried again."""
        return replace(self, next_attempt_at=until)

    def submitted(self, office_reference: str, at: datetime) -> TechContractRegistration:
        self._expect(RegistrationStatus.READY)
        return replace(
            self,
            status=RegistrationStatus.SUBMITTED,
            office_reference=office_reference,
            submitted_at=at,
            submission_attempts=self.submission_attempts + 1,
            next_attempt_at=at,
            last_error=None,
        )

    def retry_later(
        self, now: datetime, error: str, base_delay: timedelta
    ) -> TechContractRegistration:
        """The office did not answer (or answered garbage): try again after a backoff."""
        attempts = self.submission_attempts + 1
        delay = min(base_delay * 2 ** (attempts - 1), MAX_RETRY_DELAY)
        return replace(
            self, submission_attempts=attempts, next_attempt_at=now + delay, last_error=error
        )

    def poll_later(self, at: datetime, error: str | None = None) -> TechContractRegistration:
        return replace(self, next_attempt_at=at, last_error=error)

    def refused(self, reasons: tuple[OfficeReason, ...]) -> TechContractRegistration:
        if self.status not in (RegistrationStatus.READY, RegistrationStatus.SUBMITTED):
            raise InvalidTransition(f"registration {self.id} is {self.status.value}")
        return replace(
            self,
            status=RegistrationStatus.REFUSED,
            refusal_reasons=reasons,
            next_attempt_at=None,
            last_error=None,
        )

    def registered(
        self,
        number: str,
        on: date,
        certified_contract_value: Decimal | None,
        certified_technology_value: Decimal | None,
    ) -> TechContractRegistration:
        self._expect(RegistrationStatus.SUBMITTED)
        return replace(
            self,
            status=RegistrationStatus.REGISTERED,
            registration_number=number,
            registered_on=on,
            certified_contract_value=certified_contract_value,
            certified_technology_value=certified_technology_value,
            next_attempt_at=None,
            last_error=None,
        )

    def _expect(self, status: RegistrationStatus) -> None:
        if self.status is not status:
            raise InvalidTransition(
                f"registration {self.id} is {self.status.value}, not {status.value}"
            )
