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
    OPERATE = "ipmarket:operate"  # operator actions: register-side facts, re-drives


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
