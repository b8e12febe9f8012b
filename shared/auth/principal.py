"""Who is calling: an organisation, its type, and what its token allows."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class OrgType(StrEnum):
    UNIVERSITY = "university"
    RESEARCH_INSTITUTE = "research_institute"
    ENTERPRISE = "enterprise"
    INDIVIDUAL = "individual"
    BANK = "bank"
    INSURER = "insurer"
    EXCHANGE = "exchange"
    MEDIATOR = "mediator"
    REGULATOR = "regulator"
    OPERATOR = "operator"


# Organisations that can hold patents.
PATENTEE_TYPES = frozenset(
    {OrgType.UNIVERSITY, OrgType.RESEARCH_INSTITUTE, OrgType.ENTERPRISE, OrgType.INDIVIDUAL}
)


class Scope(StrEnum):
    """Token scopes. Organisation type decides the role; scopes narrow what a token may do."""

    READ = "ipmarket:read"
    WRITE = "ipmarket:write"
    OPERATE = "ipmarket:operate"  # operator-only actions (SCOPE_DESCRIPTIONS)


# What each scope admits to (``python -m shared.auth --help`` prints it).
SCOPE_DESCRIPTIONS: dict[Scope, str] = {
    Scope.READ: "every read (GET)",
    Scope.WRITE: "every change: patents, declarations, licences, pledges and the banks' and "
    "insurers' actions on them, supply and demand, valuations, connected platforms' webhook "
    "endpoints, secrets and replays",
    Scope.OPERATE: "operator-only actions: register facts, transfers and the office's "
    "announcements (listing), risk-compensation programmes (pledge), connecting a "
    "platform (webhooks)",
}

_READ_WRITE = (Scope.READ, Scope.WRITE)

# The scopes a token carries unless its issuer names others: what the organisation type
# needs for every endpoint that admits it. The type decides where a token may act
# (``shared.auth.dependencies.require``); the scopes only narrow that.
DEFAULT_SCOPES: dict[OrgType, tuple[Scope, ...]] = {
    # Patentees register patents, declare open licences, take licences, apply for pledges,
    # request valuations and file insurance claims.
    OrgType.UNIVERSITY: _READ_WRITE,
    OrgType.RESEARCH_INSTITUTE: _READ_WRITE,
    OrgType.ENTERPRISE: _READ_WRITE,
    OrgType.INDIVIDUAL: _READ_WRITE,
    # Banks decide on pledges, record registrations, loans, repayments and disposals
    # (write) and list the pledges naming them (read).
    OrgType.BANK: _READ_WRITE,
    # Insurers publish products, issue policies and settle claims.
    OrgType.INSURER: _READ_WRITE,
    # Connected platforms publish supply and demand for their users and manage their
    # webhook endpoints.
    OrgType.EXCHANGE: _READ_WRITE,
    # Technology brokers read the catalogue and request valuations for the deals they
    # broker; every other change is refused to them by organisation type.
    OrgType.MEDIATOR: _READ_WRITE,
    # Regulators oversee: they see every technology-contract registration; the only
    # changes they make are credit supervision's (records, candidates, objections'
    # decisions, and their evidence). Every other change refuses them by type.
    OrgType.REGULATOR: _READ_WRITE,
    # The operator acts on behalf of the platform: besides reading and writing where it
    # is admitted, the operator-only actions.
    OrgType.OPERATOR: (Scope.READ, Scope.WRITE, Scope.OPERATE),
}


@dataclass(frozen=True)
class Principal:
    subject: str
    org_id: str
    org_name: str
    org_type: OrgType
    uscc: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)

    def has_scope(self, scope: Scope) -> bool:
        return scope.value in self.scopes
