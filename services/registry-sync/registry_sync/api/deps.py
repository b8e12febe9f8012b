"""Registry-sync's dependency aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from shared.auth import OrgType, Principal, Scope
from shared.auth.dependencies import authenticate, require
from shared.auth.principal import PATENTEE_TYPES

Caller = Annotated[Principal, Depends(authenticate)]
# A contract's seller is whoever can hold a patent: universities, research institutes,
# enterprises and individuals.
Seller = Annotated[Principal, Depends(require(*PATENTEE_TYPES, scope=Scope.WRITE))]

# Reconciliation: the operator runs it; the operator and regulators read its reports.
Operator = Annotated[Principal, Depends(require(OrgType.OPERATOR, scope=Scope.OPERATE))]
Overseer = Annotated[
    Principal, Depends(require(OrgType.OPERATOR, OrgType.REGULATOR, scope=Scope.READ))
]
